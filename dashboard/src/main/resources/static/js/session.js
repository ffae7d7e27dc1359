// Who is signed in, and what the role allows (viewer < planner < admin; the server enforces anyway).
import { prefetched, csrfToken } from './api.js';

const RANK = { viewer: 1, planner: 2, admin: 3 };

export async function loadSession() {
  const info = await prefetched('session', '/dashboard/session');
  const rank = Math.max(0, ...info.roles.map((role) => RANK[role] || 0));
  return {
    username: info.username,
    role: Object.keys(RANK).find((role) => RANK[role] === rank) || 'viewer',
    can: (role) => rank >= RANK[role],
  };
}

/** Signs out through the app's logout endpoint (POST with the CSRF token), then shows the sign-in page. */
export async function signOut() {
  const body = new URLSearchParams({ _csrf: csrfToken() || '' });
  // 'manual': the logout answers with a redirect to the sign-in page; we go there ourselves.
  await fetch('/logout', { method: 'POST', body, credentials: 'same-origin', redirect: 'manual' }).catch(() => {});
  window.location.assign('/login?logout');
}
