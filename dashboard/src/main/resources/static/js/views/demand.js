// Demand explorer: history with the forecast and its P10–P90 band, the model and its backtest
// accuracy, planner overrides inline, and the API's own export for the current view.
import { get, put, query, odata, ApiError } from '../api.js';
import { subscribe } from '../live.js';
import { chart, base } from '../charts.js';
import { num, pct, utcDay, esc, throttle } from '../format.js';

const ALL = '*';
const DEFAULT_FROM = { day: -120, week: -371, month: -1095 };

const quote = (value) => `'${String(value).replace(/'/g, "''")}'`;

export function mount(root, { session, route, navigate }) {
  const params = route.params;
  const filters = {
    sku: params.get('sku') || '', location: params.get('location') || '', category: params.get('category') || '',
    grain: params.get('grain') || 'week', from: params.get('from') || '', to: params.get('to') || '',
  };
  filters.from ||= utcDay(DEFAULT_FROM[filters.grain] ?? -371);
  filters.to ||= utcDay(0);

  root.innerHTML = `
    <h1>Demand explorer</h1>
    <form class="inline panel" id="filters" role="search" aria-label="Demand filters">
      <label>SKU <input name="sku" list="skus" value="${esc(filters.sku)}" placeholder="all SKUs" autocomplete="off"></label>
      <label>Location <input name="location" list="locations" value="${esc(filters.location)}" placeholder="all locations" autocomplete="off"></label>
      <label>Category <input name="category" list="categories" value="${esc(filters.category)}" placeholder="all categories" autocomplete="off"></label>
      <label>Grain <select name="grain">${['day', 'week', 'month'].map((g) =>
        `<option value="${g}"${g === filters.grain ? ' selected' : ''}>${g}</option>`).join('')}</select></label>
      <label>From (UTC) <input type="date" name="from" value="${esc(filters.from)}"></label>
      <label>To (UTC) <input type="date" name="to" value="${esc(filters.to)}"></label>
      <button class="primary" type="submit">Show</button>
      <datalist id="skus"></datalist><datalist id="locations"></datalist><datalist id="categories"></datalist>
    </form>
    <div id="messages"></div>
    <section class="panel" style="margin-bottom:12px">
      <h2 id="chart-title">History and forecast</h2>
      <div class="chart" id="demand-chart" role="img" aria-labelledby="chart-title"></div>
    </section>
    <section class="grid two">
      <div class="panel"><h2>Model and backtest accuracy</h2><div id="model"></div></div>
      <div class="panel"><h2>Export this view</h2><div id="export"></div></div>
    </section>
    <section class="panel"><h2>Forecast and overrides</h2><div class="table-wrap" id="cells"></div></section>`;

  const messages = root.querySelector('#messages');
  const say = (text, kind = '') => { messages.innerHTML = `<p class="notice ${kind}" role="status">${text}</p>`; };
  const demandChart = chart(root.querySelector('#demand-chart'), renderChart);
  let disposed = false;
  let current = { history: [], forecast: [], run: null };

  root.querySelector('#filters').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const next = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v).trim()]));
    navigate(`#/demand${query(next)}`);
  });

  loadMasterData().catch(() => { /* the lists only help typing; the filters work without them */ });

  async function loadMasterData() {
    const [products, locations] = await Promise.all([
      odata('Products', { $select: 'sku,name,category', $top: 10000 }),
      odata('Locations', { $select: 'location,name', $top: 10000 }),
    ]);
    if (disposed) return;
    const options = (rows) => rows.map(([value, label]) => `<option value="${esc(value)}">${esc(label || '')}</option>`).join('');
    root.querySelector('#skus').innerHTML = options(products.map((p) => [p.sku, p.name]));
    root.querySelector('#locations').innerHTML = options(locations.map((l) => [l.location, l.name]));
    root.querySelector('#categories').innerHTML = options([...new Set(products.map((p) => p.category))].sort().map((c) => [c, '']));
  }

  // Summed by the warehouse over the series the filters leave open: one row per period, whatever
  // the selection (all SKUs at a week grain would otherwise be ~100 000 rows, cut at the row limit).
  async function loadHistory() {
    const answer = await get(`/api/v1/dashboard/demand-totals${query({ sku: filters.sku, location: filters.location,
      category: filters.category, grain: filters.grain, from: filters.from, to: filters.to })}`);
    return answer.totals.map((total) => [total.period, Number(total.quantity)]);
  }

  /** The newest successful run at the chosen grain (runs are listed newest first). */
  async function latestRun() {
    const runs = await get('/api/v1/forecast-runs?limit=100');
    return runs.find((run) => String(run.status).toLowerCase() === 'succeeded'
      && String(run.request?.grain).toLowerCase() === filters.grain) || null;
  }

  async function loadForecast(run) {
    // Aggregate levels use '*' for the summed-over dimension; OData filters them for every role.
    const filter = `run_id eq ${quote(run.runId)} and sku eq ${quote(filters.sku || ALL)} and location eq ${quote(filters.location || ALL)}`;
    return odata('ForecastsByRun', { $filter: filter, $orderby: 'period', $top: 10000 });
  }

  async function load() {
    const history = await loadHistory();
    if (disposed) return;
    current = { history, forecast: [], run: null, overrides: new Map() };
    demandChart.update(current);
    const run = await latestRun();
    if (disposed) return;
    if (filters.category && !filters.sku) {
      say('Forecasts exist per SKU and location and their totals; pick a SKU to see the forecast of a category member.');
    } else if (!run) {
      say(`No successful forecast run at the ${esc(filters.grain)} grain yet. <a href="#/runs">Start one</a>.`);
    }
    if (run && !(filters.category && !filters.sku)) {
      const [forecast, overrides] = await Promise.all([loadForecast(run), loadOverrides(run)]);
      if (disposed) return;
      current = { history, forecast, run, overrides };
      demandChart.update(current);
      if (!forecast.length) say(`Run ${esc(run.runId)} has no forecast for this selection.`);
    }
    showModel(current);
    showExport(current);
    showCells(current);
  }

  async function loadOverrides(run) {
    const list = await get(`/api/v1/forecast-runs/${encodeURIComponent(run.runId)}/overrides`);
    return new Map(list.filter((o) => o.sku === filters.sku && o.location === filters.location)
      .map((o) => [o.period, o]));
  }

  async function showModel({ run, forecast }) {
    const box = root.querySelector('#model');
    if (!run || !forecast.length) {
      box.innerHTML = '<p class="muted">No forecast for this selection.</p>';
      return;
    }
    const models = [...new Set(forecast.map((f) => f.model))].join(', ');
    let accuracy = null;
    if (filters.sku && filters.location) {
      const rows = await odata('ForecastAccuracy', { $filter:
        `run_id eq ${quote(run.runId)} and sku eq ${quote(filters.sku)} and location eq ${quote(filters.location)}` })
        .catch(() => []);
      accuracy = rows[0] || null;
    }
    if (disposed) return;
    const a = accuracy;
    box.innerHTML = `<dl class="facts">
      <dt>Run</dt><dd><a href="#/runs/${encodeURIComponent(run.runId)}">${esc(run.runId)}</a> (${esc(String(run.request?.grain).toLowerCase())}, horizon ${esc(run.request?.horizon)})</dd>
      <dt>Chosen model</dt><dd>${esc(models)}</dd>
      ${a ? `<dt>MASE</dt><dd>${num(a.mase)}</dd><dt>sMAPE</dt><dd>${pct(a.smape)}</dd><dt>WAPE</dt><dd>${pct(a.wape)}</dd>
        <dt>Bias</dt><dd>${pct(a.bias)}</dd><dt>P10–P90 coverage</dt><dd>${pct(a.coverage_p10_p90 * 100)} (nominal 80 %)</dd>`
        : `<dt>Backtest</dt><dd class="muted">${filters.sku && filters.location ? 'no per-series backtest for this series'
          : 'pick a SKU and a location for its series accuracy'}; run-wide WAPE ${pct(run.accuracy?.wape)}</dd>`}
    </dl>`;
  }

  function showExport({ run }) {
    const box = root.querySelector('#export');
    if (!run) {
      box.innerHTML = '<p class="muted">Nothing to export: no forecast run at this grain.</p>';
      return;
    }
    if (!session.can('planner')) {
      box.innerHTML = '<p class="muted">Exports are for planners.</p>';
      return;
    }
    // The API's own export with the same filters, so the file is exactly what the API gives.
    const link = (format) => `/api/v1/forecast-runs/${encodeURIComponent(run.runId)}/forecasts${query({
      format, sku: filters.sku, location: filters.location })}`;
    box.innerHTML = `<p><a id="export-csv" href="${esc(link('csv'))}" download>Download CSV</a> ·
      <a id="export-xlsx" href="${esc(link('xlsx'))}" download>Download XLSX</a></p>
      <p class="hint">Run ${esc(run.runId)}${filters.sku ? `, SKU ${esc(filters.sku)}` : ''}${filters.location
        ? `, location ${esc(filters.location)}` : ''}. ${!filters.sku || !filters.location
        ? 'Without both filters the export holds every series below the chosen level as well as its total (“*”).' : ''}</p>`;
  }

  function showCells({ run, forecast, overrides }) {
    const box = root.querySelector('#cells');
    if (!run || !forecast.length) {
      box.innerHTML = '<p class="muted">No forecast cells.</p>';
      return;
    }
    const editable = session.can('planner') && filters.sku && filters.location;
    box.innerHTML = `${editable ? '' : `<p class="hint">${session.can('planner')
      ? 'Pick one SKU and one location to override its forecast.' : 'Overrides are for planners.'}</p>`}
      <table><thead><tr><th>Period (UTC)</th><th class="num">P10</th><th class="num">P50</th><th class="num">P90</th>
      <th>Model</th><th class="num">Final</th><th>Reason</th>${editable ? '<th><span class="muted">Save</span></th>' : ''}</tr></thead>
      <tbody>${forecast.map((f) => {
        const o = overrides?.get(f.period);
        const finalValue = o ? o.value : f.final ?? f.p50;
        return `<tr data-period="${esc(f.period)}"><td>${esc(f.period)}</td><td class="num">${num(f.p10)}</td>
          <td class="num">${num(f.p50)}</td><td class="num">${num(f.p90)}</td><td>${esc(f.model)}</td>
          ${editable ? `<td class="num"><input class="override" type="number" min="0" step="any" value="${Math.round(finalValue * 10) / 10}"
              aria-label="Final value for ${esc(f.period)}"></td>
            <td><input class="reason" value="${esc(o?.reason || '')}" maxlength="500" placeholder="reason (required)"
              aria-label="Reason for ${esc(f.period)}"></td>
            <td><button type="button" class="save">Save</button> <span class="saved hint">${o ? `by ${esc(o.overriddenBy)}` : ''}</span></td>`
            : `<td class="num">${num(finalValue)}${o ? ' <span class="badge warn">override</span>' : ''}</td><td>${esc(o?.reason || '')}</td>`}
        </tr>`;
      }).join('')}</tbody></table>`;
    if (editable) box.querySelectorAll('button.save').forEach((button) => button.addEventListener('click', save));
  }

  async function save(event) {
    const row = event.target.closest('tr');
    const value = Number(row.querySelector('.override').value);
    const reason = row.querySelector('.reason').value.trim();
    const status = row.querySelector('.saved');
    if (!reason) {
      status.textContent = 'a reason is required';
      row.querySelector('.reason').focus();
      return;
    }
    event.target.disabled = true;
    try {
      const saved = await put(`/api/v1/forecast-runs/${encodeURIComponent(current.run.runId)}/overrides`,
        { sku: filters.sku, location: filters.location, period: row.dataset.period, value, reason });
      current.overrides.set(saved.period, saved);
      status.textContent = `saved by ${saved.overriddenBy}`;
      demandChart.update(current);
    } catch (error) {
      status.textContent = error instanceof ApiError ? error.message : 'could not save';
    } finally {
      event.target.disabled = false;
    }
  }

  function renderChart({ history, forecast, overrides }) {
    const { common, axis, c } = base();
    const periods = [...new Set([...history.map(([p]) => p), ...forecast.map((f) => f.period)])].sort();
    const at = (rows, value) => { const map = new Map(rows); return periods.map((p) => (map.has(p) ? value(map.get(p)) : null)); };
    const byPeriod = forecast.map((f) => [f.period, f]);
    const round = (x) => Math.round(x * 100) / 100;
    const overridden = forecast.filter((f) => overrides?.has(f.period)).map((f) => [f.period, overrides.get(f.period).value]);
    return { ...common,
      tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => (v === null || v === undefined ? '–' : num(v)) },
      xAxis: { type: 'category', data: periods, boundaryGap: false, ...axis },
      yAxis: { type: 'value', ...axis },
      dataZoom: [{ type: 'inside' }],
      legend: { ...common.legend, data: ['Demand', 'P10–P90', 'Forecast P50', 'Override'] },
      series: [
        { name: 'Demand', type: 'line', showSymbol: false, data: at(history, (q) => round(q)), lineStyle: { color: c.text }, itemStyle: { color: c.text } },
        // The band: an invisible P10 line with the P90−P10 difference stacked on it.
        { name: 'P10', type: 'line', stack: 'band', showSymbol: false, data: at(byPeriod, (f) => round(f.p10)), lineStyle: { opacity: 0 }, itemStyle: { color: c.band } },
        { name: 'P10–P90', type: 'line', stack: 'band', showSymbol: false, data: at(byPeriod, (f) => round(f.p90 - f.p10)), lineStyle: { opacity: 0 }, areaStyle: { color: c.band }, itemStyle: { color: c.band },
          tooltip: { valueFormatter: () => '' } },
        { name: 'Forecast P50', type: 'line', showSymbol: false, data: at(byPeriod, (f) => round(f.p50)), lineStyle: { color: c.accent, width: 2 }, itemStyle: { color: c.accent } },
        { name: 'Override', type: 'scatter', data: at(overridden, (v) => v), itemStyle: { color: c.warn }, symbolSize: 9 },
      ] };
  }

  load().catch((error) => say(esc(error.message), 'error'));
  const reloadHistory = throttle(() => loadHistory().then((history) => {
    if (disposed) return;
    current = { ...current, history };
    demandChart.update(current);
  }).catch(() => {}), 10000);
  const stop = subscribe('demand', reloadHistory);

  return () => { disposed = true; stop(); reloadHistory.cancel(); demandChart.dispose(); };
}
