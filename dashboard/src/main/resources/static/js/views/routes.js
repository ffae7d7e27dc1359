// Routes (admin): list with status and counters, create/edit from the kind's option schema,
// validation with a dry run (sample records and the contract's outcome), start/stop, audit.
import { get, post, put, offers, ApiError } from '../api.js';
import { subscribe } from '../live.js';
import { int, num, utc, ago, esc } from '../format.js';

// The route administration contract this page is written against (see the lead's report).
const API = {
  list: '/api/v1/admin/routes',
  kinds: '/api/v1/admin/routes/kinds', // { "file-drop": [option names], ... }; the fallback below is used without it
  one: (id) => `/api/v1/admin/routes/${encodeURIComponent(id)}`,
  validate: '/api/v1/admin/routes/validate', // POST a definition -> DryRun
  action: (id, action) => `/api/v1/admin/routes/${encodeURIComponent(id)}/${action}`, // POST start | stop
  audit: (id) => `/api/v1/admin/routes/${encodeURIComponent(id)}/audit`,
};

// The allowlisted kinds and their options (RouteAdmin.options), for when the API does not list them.
const COMMON = ['zone', 'dateFormat', 'dateTimeFormat', 'columns', 'batchSize'];
const FALLBACK_KINDS = [
  { kind: 'file-drop', options: ['inbox', 'format', 'delimiter', 'encoding', 'header', 'sheet', 'pollDelayMs', 'readLockMinAgeMs', ...COMMON] },
  { kind: 'mqtt', options: ['brokerUrl', 'topicPattern', 'clientId', 'username', 'passwordSecret', 'sessionExpirySeconds', 'maxBatch', 'maxDelayMs', 'maxPending', ...COMMON] },
  { kind: 'jdbc', options: ['jdbcUrl', 'username', 'passwordSecret', 'table', 'cursorColumn', 'cursorType', 'keyColumn', 'pageSize', 'pollDelayMs', 'initialCursor', ...COMMON] },
  { kind: 'rest', options: ['url', 'method', 'cursorParam', 'pageSize', 'pollDelayMs', 'tokenSecret', ...COMMON] },
];
const REQUIRED = { 'file-drop': ['inbox'], mqtt: ['brokerUrl', 'topicPattern'], jdbc: ['jdbcUrl', 'table', 'cursorColumn'], rest: ['url'] };
const ENTITIES = ['sales-order-lines', 'purchase-order-lines', 'receipts', 'iot-readings', 'products', 'locations', 'suppliers'];
const DRIFT = ['ACCEPT_AND_FLAG', 'QUARANTINE', 'STOP'];
const CHOICES = { format: ['', 'auto', 'csv', 'xlsx'], header: ['', 'true', 'false'], cursorType: ['', 'timestamp', 'number'] };

/** How an option is typed into the form: secrets are names of secrets, never values. */
function optionInput(name, value, required) {
  const id = `option-${name}`;
  const attrs = `id="${id}" name="option:${name}" ${required ? 'required' : ''}`;
  if (CHOICES[name]) {
    return `<label for="${id}">${esc(name)}${required ? ' *' : ''}<select ${attrs}>${CHOICES[name].map((c) =>
      `<option value="${c}"${c === (value ?? '') ? ' selected' : ''}>${c || '(default)'}</option>`).join('')}</select></label>`;
  }
  const numeric = /(Ms|Seconds|Size|maxBatch|maxPending)$/.test(name);
  const hint = name.endsWith('Secret') ? 'name of a secret, not its value' : '';
  return `<label for="${id}">${esc(name)}${required ? ' *' : ''}${hint ? ` <span class="hint">(${hint})</span>` : ''}
    <input ${attrs} ${numeric ? 'type="number" min="0"' : ''} value="${esc(value ?? '')}" autocomplete="off"></label>`;
}

export function mount(root) {
  root.innerHTML = '<h1>Routes</h1><div id="body"><p class="muted">Loading…</p></div>';
  let disposed = false;
  let kinds = FALLBACK_KINDS;
  let stopLive = null;
  let lastRefresh = 0;
  let refreshTimer = null;
  let poller = null;

  async function start() {
    if (!(await offers(API.list))) {
      root.querySelector('#body').innerHTML = `<p class="notice" role="status">Route administration is not available:
        the API has no <code>${API.list}</code> endpoint yet. Routes defined in configuration still run; their
        counters are on the <a href="#/overview">overview</a> and in <a href="#/quality">data quality</a>.</p>`;
      return;
    }
    if (await offers(API.kinds)) {
      const listed = await get(API.kinds).catch(() => null);
      if (listed && !Array.isArray(listed)) kinds = Object.entries(listed).map(([kind, options]) => ({ kind, options }));
    }
    if (disposed) return;
    root.querySelector('#body').innerHTML = `
      <section class="panel" style="margin-bottom:12px"><h2>Routes</h2>
        <p><button type="button" class="primary" id="new-route">New route</button></p>
        <div class="table-wrap" id="routes"></div></section>
      <section class="panel" id="editor" hidden></section>
      <section class="panel" id="audit" hidden style="margin-top:12px"></section>`;
    root.querySelector('#new-route').addEventListener('click', () => edit(null));
    await loadList();
    // Counters move while routes run: the live pipeline event says when; refresh at most every 2 s,
    // and always once after the last event (dropping it would leave the final counts unshown). A slow
    // poll backs the live events up: a route's counters must not stay stale when an event is missed
    // (seen in a browser test) or a proxy holds the event stream back.
    const refreshSoon = () => {
      if (refreshTimer) return;
      refreshTimer = setTimeout(() => {
        refreshTimer = null;
        lastRefresh = Date.now();
        loadList().catch(() => {});
      }, Math.max(0, 2000 - (Date.now() - lastRefresh)));
    };
    if (disposed) return;
    stopLive = subscribe('pipeline', refreshSoon);
    poller = setInterval(() => {
      if (document.visibilityState === 'visible' && Date.now() - lastRefresh >= 10000) refreshSoon();
    }, 5000);
  }

  async function loadList() {
    const [routes, pipeline] = await Promise.all([get(API.list), get('/api/v1/pipeline')]);
    if (disposed) return;
    const counters = new Map(pipeline.counters.map((c) => [c.routeId, c]));
    const box = root.querySelector('#routes');
    if (!routes.length) {
      box.innerHTML = '<p class="muted">No routes yet.</p>';
      return;
    }
    box.innerHTML = `<table><thead><tr><th>Route</th><th>Kind</th><th>Entity</th><th>Status</th>
      <th class="num">Received</th><th class="num">Cleaned</th><th class="num">Quarantined</th><th class="num">Records/s</th>
      <th>Last received</th><th>Changed by</th><th>Actions</th></tr></thead><tbody>${routes.map((r) => {
        const d = r.definition;
        const c = counters.get(d.id) || {};
        const running = r.desiredState === 'started';
        return `<tr data-route="${esc(d.id)}"><td>${esc(d.id)}</td><td>${esc(kindName(d.kind))}</td><td>${esc(entityName(d.entity))}</td>
          <td><span class="badge ${running ? 'ok' : ''}" title="desired: ${esc(r.desiredState)}">${esc(r.status)}</span></td>
          <td class="num" data-counter="received">${int(c.received ?? 0)}</td><td class="num" data-counter="cleaned">${int(c.cleaned ?? 0)}</td>
          <td class="num">${int(c.quarantined ?? 0)}</td><td class="num">${num(c.recordsPerSecondLast5Minutes ?? 0)}</td>
          <td>${esc(ago(c.lastReceivedAt))}</td><td class="wrap">${esc(r.updatedBy)}<br><span class="hint">${esc(utc(r.updatedAt))}</span></td>
          <td><button type="button" data-action="${running ? 'stop' : 'start'}">${running ? 'Stop' : 'Start'}</button>
            <button type="button" data-action="edit">Edit</button> <button type="button" data-action="audit">Audit</button></td></tr>`;
      }).join('')}</tbody></table>`;
    box.querySelectorAll('button[data-action]').forEach((button) => button.addEventListener('click', () => {
      const id = button.closest('tr').dataset.route;
      const route = routes.find((r) => r.definition.id === id);
      ({ start: () => act(id, 'start', button), stop: () => act(id, 'stop', button), edit: () => edit(route),
        audit: () => audit(id) })[button.dataset.action]();
    }));
  }

  async function act(id, action, button) {
    button.disabled = true;
    try {
      await post(API.action(id, action));
      await loadList();
    } catch (error) {
      button.disabled = false;
      button.insertAdjacentHTML('afterend', `<span class="notice error" role="alert">${esc(error.message)}</span>`);
    }
  }

  function edit(route) {
    const d = route?.definition;
    const editor = root.querySelector('#editor');
    editor.hidden = false;
    const kind = kindName(d?.kind) || 'file-drop';
    editor.innerHTML = `<h2>${d ? `Edit route ${esc(d.id)}` : 'New route'}</h2>
      <form id="route-form" aria-label="Route definition">
        <div class="form-grid">
          <label>Route id * <input name="id" required pattern="[a-z0-9][a-z0-9._\\-]{0,63}" title="1-64 characters: a-z, 0-9, '.', '_', '-'" value="${esc(d?.id || '')}" ${d ? 'readonly' : ''}></label>
          <label>Kind * <select name="kind" ${d ? 'disabled' : ''}>${kinds.map((k) =>
            `<option${k.kind === kind ? ' selected' : ''}>${esc(k.kind)}</option>`).join('')}</select></label>
          <label>Entity * <select name="entity">${ENTITIES.map((e) =>
            `<option${e === entityName(d?.entity) ? ' selected' : ''}>${e}</option>`).join('')}</select></label>
          <label>Drift policy <select name="driftPolicy">${DRIFT.map((p) =>
            `<option${p === (d?.driftPolicy || 'ACCEPT_AND_FLAG') ? ' selected' : ''}>${p}</option>`).join('')}</select></label>
        </div>
        <fieldset><legend>Options of the kind</legend><div class="form-grid" id="options"></div></fieldset>
        <p><button type="button" id="validate">Validate (dry run)</button>
          <button type="submit" class="primary">${d ? 'Save' : 'Create'}</button>
          <button type="button" id="cancel">Cancel</button> <span id="save-result" role="status"></span></p>
      </form>
      <div id="dry-run" aria-live="polite"></div>`;
    const form = editor.querySelector('#route-form');
    const showOptions = (name) => {
      const schema = kinds.find((k) => k.kind === name) || { options: [] };
      editor.querySelector('#options').innerHTML = schema.options.map((option) =>
        optionInput(option, d?.options?.[option], (REQUIRED[name] || []).includes(option))).join('');
    };
    showOptions(kind);
    form.kind.addEventListener('change', () => showOptions(form.kind.value));
    editor.querySelector('#cancel').addEventListener('click', () => { editor.hidden = true; });
    editor.querySelector('#validate').addEventListener('click', () => validate(definition(form, kind)));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const result = editor.querySelector('#save-result');
      try {
        const body = definition(form, kind);
        if (d) await put(API.one(d.id), body);
        else await post(API.list, body);
        result.className = 'notice success';
        result.textContent = d ? 'Saved.' : `Created route ${body.id} (stopped; start it from the list).`;
        await loadList();
      } catch (error) {
        result.className = 'notice error';
        result.textContent = error instanceof ApiError ? error.message : 'could not save';
      }
    });
    editor.scrollIntoView({ block: 'nearest' });
  }

  function definition(form, fixedKind) {
    const data = new FormData(form);
    const options = {};
    for (const [key, value] of data.entries()) {
      if (key.startsWith('option:') && String(value).trim() !== '') options[key.slice(7)] = String(value).trim();
    }
    return { id: data.get('id'), kind: form.kind.disabled ? fixedKind : data.get('kind'), entity: data.get('entity'),
      driftPolicy: data.get('driftPolicy'), options };
  }

  async function validate(body) {
    const box = root.querySelector('#dry-run');
    box.innerHTML = '<p class="muted">Validating…</p>';
    try {
      const dry = await post(API.validate, body);
      const p = dry.preview;
      box.innerHTML = `<h2>Dry run</h2>
        <p>${dry.valid ? '<span class="badge ok">definition valid</span>' : '<span class="badge danger">definition invalid</span>'}
          ${dry.connected ? '<span class="badge ok">source reached</span>' : '<span class="badge warn">source not reached</span>'}
          ${dry.sampleSource ? `<span class="hint">sample from ${esc(dry.sampleSource)}</span>` : ''}</p>
        ${dry.problems?.length ? `<ul>${dry.problems.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : ''}
        ${dry.error ? `<p class="notice error">${esc(dry.error)}</p>` : ''}
        ${p ? `<p>Contract ${esc(p.contract)}: ${int(p.records)} records → <strong>${int(p.valid)} valid</strong>,
            ${int(p.quarantined)} quarantined, ${int(p.duplicates)} duplicates.</p>
          ${p.drift?.length ? `<h3>Drift against the contract</h3><ul>${p.drift.map((f) =>
            `<li>${esc(String(f.change || '').replace(/-/g, ' '))} <code>${esc(f.column)}</code>${f.detail ? ` — ${esc(f.detail)}` : ''}</li>`).join('')}</ul>` : ''}
          ${p.problems?.length ? `<h3>Refusals</h3><ul>${p.problems.slice(0, 20).map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : ''}
          ${p.typed?.length ? `<h3>Sample as the cleaned layer gets it</h3><div class="table-wrap">${sampleTable(p.typed)}</div>` : ''}` : ''}`;
    } catch (error) {
      box.innerHTML = `<p class="notice error" role="alert">${esc(error.message)}</p>`;
    }
  }

  async function audit(id) {
    const box = root.querySelector('#audit');
    box.hidden = false;
    box.innerHTML = `<h2>Audit of ${esc(id)}</h2><p class="muted">Loading…</p>`;
    try {
      const entries = await get(API.audit(id));
      box.innerHTML = `<h2>Audit of ${esc(id)}</h2>${entries.length ? `<table><thead><tr><th>When (UTC)</th><th>Who</th>
        <th>Action</th><th>Changes</th></tr></thead><tbody>${entries.map((e) => `<tr><td>${esc(utc(e.at))}</td><td>${esc(e.actor)}</td>
        <td>${esc(e.action)}</td><td style="white-space:normal">${esc(e.changes)}</td></tr>`).join('')}</tbody></table>`
        : '<p class="muted">No changes recorded.</p>'}`;
    } catch (error) {
      box.innerHTML = `<p class="notice error" role="alert">${esc(error.message)}</p>`;
    }
  }

  start().catch((error) => { root.querySelector('#body').innerHTML = `<p class="notice error" role="alert">${esc(error.message)}</p>`; });
  return () => { disposed = true; clearTimeout(refreshTimer); clearInterval(poller); stopLive?.(); };
}

// Kinds and entities may arrive as wire names ("file-drop") or enum names ("FILE_DROP").
function kindName(kind) {
  return kind ? String(kind).toLowerCase().replace(/_/g, '-') : kind;
}
function entityName(entity) {
  return entity ? String(entity).toLowerCase().replace(/_/g, '-') : entity;
}

function sampleTable(rows) {
  const columns = Object.keys(rows[0]);
  return `<table><thead><tr>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows.slice(0, 10)
    .map((row) => `<tr>${columns.map((c) => `<td>${esc(row[c])}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}
