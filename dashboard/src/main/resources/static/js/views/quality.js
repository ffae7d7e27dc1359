// Data quality: reconciliation checks per route, the quality gates' newest results and their history,
// the quarantine with its reasons, and re-processing (admins).
import { get, post, query, offers, ApiError } from '../api.js';
import { int, utc, esc } from '../format.js';

const QUALITY_CHECKS = '/api/v1/quality';
const ENTITIES = ['sales-order-lines', 'purchase-order-lines', 'receipts', 'iot-readings', 'products', 'locations', 'suppliers'];

export function mount(root, { session, route, navigate }) {
  const params = route.params;
  const filters = { routeId: params.get('routeId') || '', entity: params.get('entity') || '',
    status: params.get('status') || 'open', batchId: params.get('batchId') || '' };

  root.innerHTML = `
    <h1>Data quality</h1>
    <section class="panel" style="margin-bottom:12px"><h2>Reconciliation per route</h2>
      <div class="table-wrap" id="reconciliation"></div></section>
    <section class="panel" style="margin-bottom:12px"><h2>Quality checks</h2><div id="checks"></div></section>
    <section class="panel">
      <h2>Quarantine</h2>
      <form class="inline" id="filters" role="search" aria-label="Quarantine filters">
        <label>Route <input name="routeId" value="${esc(filters.routeId)}" placeholder="all routes"></label>
        <label>Entity <select name="entity"><option value="">all entities</option>${ENTITIES.map((e) =>
          `<option${e === filters.entity ? ' selected' : ''}>${e}</option>`).join('')}</select></label>
        <label>Status <select name="status">${['open', 'resolved', 'duplicate'].map((s) =>
          `<option${s === filters.status ? ' selected' : ''}>${s}</option>`).join('')}</select></label>
        <label>Batch <input name="batchId" value="${esc(filters.batchId)}" placeholder="any batch" size="36"></label>
        <button class="primary" type="submit">Show</button>
        ${session.can('admin') ? '<button type="button" id="reprocess">Re-process these open records</button>' : ''}
      </form>
      <div id="reprocess-result" role="status"></div>
      <div id="reasons"></div>
      <div class="table-wrap" id="quarantine"></div>
    </section>`;

  let disposed = false;

  root.querySelector('#filters').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = Object.fromEntries([...new FormData(event.target).entries()].map(([k, v]) => [k, String(v).trim()]));
    navigate(`#/quality${query(form)}`);
  });

  root.querySelector('#reprocess')?.addEventListener('click', async (event) => {
    const result = root.querySelector('#reprocess-result');
    event.target.disabled = true;
    try {
      const body = { routeId: filters.routeId || null, entity: filters.entity || null,
        batchIds: filters.batchId ? [filters.batchId] : null };
      const outcome = await post('/api/v1/quarantine/reprocess', body);
      result.className = 'notice success';
      result.innerHTML = `Re-processed: <code>${esc(JSON.stringify(outcome))}</code>`;
      await loadQuarantine();
    } catch (error) {
      result.className = 'notice error';
      result.textContent = error instanceof ApiError ? error.message : 'could not re-process';
    } finally {
      event.target.disabled = false;
    }
  });

  async function loadReconciliation() {
    const pipeline = await get('/api/v1/pipeline');
    if (disposed) return;
    const rows = pipeline.reconciliation || [];
    root.querySelector('#reconciliation').innerHTML = rows.length ? `<table><thead><tr><th>Route</th><th class="num">Ingested</th>
      <th class="num">Landed</th><th class="num">Cleaned</th><th class="num">Quarantined</th><th class="num">Duplicates</th>
      <th class="num">Unprocessed batches</th><th>Check</th></tr></thead><tbody>${rows.map((r) => {
        const balanced = r.ingested === r.landedByManifest && r.landedByManifest === r.landedRecords
          && r.landedRecords === r.cleaned + r.quarantined + r.duplicates && r.quarantined === r.quarantineRows
          && r.unprocessedBatches === 0;
        return `<tr><td><a href="#/quality${query({ routeId: r.routeId, status: 'open' })}">${esc(r.routeId)}</a></td>
          <td class="num">${int(r.ingested)}</td><td class="num">${int(r.landedRecords)}</td><td class="num">${int(r.cleaned)}</td>
          <td class="num">${int(r.quarantined)}</td><td class="num">${int(r.duplicates)}</td><td class="num">${int(r.unprocessedBatches)}</td>
          <td>${balanced ? '<span class="badge ok">balanced</span>' : '<span class="badge danger">diverged</span>'}</td></tr>`;
      }).join('')}</tbody></table>` : '<p class="muted">No routes have delivered data yet.</p>';
  }

  // Quality gates: the newest result of every declared check (failing first), blocking ones marked,
  // observed against expected; a check's name opens its history; admins can run the checks now.
  const STATUS_BADGE = { PASS: 'ok', WARN: 'warn', FAIL: 'danger', ERROR: 'danger' };
  const STATUS_ORDER = { FAIL: 0, ERROR: 1, WARN: 2, PASS: 3 };

  async function loadChecks() {
    const box = root.querySelector('#checks');
    if (!(await offers(QUALITY_CHECKS))) {
      box.innerHTML = `<p class="notice">Quality check results are not available: the API has no
        <code>${QUALITY_CHECKS}</code> endpoint. The reconciliation above and the quarantine below cover the
        data contracts.</p>`;
      return;
    }
    const quality = await get(QUALITY_CHECKS);
    if (disposed) return;
    const results = [...(quality.results || [])].sort((a, b) => (STATUS_ORDER[a.status] - STATUS_ORDER[b.status])
      || (b.blocking - a.blocking) || a.table.localeCompare(b.table) || a.check.localeCompare(b.check));
    const counts = quality.summary?.counts || {};
    const failing = quality.summary?.failingBlocking || [];
    const summary = `<p class="quality-summary">${['FAIL', 'ERROR', 'WARN', 'PASS'].map((s) =>
      `<span class="badge ${STATUS_BADGE[s]}">${int(counts[s] || 0)} ${s.toLowerCase()}</span>`).join(' ')}
      · ${int(results.length)} checks on ${int((quality.tables || []).length)} tables
      · last run ${esc(utc(quality.summary?.lastCheckedAt))}
      ${session.can('admin') ? ' <button type="button" id="run-checks">Run checks now</button>' : ''}</p>
      ${failing.length ? `<p class="notice error" role="alert">Forecast runs are halted by ${int(failing.length)} failing
        blocking check${failing.length > 1 ? 's' : ''}: ${failing.map((f) => `<code>${esc(f.table)}.${esc(f.check)}</code>`)
          .join(', ')}</p>` : ''}`;
    const table = results.length ? `<div class="table-wrap"><table class="quality-checks"><thead><tr><th>Status</th>
      <th>Table</th><th>Check</th><th>Kind</th><th>Observed</th><th>Expected</th><th>Checked (UTC)</th><th>Severity</th>
      </tr></thead><tbody>${results.map((r) => `<tr data-check="${esc(r.table)}.${esc(r.check)}"
        class="${r.blocking && r.status !== 'PASS' && r.status !== 'WARN' ? 'quality-blocking-failure' : ''}">
        <td><span class="badge ${STATUS_BADGE[r.status] || ''}">${esc(r.status)}</span></td>
        <td>${esc(r.table)} <span class="muted">v${esc(r.specVersion)}</span></td>
        <td><a href="#" data-history-table="${esc(r.table)}" data-history-check="${esc(r.check)}">${esc(r.check)}</a></td>
        <td>${esc(r.kind)}${r.column ? ` <span class="muted">${esc(r.column)}</span>` : ''}</td>
        <td>${esc(r.observed)}${r.message ? `<div class="hint">${esc(r.message)}</div>` : ''}</td>
        <td>${esc(r.expected)}</td><td>${esc(utc(r.checkedAt))}</td>
        <td>${r.blocking ? '<strong>blocking</strong>' : 'warning'}</td></tr>`).join('')}</tbody></table></div>`
      : `<p class="muted">No check has run yet${session.can('admin') ? ': run them now' : ''}.</p>`;
    box.innerHTML = `${summary}${table}<div id="check-history"></div>`;
    box.querySelector('#run-checks')?.addEventListener('click', async (event) => {
      event.target.disabled = true;
      event.target.textContent = 'Running…';
      try {
        await post('/api/v1/quality/run');
        if (!disposed) await loadChecks();
      } catch (error) {
        if (!disposed) box.insertAdjacentHTML('afterbegin', `<p class="notice error" role="alert">${esc(error.message)}</p>`);
        event.target.disabled = false;
      }
    });
    box.querySelectorAll('a[data-history-check]').forEach((link) => link.addEventListener('click', (event) => {
      event.preventDefault();
      loadHistory(link.dataset.historyTable, link.dataset.historyCheck).catch(fail('#check-history'));
    }));
  }

  async function loadHistory(table, check) {
    const page = await get(`/api/v1/quality/history${query({ table, check, size: 20 })}`);
    if (disposed) return;
    const items = page.items || [];
    root.querySelector('#check-history').innerHTML = `<h3>History of ${esc(table)}.${esc(check)}
      <span class="muted">(newest ${int(items.length)} of ${int(page.total)})</span></h3>
      <table><thead><tr><th>Checked (UTC)</th><th>Status</th><th>Observed</th><th>Expected</th><th>Version</th>
      <th>Run</th></tr></thead><tbody>${items.map((r) => `<tr><td>${esc(utc(r.checkedAt))}</td>
      <td><span class="badge ${STATUS_BADGE[r.status] || ''}">${esc(r.status)}</span></td><td>${esc(r.observed)}</td>
      <td>${esc(r.expected)}</td><td>v${esc(r.specVersion)}</td><td><code>${esc(r.runId)}</code></td></tr>`).join('')}
      </tbody></table>`;
  }

  async function loadQuarantine() {
    const entries = await get(`/api/v1/quarantine${query({ ...filters, limit: 1000 })}`);
    if (disposed) return;
    const byReason = new Map();
    entries.forEach((e) => byReason.set(`${e.rule}: ${e.reason}`, (byReason.get(`${e.rule}: ${e.reason}`) || 0) + 1));
    root.querySelector('#reasons').innerHTML = byReason.size ? `<p class="hint">By reason: ${[...byReason.entries()]
      .sort(([, a], [, b]) => b - a).slice(0, 8).map(([reason, n]) => `${esc(reason)} (${int(n)})`).join(' · ')}</p>` : '';
    root.querySelector('#quarantine').innerHTML = entries.length ? `<table><thead><tr><th>Quarantined (UTC)</th><th>Route</th>
      <th>Entity</th><th>Batch · record</th><th>Rule</th><th>Field</th><th>Value</th><th>Reason</th><th>Status</th></tr></thead>
      <tbody>${entries.map((e) => `<tr><td>${esc(utc(e.quarantinedAt))}</td><td>${esc(e.routeId)}</td><td>${esc(e.entity)}</td>
        <td><a href="#/quality${query({ batchId: e.batchId, status: filters.status })}" title="${esc(e.batchId)}">${esc(String(e.batchId).slice(0, 8))}</a> · ${esc(e.recordNo)}</td>
        <td>${esc(e.rule)}</td><td>${esc(e.field)}</td><td><code>${esc(e.value)}</code></td><td>${esc(e.reason)}</td>
        <td>${esc(e.status)}</td></tr>`).join('')}</tbody></table>` : `<p class="muted">No ${esc(filters.status)} quarantined records.</p>`;
  }

  const fail = (selector) => (error) => {
    if (!disposed) root.querySelector(selector).innerHTML = `<p class="notice error" role="alert">${esc(error.message)}</p>`;
  };
  loadReconciliation().catch(fail('#reconciliation'));
  loadChecks().catch(fail('#checks'));
  loadQuarantine().catch(fail('#quarantine'));
  return () => { disposed = true; };
}
