import { beforeEach, describe, expect, test, vi } from 'vitest';

type Api = typeof import('./api');
type Call = { url: string; init: RequestInit };

/** A fresh copy of the module (its session lives in module state) and a scripted fetch. */
async function setup(responses: Array<(c: Call) => Response>) {
  vi.resetModules();
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const c = { url, init };
      calls.push(c);
      const next = responses.shift();
      if (!next) throw new Error(`unexpected fetch ${url}`);
      return next(c);
    }),
  );
  const api: Api = await import('./api');
  const assign = vi.fn();
  api.navigation.assign = assign;
  return { api, calls, assign };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const tokens = (accessToken: string) => () => json(200, { accessToken, expiresIn: 900, tokenType: 'Bearer' });
const header = (c: Call, name: string) => new Headers(c.init.headers).get(name);

beforeEach(() => {
  localStorage.clear();
  window.history.replaceState(null, '', '/trends');
});

describe('dashboard sessions: cookie refresh, one refresh at a time, expiry', () => {
  test('signed in leaves only a marker in localStorage: no token a script could steal', async () => {
    const { api } = await setup([]);
    api.saveSession({ accessToken: 'eyJ.secret.token', expiresIn: 900 });
    expect(api.isSignedIn()).toBe(true);
    expect(Object.entries(localStorage)).toEqual([['rapport.signedIn', '1']]);
  });

  test('a reloaded tab gets its access token from the cookie session, then calls with it', async () => {
    localStorage.setItem('rapport.signedIn', '1');
    const { api, calls } = await setup([tokens('fresh'), () => json(200, { ok: true })]);
    const res = await api.authFetch('/api/v1/me');
    expect(res.status).toBe(200);
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/auth/refresh', '/api/v1/me']);
    expect(calls[0]!.init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{}' });
    expect(header(calls[0]!, 'x-rapport-session')).toBe('cookie');
    expect(header(calls[1]!, 'authorization')).toBe('Bearer fresh');
  });

  test('requests that start together share one refresh (a second would replay the rotated cookie)', async () => {
    localStorage.setItem('rapport.signedIn', '1');
    const { api, calls } = await setup([tokens('one'), () => json(200, {}), () => json(200, {}), () => json(200, {})]);
    await Promise.all([api.authFetch('/a'), api.authFetch('/b'), api.authFetch('/c')]);
    expect(calls.filter((c) => c.url === '/api/v1/auth/refresh')).toHaveLength(1);
    expect(calls.filter((c) => c.url !== '/api/v1/auth/refresh').map((c) => header(c, 'authorization'))).toEqual(['Bearer one', 'Bearer one', 'Bearer one']);
  });

  test('a 401 refreshes once and retries with the new token', async () => {
    const { api, calls } = await setup([() => json(401, { code: 'invalid_token' }), tokens('renewed'), () => json(200, { ok: 1 })]);
    api.saveSession({ accessToken: 'revoked', expiresIn: 900 });
    expect((await api.authFetch('/api/v1/meetings')).status).toBe(200);
    expect(calls.map((c) => [c.url, header(c, 'authorization')])).toEqual([
      ['/api/v1/meetings', 'Bearer revoked'],
      ['/api/v1/auth/refresh', null],
      ['/api/v1/meetings', 'Bearer renewed'],
    ]);
  });

  test('when the cookie session is over: signed out and sent to sign-in, saying why and where it was', async () => {
    const { api, assign } = await setup([() => json(401, {}), () => json(401, { code: 'invalid_refresh_token' })]);
    api.saveSession({ accessToken: 'old', expiresIn: 900 });
    window.history.replaceState(null, '', '/meeting?id=42');
    await expect(api.authFetch('/api/v1/meetings/42')).rejects.toMatchObject({ status: 401, code: 'session_expired' });
    expect(assign).toHaveBeenCalledWith('/signin?expired=1&next=%2Fmeeting%3Fid%3D42');
    expect(api.isSignedIn()).toBe(false);
  });

  test('while the tab ends the session itself (sign out, delete my data), a 401 does not say "expired"', async () => {
    const { api, assign } = await setup([() => json(401, {}), () => json(401, {})]);
    api.saveSession({ accessToken: 'old', expiresIn: 900 });
    api.expectSessionEnd();
    await expect(api.authFetch('/api/v1/notifications')).rejects.toMatchObject({ code: 'session_expired' });
    expect(assign).not.toHaveBeenCalled();
  });
});
