// The dashboard shell: who is signed in, the navigation by role, and one view at a time (hash routes).
import { loadSession, signOut } from './session.js';
import { onStatus } from './live.js';
import { startAlerts } from './alerts.js';
import { esc } from './format.js';

performance.mark('refinery:app-start');

const VIEWS = {
  overview: { load: () => import('./views/overview.js'), title: 'Overview' },
  demand: { load: () => import('./views/demand.js'), title: 'Demand explorer' },
  runs: { load: () => import('./views/runs.js'), title: 'Forecast runs' },
  anomalies: { load: () => import('./views/anomalies.js'), title: 'Lead-time anomalies' },
  quality: { load: () => import('./views/quality.js'), title: 'Data quality' },
  routes: { load: () => import('./views/routes.js'), title: 'Routes', role: 'admin' },
  users: { load: () => import('./views/users.js'), title: 'Users', role: 'admin' },
  tokens: { load: () => import('./views/tokens.js'), title: 'API tokens', role: 'admin' },
};

const main = document.getElementById('main');
let session;
let unmount = null;
let navigation = 0;

/** "#/demand?sku=A" -> { name: 'demand', path: [], params: URLSearchParams } */
function parseHash() {
  const [path, search] = (window.location.hash.replace(/^#\/?/, '') || 'overview').split('?');
  const [name, ...rest] = path.split('/');
  return { name, path: rest.map(decodeURIComponent), params: new URLSearchParams(search || '') };
}

/** The view's module, loading while the session is still being read (the role check waits for both). */
let firstModule = null;

async function show() {
  const route = parseHash();
  const current = ++navigation;
  if (unmount) {
    unmount();
    unmount = null;
  }
  const view = VIEWS[route.name];
  document.querySelectorAll('#nav a').forEach((link) => {
    if (link.dataset.view === route.name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  });
  if (!view) {
    main.innerHTML = `<h1>Not found</h1><p>There is no page “${esc(route.name)}”. <a href="#/overview">Overview</a></p>`;
    return;
  }
  document.title = `${view.title} · Refinery`;
  if (view.role && !session.can(view.role)) {
    main.innerHTML = `<h1>${esc(view.title)}</h1>
      <p class="notice" role="alert">This page needs the ${esc(view.role)} role; you are signed in as ${esc(session.role)}.</p>`;
    return;
  }
  let module;
  try {
    module = await (firstModule?.name === route.name ? firstModule.module : view.load());
    firstModule = null;
    performance.mark('refinery:view-loaded');
  } catch (error) {
    main.innerHTML = `<p class="notice error" role="alert">The page could not be loaded (${esc(error.message)}).
      <a href="">Reload</a></p>`;
    return;
  }
  if (current !== navigation) return; // the user moved on while the module loaded
  main.innerHTML = '';
  unmount = module.mount(main, { session, route, navigate: (hash) => { window.location.hash = hash; } }) || null;
}

function showLiveStatus() {
  const badge = document.getElementById('live');
  onStatus((state) => {
    badge.textContent = { open: 'live', connecting: 'connecting…', reconnecting: 'reconnecting…', closed: 'not live' }[state];
    badge.dataset.state = state;
  });
}

/** "Times: UTC", and in its tooltip the browser's own zone, so nobody mistakes UTC days for local ones. */
function showTimezone() {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const minutes = -new Date().getTimezoneOffset();
  const offset = `UTC${minutes >= 0 ? '+' : '−'}${String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0')}:${String(Math.abs(minutes) % 60).padStart(2, '0')}`;
  const tz = document.getElementById('tz');
  tz.title = `All times, days and periods are UTC. Your browser's time zone: ${zone} (${offset}).`;
  tz.setAttribute('aria-label', `All times are UTC; your browser's time zone is ${zone}, ${offset}`);
}

async function start() {
  const initial = parseHash();
  if (VIEWS[initial.name]) {
    const module = VIEWS[initial.name].load();
    module.catch(() => {}); // show() reports a module that failed to load
    firstModule = { name: initial.name, module };
  }
  showTimezone();
  try {
    session = await loadSession();
    performance.mark('refinery:session');
  } catch (error) {
    main.innerHTML = `<p class="notice" role="alert">Could not load your session: ${esc(error.message)}</p>`;
    return;
  }
  document.getElementById('user').textContent = `${session.username} (${session.role})`;
  document.querySelectorAll('[data-role]').forEach((element) => {
    element.hidden = !session.can(element.dataset.role);
  });
  document.getElementById('sign-out').addEventListener('click', signOut);
  showLiveStatus();
  window.addEventListener('hashchange', show);
  await show();
  // After the first view: the banner's requests must not compete with the first chart's.
  startAlerts(document.getElementById('alerts'));
}

start();
