// Calls to the Refinery API: same-origin, session cookie, CSRF header on writes, problem+json errors.

/** An API refusal or failure, carrying the RFC 9457 problem when the server sent one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

// The security setup stores the token in the XSRF-TOKEN cookie (readable by scripts on purpose)
// and accepts it back in the X-XSRF-TOKEN header.
export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : null;
}

export async function request(method, url, body, { signal } = {}) {
  const headers = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const token = csrfToken();
  if (token && method !== 'GET') headers['X-XSRF-TOKEN'] = token;
  const response = await fetch(url, {
    method, headers, signal, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answer(response);
}

/**
 * A GET that index.html's bootstrap already started while the modules were still loading (see
 * window.refineryPrefetch there); taken once, so a later reload asks the server again. Falls back
 * to a normal GET when nothing was prefetched for `key` or the prefetched URL differs.
 */
export function prefetched(key, url, options) {
  const started = window.refineryPrefetch?.[key];
  if (started && started.url === url) {
    delete window.refineryPrefetch[key];
    return started.response.then(answer);
  }
  return get(url, options);
}

async function answer(response) {
  if (response.status === 401) {
    // The session ended (timeout, sign-out in another tab): back to the sign-in page.
    window.location.assign('/login');
    throw new ApiError(401, { title: 'Signed out' });
  }
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, typeof data === 'object' ? data : { detail: data });
  return data;
}

export const get = (url, options) => request('GET', url, undefined, options);
export const post = (url, body, options) => request('POST', url, body ?? {}, options);
export const put = (url, body, options) => request('PUT', url, body, options);
export const del = (url, options) => request('DELETE', url, undefined, options);

/** A query string from the non-empty values of an object. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

let operations;
/**
 * The paths the running API offers, read once from its OpenAPI document. Pages check it before
 * calling endpoints that may not exist yet, so a missing endpoint shows "not available" instead
 * of a 404 in the console.
 */
export async function offers(path) {
  operations ??= get('/v3/api-docs').then((doc) => new Set(Object.keys(doc.paths || {})))
    .catch(() => new Set());
  return (await operations).has(path);
}

/** Rows of an OData entity set (the dashboard uses it for master data and per-series accuracy). */
export async function odata(set, params = {}) {
  const page = await get(`/odata/v4/${set}${query(params)}`);
  return page.value || [];
}
