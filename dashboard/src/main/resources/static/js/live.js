// The page's one live connection to /api/v1/stream. Views subscribe to event types; the connection
// is closed whenever the page is hidden or left (so no tab keeps a connection open for hours) and
// reopened, resuming from the last event id, when the page is visible again.

const listeners = new Map(); // event type -> Set of callbacks
const statusListeners = new Set();
let source = null;
let lastEventId = null;
let retryTimer = null;
let retryDelay = 1000;
let state = 'closed';

const TYPES = ['pipeline', 'anomalies', 'run', 'demand', 'reset'];

function setState(next) {
  state = next;
  statusListeners.forEach((listener) => listener(state));
}

function dispatch(type, event) {
  if (event.lastEventId) lastEventId = event.lastEventId;
  let data = null;
  try { data = JSON.parse(event.data); } catch { data = event.data; }
  listeners.get(type)?.forEach((listener) => listener(data));
}

function open() {
  if (source || document.visibilityState === 'hidden') return;
  // EventSource resumes with Last-Event-ID only on its own reconnects; a connection we reopen
  // starts from "now", so views reload their current state whenever the status becomes 'open'.
  source = new EventSource('/api/v1/stream', { withCredentials: true });
  setState('connecting');
  source.onopen = () => { retryDelay = 1000; setState('open'); };
  source.onerror = () => {
    // The browser retries by itself while the server is reachable; when it gave up (CLOSED) we
    // retry with backoff, never more than one connection at a time.
    if (source && source.readyState === EventSource.CLOSED) {
      close();
      setState('reconnecting');
      retryTimer = setTimeout(reconnectIfSignedIn, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    } else {
      setState('reconnecting');
    }
  };
  TYPES.forEach((type) => source.addEventListener(type, (event) => dispatch(type, event)));
}

/** A stream refused for good is usually an ended session: then sign in again instead of retrying. */
async function reconnectIfSignedIn() {
  const response = await fetch('/dashboard/session', { headers: { Accept: 'application/json' } }).catch(() => null);
  if (response && response.status === 401) {
    window.location.assign('/login');
    return;
  }
  open();
}

function close() {
  clearTimeout(retryTimer);
  retryTimer = null;
  if (source) {
    source.close();
    source = null;
  }
  setState('closed');
}

/** Subscribes to one event type; returns the unsubscribe function. Opens the connection on demand. */
export function subscribe(type, listener) {
  if (!listeners.has(type)) listeners.set(type, new Set());
  listeners.get(type).add(listener);
  open();
  return () => listeners.get(type)?.delete(listener);
}

/** Calls the listener with 'connecting' | 'open' | 'reconnecting' | 'closed' now and on every change. */
export function onStatus(listener) {
  statusListeners.add(listener);
  listener(state);
  return () => statusListeners.delete(listener);
}

export function liveState() {
  return { state, lastEventId, open: source !== null };
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') close();
  else if ([...listeners.values()].some((set) => set.size > 0)) open();
});
window.addEventListener('pagehide', close);
window.addEventListener('pageshow', (event) => {
  if (event.persisted && [...listeners.values()].some((set) => set.size > 0)) open();
});
