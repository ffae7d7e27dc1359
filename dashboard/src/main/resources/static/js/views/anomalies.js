// Lead-time anomalies: supplier × order-time scatter of flagged receipts, drill into a PO line
// (expected range, drivers), acknowledge (planners).
import { get, post, query, ApiError } from '../api.js';
import { subscribe } from '../live.js';
import { chart, base } from '../charts.js';
import { num, utc, esc } from '../format.js';

export function mount(root, { session, route, navigate }) {
  const params = route.params;
  const filters = { supplier: params.get('supplier') || '', sku: params.get('sku') || '',
    from: params.get('from') || '', to: params.get('to') || '', state: params.get('state') || 'open' };

  root.innerHTML = `
    <h1>Lead-time anomalies</h1>
    <form class="inline panel" id="filters" role="search" aria-label="Anomaly filters">
      <label>Supplier <input name="supplier" value="${esc(filters.supplier)}" placeholder="all suppliers"></label>
      <label>SKU <input name="sku" value="${esc(filters.sku)}" placeholder="all SKUs"></label>
      <label>Ordered from (UTC) <input type="date" name="from" value="${esc(filters.from)}"></label>
      <label>Ordered to (UTC) <input type="date" name="to" value="${esc(filters.to)}"></label>
      <label>State <select name="state">${[['open', 'open'], ['acknowledged', 'acknowledged'], ['all', 'all']].map(([v, l]) =>
        `<option value="${v}"${v === filters.state ? ' selected' : ''}>${l}</option>`).join('')}</select></label>
      <button class="primary" type="submit">Show</button>
    </form>
    <section class="grid two">
      <div class="panel"><h2 id="scatter-title">Flagged receipts by supplier and order time (UTC)</h2>
        <div class="chart" id="scatter" role="img" aria-labelledby="scatter-title"></div>
        <p class="hint" id="count"></p></div>
      <div class="panel" id="detail" aria-live="polite"><h2>PO line</h2><p class="muted">Select a point or a row.</p></div>
    </section>
    <section class="panel"><h2>Flags</h2><div class="table-wrap" id="table"></div></section>`;

  let disposed = false;
  let items = [];
  const scatter = chart(root.querySelector('#scatter'), renderScatter);
  scatter.onClick((event) => showDetail(items[event.data?.index]));

  root.querySelector('#filters').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = Object.fromEntries([...new FormData(event.target).entries()].map(([k, v]) => [k, String(v).trim()]));
    navigate(`#/anomalies${query(form)}`);
  });

  async function load() {
    const acknowledged = { open: false, acknowledged: true }[filters.state];
    const page = await get(`/api/v1/anomalies/lead-time${query({ supplier: filters.supplier, sku: filters.sku,
      from: filters.from, to: filters.to, acknowledged, size: 1000 })}`);
    if (disposed) return;
    items = page.items;
    root.querySelector('#count').textContent = `${page.items.length} of ${page.total} flags shown (newest first).`;
    scatter.update(items);
    showTable();
  }

  function showTable() {
    const box = root.querySelector('#table');
    if (!items.length) {
      box.innerHTML = '<p class="muted">No flagged lead times for these filters.</p>';
      return;
    }
    box.innerHTML = `<table><thead><tr><th>PO line</th><th>Supplier</th><th>SKU</th><th>Location</th><th>Ordered (UTC)</th>
      <th class="num">Lead time (d)</th><th class="num">Expected (d)</th><th class="num">Score</th><th>State</th></tr></thead>
      <tbody>${items.map((a, i) => `<tr data-clickable data-index="${i}" tabindex="0">
        <td>${esc(a.poLineId)}</td><td>${esc(a.supplier)}</td><td>${esc(a.sku)}</td><td>${esc(a.location)}</td>
        <td>${esc(utc(a.orderedAt))}</td><td class="num">${num(a.leadTimeDays)}</td>
        <td class="num">${num(a.expectedLowDays)}–${num(a.expectedHighDays)}</td><td class="num">${num(a.score)}</td>
        <td>${a.acknowledged ? `<span class="badge ok">acknowledged</span>` : '<span class="badge danger">open</span>'}</td></tr>`).join('')}
      </tbody></table>`;
    box.querySelectorAll('tbody tr').forEach((row) => {
      const open = () => showDetail(items[Number(row.dataset.index)]);
      row.addEventListener('click', open);
      row.addEventListener('keydown', (event) => { if (event.key === 'Enter') open(); });
    });
  }

  function showDetail(anomaly) {
    if (!anomaly) return;
    root.querySelectorAll('#table tr.selected').forEach((row) => row.classList.remove('selected'));
    root.querySelector(`#table tr[data-index="${items.indexOf(anomaly)}"]`)?.classList.add('selected');
    const drivers = Object.entries(anomaly.drivers || {}).sort(([, a], [, b]) => Math.abs(b) - Math.abs(a));
    const largest = Math.max(...drivers.map(([, v]) => Math.abs(v)), 1e-9);
    const box = root.querySelector('#detail');
    box.innerHTML = `<h2>PO line ${esc(anomaly.poLineId)}</h2>
      <dl class="facts">
        <dt>Supplier</dt><dd>${esc(anomaly.supplier)}</dd><dt>SKU · location</dt><dd>${esc(anomaly.sku)} · ${esc(anomaly.location)}</dd>
        <dt>Ordered</dt><dd>${esc(utc(anomaly.orderedAt))}</dd><dt>Promised</dt><dd>${esc(anomaly.promisedDate)}</dd>
        <dt>Received</dt><dd>${esc(utc(anomaly.receivedAt))}</dd>
        <dt>Lead time</dt><dd><strong>${num(anomaly.leadTimeDays)} days</strong> (expected ${num(anomaly.expectedLowDays)}–${num(anomaly.expectedHighDays)} days)</dd>
        <dt>Delay vs promise</dt><dd>${num(anomaly.delayDays)} days</dd>
        <dt>Anomaly score</dt><dd>${num(anomaly.score)} <span class="hint">(model ${esc(anomaly.modelVersion)}, flagged ${esc(utc(anomaly.flaggedAt))})</span></dd>
      </dl>
      <h2 style="margin-top:10px">Drivers</h2>
      ${drivers.length ? `<table aria-label="What drove the flag"><tbody>${drivers.map(([name, value]) => `<tr><td>${esc(name)}</td>
        <td style="width:60%"><meter min="0" max="${largest}" value="${Math.abs(value)}" aria-label="${esc(name)}"></meter></td>
        <td class="num">${num(value)}</td></tr>`).join('')}</tbody></table>` : '<p class="muted">No driver breakdown.</p>'}
      <p>${anomaly.acknowledged ? `<span class="badge ok">acknowledged by ${esc(anomaly.acknowledgedBy)}</span>`
        : session.can('planner') ? '<button type="button" class="primary" id="acknowledge">Acknowledge</button>'
        : '<span class="hint">Planners acknowledge flags.</span>'} <span id="ack-result" role="status"></span></p>`;
    box.querySelector('#acknowledge')?.addEventListener('click', async (event) => {
      event.target.disabled = true;
      try {
        const result = await post(`/api/v1/anomalies/lead-time/${encodeURIComponent(anomaly.poLineId)}/acknowledge`);
        Object.assign(anomaly, { acknowledged: true, acknowledgedBy: result.acknowledgedBy });
        showDetail(anomaly);
        showTable();
        scatter.update(items);
      } catch (error) {
        event.target.disabled = false;
        box.querySelector('#ack-result').textContent = error instanceof ApiError ? error.message : 'could not acknowledge';
      }
    });
  }

  function renderScatter(rows) {
    const { common, axis, c } = base();
    const suppliers = [...new Set(rows.map((a) => a.supplier))].sort();
    const point = (a, index) => ({ index, value: [a.orderedAt, a.supplier, a.score, a.leadTimeDays] });
    const maxScore = Math.max(...rows.map((a) => a.score), 0.5);
    const size = (value) => 6 + 14 * (value[2] / maxScore);
    return { ...common, grid: { ...common.grid, left: 110 },
      tooltip: { trigger: 'item', confine: true, formatter: (p) => { const a = rows[p.data.index];
        return `${esc(a.poLineId)}<br>${esc(a.supplier)} · ${esc(a.sku)}<br>lead time ${num(a.leadTimeDays)} d
          (expected ${num(a.expectedLowDays)}–${num(a.expectedHighDays)})<br>score ${num(a.score)}`; } },
      // A few days of margin so points at either end are not drawn on the axes.
      xAxis: { type: 'time', min: (v) => v.min - 3 * 86400000, max: (v) => v.max + 3 * 86400000, ...axis }, yAxis: { type: 'category', data: suppliers, ...axis },
      series: [
        { name: 'Open', type: 'scatter', symbolSize: size, itemStyle: { color: c.danger },
          data: rows.map(point).filter((p) => !rows[p.index].acknowledged) },
        { name: 'Acknowledged', type: 'scatter', symbolSize: size, itemStyle: { color: c.muted },
          data: rows.map(point).filter((p) => rows[p.index].acknowledged) },
      ] };
  }

  load().catch((error) => { root.querySelector('#table').innerHTML = `<p class="notice error" role="alert">${esc(error.message)}</p>`; });
  const stop = subscribe('anomalies', () => load().catch(() => {}));
  return () => { disposed = true; stop(); scatter.dispose(); };
}
