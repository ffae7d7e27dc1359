// API tokens (admin): read-only tokens for Power BI and other machines. Issuing shows the secret once
// (only its hash is stored); the list shows name, owner, created, last used; revoking ends it at once.
import { get, post, del } from '../api.js';
import { utc, ago, esc } from '../format.js';
import { problemText } from './users.js';

const API = '/api/v1/admin/tokens';

export function mount(root) {
  root.innerHTML = `
    <h1>API tokens</h1>
    <form class="panel" id="new-token" aria-labelledby="new-token-title" style="margin-bottom:12px" autocomplete="off">
      <h2 id="new-token-title">Issue a token</h2>
      <p class="hint">Tokens only read (GET) the data endpoints and OData feed, with their user's role; they never change anything.</p>
      <div class="form-grid">
        <label>Name <input name="name" required maxlength="80" placeholder="e.g. Power BI finance" autocomplete="off"></label>
        <label>For user <select name="username" required><option value="">Loading users…</option></select></label>
      </div>
      <button type="submit" class="primary">Issue token</button> <span id="issue-result" role="status"></span>
    </form>
    <section class="panel" id="secret" hidden aria-live="assertive"></section>
    <section class="panel" aria-labelledby="tokens-title"><h2 id="tokens-title">Tokens</h2>
      <div class="table-wrap" id="tokens"><p class="muted">Loading…</p></div>
      <p id="row-result" role="status"></p></section>`;
  let disposed = false;
  const form = root.querySelector('#new-token');

  async function loadUsers() {
    const users = await get('/api/v1/admin/users');
    if (disposed) return;
    form.username.innerHTML = users.filter((u) => u.enabled).map((u) =>
      `<option value="${esc(u.username)}">${esc(u.username)} (${esc(u.roles.join(', '))})</option>`).join('');
  }

  async function load() {
    const tokens = await get(API);
    if (disposed) return;
    const box = root.querySelector('#tokens');
    if (!tokens.length) {
      box.innerHTML = '<p class="muted">No tokens issued yet.</p>';
      return;
    }
    // Active first, newest first; revoked ones stay listed for the record.
    tokens.sort((a, b) => Number(a.revoked) - Number(b.revoked) || String(b.createdAt).localeCompare(String(a.createdAt)));
    box.innerHTML = `<table><thead><tr><th scope="col">Name</th><th scope="col">User</th><th scope="col">Created (UTC)</th>
      <th scope="col">Last used</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead><tbody>${tokens.map((t) => `
      <tr data-token="${esc(t.id)}" data-name="${esc(t.name)}"><th scope="row">${esc(t.name)}</th><td>${esc(t.username)}</td>
        <td>${esc(utc(t.createdAt))} <span class="hint">by ${esc(t.createdBy)}</span></td>
        <td data-last-used>${t.lastUsedAt ? `<span title="${esc(utc(t.lastUsedAt))}">${esc(ago(t.lastUsedAt))}</span>`
          : '<span class="hint" title="Tracked since the application last started">not since restart</span>'}</td>
        <td>${t.revoked ? `<span class="badge danger">revoked</span> <span class="hint">${esc(utc(t.revokedAt))}</span>`
          : '<span class="badge ok">active</span>'}</td>
        <td>${t.revoked ? '' : `<button type="button" data-action="revoke" aria-label="Revoke token ${esc(t.name)} of ${esc(t.username)}">Revoke</button>`}</td>
      </tr>`).join('')}</tbody></table>`;
    box.querySelectorAll('button[data-action=revoke]').forEach((button) => button.addEventListener('click', () =>
      revoke(button)));
  }

  async function revoke(button) {
    const row = button.closest('tr');
    const result = root.querySelector('#row-result');
    if (button.dataset.confirm !== 'yes') {
      // A second click confirms: revoking cannot be undone, the machine using it needs a new token.
      button.dataset.confirm = 'yes';
      button.textContent = 'Confirm revoke';
      button.classList.add('primary');
      return;
    }
    button.disabled = true;
    try {
      await del(`${API}/${encodeURIComponent(row.dataset.token)}`);
      result.className = 'notice success';
      result.textContent = `Token “${row.dataset.name}” revoked.`;
      await load();
    } catch (error) {
      button.disabled = false;
      result.className = 'notice error';
      result.textContent = problemText(error);
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = root.querySelector('#issue-result');
    try {
      const issued = await post(API, { username: form.username.value, name: form.name.value.trim() });
      result.className = '';
      result.textContent = '';
      showSecret(issued);
      form.name.value = '';
      await load();
    } catch (error) {
      result.className = 'notice error';
      result.textContent = problemText(error);
    }
  });

  /** The secret, once: it is not stored and cannot be shown again. Hidden again when the page is left. */
  function showSecret(issued) {
    const box = root.querySelector('#secret');
    box.hidden = false;
    box.innerHTML = `<h2>Token “${esc(issued.name)}” for ${esc(issued.username)}</h2>
      <p class="notice" role="alert">Copy it now: this is the only time it is shown. Only its hash is stored.</p>
      <div class="secret"><code id="token-value">${esc(issued.token)}</code>
        <button type="button" id="copy-token">Copy</button> <button type="button" id="hide-token">Done, hide it</button>
        <span id="copy-result" role="status"></span></div>
      <p class="hint">Use it as <code>Authorization: Bearer …</code> or <code>X-API-Key: …</code>; in Power BI's OData feed:
        <code>${esc(window.location.origin)}/odata/v4</code>.</p>`;
    box.querySelector('#copy-token').addEventListener('click', async () => {
      const status = box.querySelector('#copy-result');
      try {
        await navigator.clipboard.writeText(issued.token);
        status.textContent = 'Copied.';
      } catch {
        // No clipboard permission (plain HTTP, headless): select it for Ctrl+C instead.
        window.getSelection().selectAllChildren(box.querySelector('#token-value'));
        status.textContent = 'Selected: press Ctrl+C.';
      }
    });
    box.querySelector('#hide-token').addEventListener('click', () => { box.hidden = true; box.innerHTML = ''; });
  }

  loadUsers().catch((error) => {
    if (!disposed) root.querySelector('#issue-result').textContent = problemText(error);
  });
  load().catch((error) => {
    if (!disposed) root.querySelector('#tokens').innerHTML = `<p class="notice error" role="alert">${esc(problemText(error))}</p>`;
  });
  return () => { disposed = true; };
}
