// Users (admin): who may sign in and with which role; create, change role, disable/enable, reset a
// password. Accounts are never deleted (the audit columns name them): disabling ends their access,
// their API tokens included. The API enforces the admin role; this page only follows it.
import { get, post, put, ApiError } from '../api.js';
import { utc, esc } from '../format.js';

const API = '/api/v1/admin/users';
const ROLES = ['viewer', 'planner', 'admin'];
const RANK = { viewer: 1, planner: 2, admin: 3 };
const highest = (roles) => roles.reduce((best, role) => ((RANK[role] || 0) > (RANK[best] || 0) ? role : best), 'viewer');

/** The API's problem as text, with the fields it names. */
export function problemText(error) {
  if (!(error instanceof ApiError)) return error.message;
  const fields = error.problem?.errors?.map((e) => `${e.field}: ${e.message}`) || [];
  return fields.length ? fields.join('; ') : error.message;
}

export function mount(root, { session }) {
  root.innerHTML = `
    <h1>Users</h1>
    <form class="panel" id="new-user" aria-labelledby="new-user-title" style="margin-bottom:12px" autocomplete="off">
      <h2 id="new-user-title">Create a user</h2>
      <div class="form-grid">
        <label>User name <input name="username" required pattern="[a-z0-9][a-z0-9._\\-]{2,63}"
          title="3-64 characters: a-z, 0-9, '.', '_', '-'" autocomplete="off"></label>
        <label>Initial password (12+ characters) <input name="password" type="password" required minlength="12"
          maxlength="128" autocomplete="new-password"></label>
        <label>Role <select name="role">${ROLES.map((r) => `<option${r === 'viewer' ? ' selected' : ''}>${r}</option>`).join('')}</select></label>
      </div>
      <button type="submit" class="primary">Create user</button> <span id="create-result" role="status"></span>
    </form>
    <section class="panel" aria-labelledby="users-title"><h2 id="users-title">All users</h2>
      <p class="hint">Roles: viewer reads, planner also runs forecasts and overrides, admin also manages routes, users and tokens.
        Disabling a user ends their access and their API tokens' at once.</p>
      <div class="table-wrap" id="users"><p class="muted">Loading…</p></div>
      <p id="row-result" role="status"></p></section>`;
  let disposed = false;

  async function load() {
    const users = await get(API);
    if (disposed) return;
    const box = root.querySelector('#users');
    box.innerHTML = `<table><thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">Status</th>
      <th scope="col">Changed (UTC)</th><th scope="col">Actions</th></tr></thead><tbody>${users.map((u) => {
        const role = highest(u.roles);
        const self = u.username === session.username;
        return `<tr data-user="${esc(u.username)}"><th scope="row">${esc(u.username)}${self ? ' <span class="hint">(you)</span>' : ''}</th>
          <td><select class="role" aria-label="Role of ${esc(u.username)}" ${self ? 'disabled title="You cannot change your own role"' : ''}>
            ${ROLES.map((r) => `<option${r === role ? ' selected' : ''}>${r}</option>`).join('')}</select></td>
          <td><span class="badge ${u.enabled ? 'ok' : 'danger'}" data-enabled="${u.enabled}">${u.enabled ? 'enabled' : 'disabled'}</span></td>
          <td>${esc(utc(u.updatedAt))} <span class="hint">by ${esc(u.updatedBy)}</span></td>
          <td>${self ? '' : `<button type="button" data-action="${u.enabled ? 'disable' : 'enable'}">${u.enabled ? 'Disable' : 'Enable'}</button>`}
            <button type="button" data-action="password">Reset password</button></td></tr>`;
      }).join('')}</tbody></table>`;
    box.querySelectorAll('select.role').forEach((select) => select.addEventListener('change', () =>
      act(select, () => put(`${API}/${encodeURIComponent(userOf(select))}/roles`, { roles: [select.value] }),
        `Role of ${userOf(select)} is now ${select.value}.`)));
    box.querySelectorAll('button[data-action]').forEach((button) => button.addEventListener('click', () => {
      const username = userOf(button);
      if (button.dataset.action === 'password') {
        passwordForm(button.closest('tr'), username);
        return;
      }
      act(button, () => post(`${API}/${encodeURIComponent(username)}/${button.dataset.action}`),
        `${username} is ${button.dataset.action}d.`);
    }));
  }

  const userOf = (element) => element.closest('tr').dataset.user;

  async function act(control, call, done) {
    const result = root.querySelector('#row-result');
    control.disabled = true;
    try {
      await call();
      result.className = 'notice success';
      result.textContent = done;
      await load();
    } catch (error) {
      control.disabled = false;
      result.className = 'notice error';
      result.textContent = problemText(error);
      await load().catch(() => {}); // show the state the server kept
    }
  }

  function passwordForm(row, username) {
    if (row.nextElementSibling?.classList.contains('password-row')) return;
    row.insertAdjacentHTML('afterend', `<tr class="password-row"><td colspan="5">
      <form class="inline" aria-label="New password for ${esc(username)}">
        <label>New password for ${esc(username)} (12+ characters)
          <input name="password" type="password" required minlength="12" maxlength="128" autocomplete="new-password"></label>
        <button type="submit" class="primary">Set password</button> <button type="button" class="cancel">Cancel</button>
      </form></td></tr>`);
    const form = row.nextElementSibling.querySelector('form');
    form.password.focus();
    form.querySelector('.cancel').addEventListener('click', () => form.closest('tr').remove());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      act(form.querySelector('button[type=submit]'), () => post(`${API}/${encodeURIComponent(username)}/password`,
        { password: form.password.value }), `New password set for ${username}.`);
    });
  }

  const form = root.querySelector('#new-user');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = root.querySelector('#create-result');
    const username = form.username.value.trim();
    try {
      await post(API, { username, password: form.password.value, roles: [form.role.value] });
      result.className = 'notice success';
      result.textContent = `Created ${username} (${form.role.value}).`;
      form.reset();
      await load();
    } catch (error) {
      result.className = 'notice error';
      result.textContent = problemText(error);
    }
  });

  load().catch((error) => {
    if (!disposed) root.querySelector('#users').innerHTML = `<p class="notice error" role="alert">${esc(problemText(error))}</p>`;
  });
  return () => { disposed = true; };
}
