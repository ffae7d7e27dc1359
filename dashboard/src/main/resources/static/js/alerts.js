// The alerts banner on every page: GET /api/v1/alerts (rules breached now), polled every 30 s while the
// page is visible. Until the API offers the endpoint the banner stays empty and silent: the path is
// checked in the OpenAPI document first, because a 404 would be a console error on every page.
import { get, offers } from './api.js';
import { esc, num, utc } from './format.js';

const PATH = '/api/v1/alerts';
const POLL_MS = 30000;
const SEVERITY = { critical: 3, error: 3, warning: 2, warn: 2, info: 1 };
const dismissed = new Set(JSON.parse(sessionStorage.getItem('refinery:dismissed-alerts') || '[]'));

let timer = null;
let shown = '';

/** Starts polling into `container` (the #alerts section of index.html); safe to call once per page. */
export function startAlerts(container) {
  // A second after the first view started: the banner must not compete with the first chart's requests.
  setTimeout(() => {
    offers(PATH).then((available) => {
      if (!available) return;
      const poll = () => {
        clearTimeout(timer);
        timer = null;
        if (document.visibilityState === 'hidden') return;
        get(PATH).then((alerts) => render(container, Array.isArray(alerts) ? alerts : []))
          .catch(() => render(container, [])) // an alerting outage must not break the page
          .finally(() => { timer = setTimeout(poll, POLL_MS); });
      };
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible' && !timer) poll();
      });
      poll();
    });
  }, 1000);
}

const keyOf = (alert) => `${alert.id}@${alert.since}`;

function render(container, alerts) {
  const visible = alerts.filter((alert) => !dismissed.has(keyOf(alert)))
    .sort((a, b) => (SEVERITY[String(b.severity).toLowerCase()] || 0) - (SEVERITY[String(a.severity).toLowerCase()] || 0));
  const html = visible.map((alert) => {
    const severity = String(alert.severity || 'info').toLowerCase();
    const level = SEVERITY[severity] >= 3 ? 'danger' : SEVERITY[severity] === 2 ? 'warn' : 'info';
    const measured = alert.value !== undefined && alert.value !== null
      ? ` · value ${esc(typeof alert.value === 'number' ? num(alert.value) : alert.value)}${alert.threshold !== undefined
        && alert.threshold !== null ? ` (threshold ${esc(typeof alert.threshold === 'number' ? num(alert.threshold) : alert.threshold)})` : ''}`
      : '';
    return `<div class="alert ${level}" data-alert="${esc(alert.id)}" data-severity="${esc(severity)}">
      <span class="badge ${level}">${esc(severity)}</span>
      <strong>${esc(alert.rule)}</strong>: ${esc(alert.message)}
      <span class="hint">since ${esc(utc(alert.since))}${measured}</span>
      <button type="button" class="link dismiss" data-key="${esc(keyOf(alert))}"
        aria-label="Dismiss alert ${esc(alert.rule)} for this session">Dismiss</button></div>`;
  }).join('');
  if (html === shown) return; // unchanged: no DOM churn, no repeated screen-reader announcement
  shown = html;
  container.hidden = visible.length === 0;
  container.setAttribute('role', visible.some((a) => SEVERITY[String(a.severity).toLowerCase()] >= 3) ? 'alert' : 'status');
  container.innerHTML = html;
  container.querySelectorAll('button.dismiss').forEach((button) => button.addEventListener('click', () => {
    dismissed.add(button.dataset.key);
    sessionStorage.setItem('refinery:dismissed-alerts', JSON.stringify([...dismissed].slice(-200)));
    render(container, alerts);
  }));
}
