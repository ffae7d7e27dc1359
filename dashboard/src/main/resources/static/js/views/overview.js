// Overview: KPIs, data freshness per source and the live pipeline flow (SSE).
import { get, prefetched } from '../api.js';
import { subscribe, onStatus } from '../live.js';
import { chart, base } from '../charts.js';
import { num, int, pct, utc, ago, shiftDay, esc, throttle } from '../format.js';

const STAGES = [
  { key: 'received', label: 'Ingested' },
  { key: 'landed', label: 'Landed (raw)' },
  { key: 'cleaned', label: 'Transformed (cleaned)' },
  { key: 'served', label: 'Served' },
];

export function mount(root) {
  root.innerHTML = `
    <h1>Overview</h1>
    <section class="grid" aria-label="Key figures">
      <div class="panel kpi" id="kpi-7"><h2>Demand, last 7 full days</h2><div class="value">…</div><div class="delta"></div></div>
      <div class="panel kpi" id="kpi-28"><h2>Demand, last 28 full days</h2><div class="value">…</div><div class="delta"></div></div>
      <div class="panel kpi" id="kpi-accuracy"><h2>Forecast accuracy (latest run)</h2><div class="value">…</div><div class="delta"></div></div>
      <div class="panel kpi" id="kpi-anomalies"><h2>Open lead-time anomalies</h2><div class="value">…</div><div class="delta"></div></div>
    </section>
    <section class="panel" aria-labelledby="flow-title" style="margin-bottom:12px">
      <h2 id="flow-title">Pipeline flow <span class="hint" id="flow-updated"></span></h2>
      <div class="flow" id="flow" role="list"></div>
      <p class="hint" id="flow-extra"></p>
    </section>
    <section class="grid two">
      <div class="panel"><h2 id="demand-title">Daily demand, last 8 weeks (all SKUs and locations, UTC days)</h2>
        <div class="chart" id="demand-chart" role="img" aria-labelledby="demand-title"></div></div>
      <div class="panel"><h2>Data freshness per source</h2><div class="table-wrap" id="freshness"></div></div>
    </section>`;

  const demandChart = chart(root.querySelector('#demand-chart'), renderDemand);
  // Counter samples of the last minute; each stage's rate is its change over that window.
  const samples = [];
  const RATE_WINDOW_MS = 60000;
  let disposed = false;

  // Daily totals over all SKUs and locations, summed by the warehouse: a few dozen rows (the general
  // demand endpoint would send every series' days, ~100 000 rows, for the page to add up).
  const OVERVIEW_URL = '/api/v1/dashboard/demand-totals?grain=day&days=57';
  let firstLoad = true;

  async function loadDemand() {
    const url = OVERVIEW_URL;
    const summary = await (firstLoad ? prefetched('overview', url) : get(url));
    firstLoad = false;
    if (disposed) return;
    const series = summary.totals.map((total) => [total.period, Number(total.quantity)]);
    demandChart.update(series, summary.from, summary.to);
    // Full UTC days only: the server's today (summary.to) is still filling up and would always look like a drop.
    const today = summary.to;
    const dayBefore = (days) => shiftDay(today, -days);
    const sum = (fromOffset, toOffset) => series
      .filter(([day]) => day > dayBefore(fromOffset + 1) && day <= dayBefore(toOffset + 1))
      .reduce((total, [, quantity]) => total + quantity, 0);
    showKpi('#kpi-7', sum(7, 0), sum(14, 7), 'previous 7 days');
    showKpi('#kpi-28', sum(28, 0), sum(56, 28), 'previous 28 days');
  }

  function showKpi(selector, current, before, label) {
    const panel = root.querySelector(selector);
    panel.querySelector('.value').textContent = int(current);
    const delta = panel.querySelector('.delta');
    if (!before) {
      delta.textContent = `no demand in the ${label}`;
      delta.className = 'delta';
      return;
    }
    const change = ((current - before) / before) * 100;
    delta.textContent = `${change >= 0 ? '▲' : '▼'} ${pct(Math.abs(change))} vs ${label} (${int(before)})`;
    delta.className = `delta ${change >= 0 ? 'up' : 'down'}`;
  }

  async function loadAccuracy() {
    // The list, not /latest: no successful run yet is a normal state, not a 404.
    const runs = await get('/api/v1/forecast-runs?limit=50');
    if (disposed) return;
    const latest = runs.find((run) => run.status === 'SUCCEEDED' || run.status === 'succeeded');
    const panel = root.querySelector('#kpi-accuracy');
    if (!latest || !latest.accuracy) {
      panel.querySelector('.value').textContent = '–';
      panel.querySelector('.delta').textContent = 'no finished forecast run yet';
      return;
    }
    const a = latest.accuracy;
    panel.querySelector('.value').textContent = `WAPE ${pct(a.wape)}`;
    panel.querySelector('.delta').innerHTML = `MASE ${num(a.mase)} · bias ${pct(a.bias)} · P10–P90 coverage
      ${pct(a.coverageP10P90 * 100)} · <a href="#/runs/${encodeURIComponent(latest.runId)}">run ${esc(latest.runId)}</a>`;
  }

  async function loadAnomalies() {
    const page = await get('/api/v1/anomalies/lead-time?acknowledged=false&size=1');
    if (disposed) return;
    const panel = root.querySelector('#kpi-anomalies');
    panel.querySelector('.value').textContent = int(page.total);
    panel.querySelector('.delta').innerHTML = '<a href="#/anomalies">review flagged lead times</a>';
  }

  async function loadPipeline() {
    const pipeline = await get('/api/v1/pipeline');
    if (disposed) return;
    const all = pipeline.counters.find((totals) => totals.routeId === '*');
    if (all) showFlow(all);
    showFreshness(pipeline.counters.filter((totals) => totals.routeId !== '*'), pipeline.reconciliation);
  }

  function showFlow(totals) {
    const now = Date.now();
    samples.push({ at: now, totals });
    while (samples.length > 2 && now - samples[1].at > RATE_WINDOW_MS) samples.shift();
    const oldest = samples[0];
    const rateOf = (key) => (now - oldest.at < 1000 ? undefined
      : ((totals[key] - oldest.totals[key]) * 1000) / (now - oldest.at));
    const processed = totals.cleaned + totals.quarantined + totals.duplicates;
    const gaps = {
      landed: totals.received - totals.landed,
      cleaned: totals.landed - processed,
    };
    root.querySelector('#flow').innerHTML = STAGES.map(({ key, label }, index) => {
      const gap = gaps[key] || 0;
      const rate = rateOf(key);
      return `${index ? '<span class="arrow" aria-hidden="true">→</span>' : ''}
        <div class="stage${gap > 0 ? ' diverged' : ''}" role="listitem" data-stage="${key}">
          <div class="muted">${label}</div>
          <div class="count" data-count="${key}">${int(totals[key])}</div>
          <div class="hint">${rate === undefined ? '&nbsp;' : `${num(rate)} records/s`}</div>
          ${gap > 0 ? `<div class="note">${int(gap)} behind the previous stage</div>` : ''}
        </div>`;
    }).join('');
    root.querySelector('#flow-extra').innerHTML = `Ingestion rate over 5 minutes
      ${num(totals.recordsPerSecondLast5Minutes)} records/s · quarantined ${int(totals.quarantined)} ·
      duplicates ${int(totals.duplicates)} · batches ${int(totals.batches)} · average lag
      ${num(totals.averageLagMillis / 1000)} s · <a href="#/quality">quarantine</a>`;
    root.querySelector('#flow-updated').textContent = `updated ${utc(new Date(now).toISOString())}`;
  }

  function showFreshness(routes, reconciliation) {
    const balance = new Map((reconciliation || []).map((r) => [r.routeId, r]));
    const container = root.querySelector('#freshness');
    if (!routes.length) {
      container.innerHTML = '<p class="muted">No source has delivered data yet.</p>';
      return;
    }
    container.innerHTML = `<table><thead><tr><th>Source (route)</th><th>Last received</th><th>Last processed</th>
      <th class="num">Records</th><th>Check</th></tr></thead><tbody>${routes.map((r) => {
        const rec = balance.get(r.routeId);
        const balanced = rec && rec.ingested === rec.landedByManifest && rec.landedByManifest === rec.landedRecords
          && rec.landedRecords === rec.cleaned + rec.quarantined + rec.duplicates && rec.unprocessedBatches === 0;
        return `<tr><td>${esc(r.routeId)}</td><td title="${esc(utc(r.lastReceivedAt))}">${esc(ago(r.lastReceivedAt))}</td>
          <td title="${esc(utc(r.lastProcessedAt))}">${esc(ago(r.lastProcessedAt))}</td><td class="num">${int(r.received)}</td>
          <td>${!rec ? '–' : balanced ? '<span class="badge ok">balanced</span>' : '<span class="badge danger">diverged</span>'}</td></tr>`;
      }).join('')}</tbody></table>`;
  }

  function renderDemand(series, from, to) {
    const { common, axis, c } = base();
    // Every day of the window on the axis, days without demand as gaps of zero height.
    const days = [];
    for (let day = from; day && day <= to; day = shiftDay(day, 1)) days.push(day);
    const byDay = new Map(series);
    return { ...common, legend: { show: false }, aria: { enabled: true, label: { description:
        `Daily demand over all SKUs and locations from ${from} to ${to} (UTC days).` } },
      xAxis: { type: 'category', data: days, ...axis },
      yAxis: { type: 'value', ...axis },
      series: [{ name: 'Demand', type: 'bar', data: days.map((day) => Math.round((byDay.get(day) || 0) * 100) / 100),
        itemStyle: { color: c.accent } }] };
  }

  // One notice per panel, replaced (not added) by the next failure: reloads after reconnects must not
  // pile up notices while the server is away.
  const failed = (what) => (error) => {
    if (disposed) return;
    const panel = root.querySelector(what).closest('.panel, section');
    let notice = panel.querySelector(':scope > .load-error');
    if (!notice) {
      notice = document.createElement('p');
      notice.className = 'notice error load-error';
      notice.setAttribute('role', 'alert');
      panel.append(notice);
    }
    notice.textContent = error.message;
  };
  const cleared = (what) => () => { root.querySelector(what)?.closest('.panel, section')?.querySelector(':scope > .load-error')?.remove(); };
  const loadAll = () => {
    loadDemand().then(cleared('#demand-chart'), failed('#demand-chart'));
    loadAccuracy().then(cleared('#kpi-accuracy'), failed('#kpi-accuracy'));
    loadAnomalies().then(cleared('#kpi-anomalies'), failed('#kpi-anomalies'));
    loadPipeline().then(cleared('#flow'), failed('#flow'));
  };
  loadAll();

  // The flow follows every event; the heavier reloads at most every 10 s.
  const reloadPipeline = throttle(() => loadPipeline().catch(() => {}), 10000);
  const reloadDemand = throttle(() => loadDemand().catch(() => {}), 10000);
  const reloadAnomalies = throttle(() => loadAnomalies().catch(() => {}), 5000);
  const stops = [
    subscribe('pipeline', (totals) => {
      showFlow(totals);
      reloadPipeline();
    }),
    subscribe('demand', reloadDemand),
    subscribe('anomalies', reloadAnomalies),
    subscribe('run', (run) => { if (run.status === 'succeeded') loadAccuracy().catch(() => {}); }),
    subscribe('reset', loadAll),
  ];
  let connectedBefore = false;
  stops.push(onStatus((state) => {
    // After a reconnect the events in between are gone: reload the current state.
    if (state !== 'open') return;
    if (connectedBefore) loadAll();
    connectedBefore = true;
  }));

  return () => {
    disposed = true;
    stops.forEach((stop) => stop());
    [reloadPipeline, reloadDemand, reloadAnomalies].forEach((reload) => reload.cancel());
    demandChart.dispose();
  };
}
