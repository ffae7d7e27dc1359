// Formatting: all data is UTC, and the dashboard says so rather than converting silently.

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const integerFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export const num = (value) => (value === null || value === undefined || Number.isNaN(value) ? '–'
  : numberFormat.format(value));
export const int = (value) => (value === null || value === undefined ? '–' : integerFormat.format(value));
export const pct = (value, digits = 1) => (value === null || value === undefined || !Number.isFinite(value) ? '–'
  : `${value.toFixed(digits)} %`);

/** "2025-03-04 12:30 UTC" from an ISO instant. */
export function utc(instant) {
  if (!instant) return '–';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return String(instant);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "3 min ago" from an ISO instant, for freshness. */
export function ago(instant) {
  if (!instant) return 'never';
  const seconds = Math.max(0, (Date.now() - new Date(instant).getTime()) / 1000);
  if (seconds < 90) return `${Math.round(seconds)} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}

/** Today's date in UTC as yyyy-MM-dd, shifted by `days`. */
export function utcDay(days = 0) {
  const date = new Date(Date.now() + days * 86400000);
  return date.toISOString().slice(0, 10);
}

/** "yyyy-MM-dd" shifted by `days` (UTC calendar days). */
export function shiftDay(day, days) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86400000).toISOString().slice(0, 10);
}

/** Escapes text for innerHTML templates. */
export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;',
    "'": '&#39;' }[ch]));
}

/**
 * Calls `fn` at most once per `ms`, the last call of a burst included (live events can arrive
 * every half second; reloading a chart that often helps no one).
 */
export function throttle(fn, ms) {
  let last = 0;
  let timer = null;
  const throttled = () => {
    const wait = last + ms - Date.now();
    if (wait <= 0) {
      last = Date.now();
      fn();
    } else if (!timer) {
      timer = setTimeout(() => { timer = null; throttled(); }, wait);
    }
  };
  throttled.cancel = () => clearTimeout(timer);
  return throttled;
}
