// Forecast runs: the list, starting a run (planners), live progress, accuracy with its per-series
// distribution, and the lineage of a run.
import { get, post, query, odata, ApiError } from '../api.js';
import { subscribe } from '../live.js';
import { chart, base } from '../charts.js';
import { num, pct, utc, esc } from '../format.js';

const METRICS = { mase: 'MASE', wape: 'WAPE (%)', smape: 'sMAPE (%)', bias: 'Bias (%)' };
const lower = (status) => String(status || '').toLowerCase();
/** A run that will not change any more; a quality gate's BLOCKED is one (the API's RunStatus.finished). */
const finished = (status) => ['succeeded', 'failed', 'blocked'].includes(lower(status));
const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);
const quote = (value) => `'${String(value).replace(/'/g, "''")}'`;

function progressBar(run) {
  const percent = Math.round((run.progress || 0) * 100);
  return `<span class="progress"><progress max="100" value="${percent}" aria-label="Progress of run ${esc(run.runId)}">${percent} %</progress>
    <span class="hint" data-progress-text>${percent} %</span></span>`;
}

function statusBadge(status) {
  const kind = { succeeded: 'ok', failed: 'danger', blocked: 'danger', running: 'warn', queued: '' }[lower(status)] ?? '';
  return `<span class="badge ${kind}" data-status>${esc(lower(status))}</span>`;
}

export function mount(root, ctx) {
  return ctx.route.path[0] ? mountDetail(root, ctx, ctx.route.path[0]) : mountList(root, ctx);
}

function mountList(root, { session, navigate }) {
  root.innerHTML = `
    <h1>Forecast runs</h1>
    ${session.can('planner') ? `<form class="panel" id="start" aria-label="Start a forecast run" style="margin-bottom:12px">
      <h2>Start a run</h2>
      <div class="form-grid">
        <label>Grain <select name="grain"><option>day</option><option selected>week</option><option>month</option></select></label>
        <label>Horizon (periods) <input name="horizon" type="number" min="1" max="366" value="12" required></label>
        <label>SKUs (comma-separated, empty = all) <input name="skus" autocomplete="off"></label>
        <label>Locations (comma-separated, empty = all) <input name="locations" autocomplete="off"></label>
        <label>Categories (comma-separated, empty = all) <input name="categories" autocomplete="off"></label>
      </div>
      <button class="primary" type="submit">Start run</button> <span id="start-result" role="status"></span>
    </form>` : '<p class="hint">Planners can start runs.</p>'}
    <section class="panel"><h2>Runs (newest first)</h2><div class="table-wrap" id="runs"></div></section>`;

  let disposed = false;
  async function load() {
    const runs = await get('/api/v1/forecast-runs?limit=50');
    if (disposed) return;
    const box = root.querySelector('#runs');
    if (!runs.length) {
      box.innerHTML = '<p class="muted">No runs yet.</p>';
      return;
    }
    box.innerHTML = `<table><thead><tr><th>Run</th><th>Status</th><th style="min-width:140px">Progress</th><th>Grain</th>
      <th class="num">Horizon</th><th>Scope</th><th>By</th><th>Started (UTC)</th><th class="num">Duration</th><th class="num">WAPE</th></tr></thead>
      <tbody>${runs.map((run) => `<tr data-run="${esc(run.runId)}">
        <td><a href="#/runs/${encodeURIComponent(run.runId)}">${esc(run.runId)}</a></td><td>${statusBadge(run.status)}</td>
        <td>${progressBar(run)}</td><td>${esc(lower(run.request?.grain))}</td><td class="num">${esc(run.request?.horizon)}</td>
        <td>${esc(scopeText(run.request?.scope))}</td><td>${esc(run.requestedBy)}</td><td>${esc(utc(run.startedAt))}</td>
        <td class="num">${run.durationMillis ? `${num(run.durationMillis / 1000)} s` : '–'}</td>
        <td class="num">${pct(run.accuracy?.wape)}</td></tr>`).join('')}</tbody></table>`;
  }

  root.querySelector('#start')?.addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const result = root.querySelector('#start-result');
    const button = event.target.querySelector('button');
    button.disabled = true;
    try {
      const started = await post('/api/v1/forecast-runs', {
        grain: form.get('grain'), horizon: Number(form.get('horizon')),
        scope: { skus: list(form.get('skus')), locations: list(form.get('locations')), categories: list(form.get('categories')) },
      });
      navigate(`#/runs/${encodeURIComponent(started.runId)}`);
    } catch (error) {
      result.className = 'notice error';
      result.textContent = error instanceof ApiError ? error.message : 'could not start the run';
    } finally {
      button.disabled = false;
    }
  });

  load().catch((error) => { root.querySelector('#runs').innerHTML = `<p class="notice error">${esc(error.message)}</p>`; });
  const stop = subscribe('run', (event) => {
    const row = root.querySelector(`tr[data-run="${CSS.escape(event.runId)}"]`);
    if (!row || finished(event.status)) {
      load().catch(() => {});
      return;
    }
    row.querySelector('progress').value = Math.round(event.progress * 100);
    row.querySelector('[data-progress-text]').textContent = `${Math.round(event.progress * 100)} %`;
    row.querySelector('[data-status]').outerHTML = statusBadge(event.status);
  });
  return () => { disposed = true; stop(); };
}

function scopeText(scope) {
  if (!scope) return 'all';
  const parts = [['SKUs', scope.skus], ['locations', scope.locations], ['categories', scope.categories]]
    .filter(([, values]) => values?.length).map(([name, values]) => `${name}: ${values.join(', ')}`);
  return parts.length ? parts.join('; ') : 'all';
}

function mountDetail(root, _ctx, runId) {
  root.innerHTML = `
    <p><a href="#/runs">← All runs</a></p>
    <h1>Forecast run <span id="run-id">${esc(runId)}</span></h1>
    <section class="panel" style="margin-bottom:12px" aria-label="Status">
      <div id="status"></div>
    </section>
    <section class="grid two">
      <div class="panel"><h2>Accuracy (backtest)</h2><div id="accuracy"><p class="muted">Available when the run has finished.</p></div></div>
      <div class="panel"><h2>Lineage</h2><div id="lineage"><p class="muted">Available when the run has finished.</p></div></div>
    </section>
    <section class="panel">
      <h2 id="hist-title">Per-series accuracy distribution</h2>
      <label style="max-width:200px">Metric <select id="metric">${Object.entries(METRICS).map(([k, v]) =>
        `<option value="${k}">${v}</option>`).join('')}</select></label>
      <div class="chart small" id="histogram" role="img" aria-labelledby="hist-title"></div>
      <p class="hint" id="hist-note"></p>
    </section>`;

  let disposed = false;
  let series = [];
  const histogram = chart(root.querySelector('#histogram'), renderHistogram);
  const metric = root.querySelector('#metric');
  metric.addEventListener('change', () => histogram.update(series, metric.value));

  function showStatus(run) {
    root.querySelector('#status').innerHTML = `<dl class="facts">
      <dt>Status</dt><dd>${statusBadge(run.status)} ${run.message ? `<span class="hint">${esc(run.message)}</span>` : ''}</dd>
      <dt>Progress</dt><dd style="max-width:420px">${progressBar(run)}</dd>
      <dt>Request</dt><dd>${esc(lower(run.request?.grain))}, horizon ${esc(run.request?.horizon)}, scope ${esc(scopeText(run.request?.scope))}</dd>
      <dt>Requested by</dt><dd>${esc(run.requestedBy)} (${esc(run.trigger)})</dd>
      <dt>Started</dt><dd>${esc(utc(run.startedAt))}</dd>
      <dt>Finished</dt><dd>${esc(utc(run.finishedAt))}${run.durationMillis ? ` (${num(run.durationMillis / 1000)} s)` : ''}</dd>
    </dl>`;
  }

  function showResults(run) {
    const a = run.accuracy;
    if (a) {
      root.querySelector('#accuracy').innerHTML = `<dl class="facts">
        <dt>Series</dt><dd>${esc(a.series)}</dd><dt>MASE</dt><dd>${num(a.mase)}</dd><dt>sMAPE</dt><dd>${pct(a.smape)}</dd>
        <dt>WAPE</dt><dd>${pct(a.wape)}</dd><dt>Bias</dt><dd>${pct(a.bias)}</dd>
        <dt>P10–P90 coverage</dt><dd>${pct(a.coverageP10P90 * 100)} (nominal 80 %)</dd></dl>`;
    }
    const l = run.lineage;
    if (l) {
      root.querySelector('#lineage').innerHTML = `<dl class="facts">
        <dt>Data as of</dt><dd>${esc(utc(l.dataAsOf))}</dd><dt>Data version</dt><dd>${esc(l.dataVersion)}</dd>
        <dt>Series read</dt><dd>${esc(l.seriesRead)}</dd><dt>Code version</dt><dd>${esc(l.codeVersion)}</dd>
        <dt>Models chosen</dt><dd>${Object.entries(l.modelsChosen || {}).map(([m, n]) => `${esc(m)}: ${esc(n)}`).join(' · ') || '–'}</dd>
        <dt>Trainer</dt><dd>${esc(l.trainerProvenance || '–')}</dd></dl>`;
    }
  }

  async function loadSeries(run) {
    series = await odata('ForecastAccuracy', { $filter: `run_id eq ${quote(run.runId)}`, $top: 100000 });
    if (disposed) return;
    root.querySelector('#hist-note').textContent = series.length
      ? `${series.length} series of run ${run.runId}.` : 'This run has no per-series accuracy.';
    histogram.update(series, metric.value);
  }

  async function load() {
    const run = await get(`/api/v1/forecast-runs/${encodeURIComponent(runId)}`);
    if (disposed) return;
    showStatus(run);
    showResults(run);
    if (lower(run.status) === 'succeeded') await loadSeries(run);
  }

  load().catch((error) => {
    root.querySelector('#status').innerHTML = `<p class="notice error" role="alert">${esc(error instanceof ApiError && error.status === 404
      ? `There is no run “${runId}”.` : error.message)}</p>`;
  });
  const stop = subscribe('run', (event) => {
    if (event.runId !== runId) return;
    const percent = Math.round(event.progress * 100);
    const bar = root.querySelector('#status progress');
    if (bar) {
      bar.value = percent;
      root.querySelector('#status [data-progress-text]').textContent = `${percent} %`;
      root.querySelector('#status [data-status]').outerHTML = statusBadge(event.status);
    }
    if (finished(event.status)) load().catch(() => {});
  });
  // Live events carry the progress; a slow poll backs them up while the run is not finished, so the
  // page never stays on "running" when an event is missed (seen in a browser test) or a proxy holds
  // the event stream back.
  const poller = setInterval(() => {
    const shown = root.querySelector('#status [data-status]')?.textContent;
    if (document.visibilityState === 'visible' && shown && !finished(shown)) load().catch(() => {});
  }, 5000);
  return () => { disposed = true; stop(); clearInterval(poller); histogram.dispose(); };
}

function renderHistogram(rows, metric) {
  const { common, axis, c } = base();
  const values = rows.map((r) => Number(r[metric])).filter(Number.isFinite);
  // About two bins per square root of the series count: readable for 4 series and for 4 000.
  const bins = Math.max(5, Math.min(30, Math.ceil(Math.sqrt(values.length) * 2)));
  const min = values.length ? Math.min(...values) : 0;
  const max = values.length ? Math.max(...values) : 1;
  const width = (max - min) / bins || 1;
  const digits = width < 0.1 ? 3 : width < 1 ? 2 : 1; // enough digits that neighbouring edges differ
  const edge = (x) => x.toFixed(digits);
  const counts = new Array(bins).fill(0);
  values.forEach((v) => { counts[Math.min(bins - 1, Math.floor((v - min) / width))] += 1; });
  return { ...common, legend: { show: false }, tooltip: { trigger: 'axis', confine: true },
    xAxis: { type: 'category', name: METRICS[metric], nameLocation: 'middle', nameGap: 30,
      data: counts.map((_, i) => `${edge(min + i * width)}–${edge(min + (i + 1) * width)}`), ...axis },
    yAxis: { type: 'value', name: 'series', minInterval: 1, ...axis },
    series: [{ name: 'Series', type: 'bar', data: counts, itemStyle: { color: c.accent }, barCategoryGap: '5%' }] };
}
