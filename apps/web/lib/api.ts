'use client';

/**
 * Talking to the API: bearer tokens, transparent refresh, session expiry.
 *
 * The refresh token lives in localStorage so a reload keeps you signed in; the access token in
 * memory (and localStorage, for the other tabs). Refresh tokens rotate and a reused one revokes
 * the whole family, so refreshes are serialised across tabs with the Web Locks API: inside the
 * lock a tab first checks whether another tab already rotated the pair.
 */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const KEY = 'rapport.session';
let memory: Tokens | null = null;
const listeners = new Set<(signedIn: boolean) => void>();

function read(): Tokens | null {
  if (typeof window === 'undefined') return null;
  try {
    const raw = window.localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

export function session(): Tokens | null {
  memory = read() ?? memory;
  return memory;
}

export function saveSession(t: { accessToken: string; refreshToken: string; expiresIn: number }): void {
  memory = { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: Date.now() + t.expiresIn * 1000 };
  window.localStorage.setItem(KEY, JSON.stringify(memory));
  listeners.forEach((l) => l(true));
}

export function clearSession(): void {
  memory = null;
  window.localStorage.removeItem(KEY);
  listeners.forEach((l) => l(false));
}

export function onSessionChange(fn: (signedIn: boolean) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Sends the browser to sign-in, saying why, and remembering where it was. */
export function sessionExpired(): void {
  clearSession();
  if (typeof window !== 'undefined' && !window.location.pathname.startsWith('/signin')) {
    const next = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.assign(`/signin?expired=1&next=${next}`);
  }
}

async function parseError(res: Response): Promise<ApiError> {
  let body: { code?: string; message?: string; details?: unknown } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    /* not JSON */
  }
  return new ApiError(res.status, body.code ?? `http_${res.status}`, body.message ?? res.statusText, body.details);
}

let inflight: Promise<Tokens | null> | null = null;

/** Exchanges the refresh token for a new pair; null when the session is over. */
export function refresh(): Promise<Tokens | null> {
  inflight ??= (async () => {
    const run = async (): Promise<Tokens | null> => {
      const before = memory?.refreshToken;
      const current = read();
      // Another tab rotated the pair while we waited for the lock: use its tokens.
      if (current && current.refreshToken !== before && current.expiresAt - Date.now() > 30_000) {
        memory = current;
        return current;
      }
      if (!current) return null;
      const res = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: current.refreshToken }),
      });
      if (!res.ok) {
        if (res.status === 401 || res.status === 400) return null;
        throw await parseError(res);
      }
      saveSession((await res.json()) as { accessToken: string; refreshToken: string; expiresIn: number });
      return memory;
    };
    try {
      const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
      return locks ? await locks.request('rapport-refresh', run) : await run();
    } finally {
      inflight = null;
    }
  })();
  return inflight;
}

/** A valid access token, refreshed first when it expires within 30 s. */
async function accessToken(): Promise<string | null> {
  const t = session();
  if (!t) return null;
  if (t.expiresAt - Date.now() > 30_000) return t.accessToken;
  const fresh = await refresh();
  return fresh?.accessToken ?? null;
}

/**
 * fetch with the access token; on 401 refreshes once and retries; when the session cannot be
 * renewed, signs out and sends the browser to sign-in ("your session expired").
 */
export async function authFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const send = (token: string | null) => {
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return fetch(path, { ...init, headers });
  };
  let res = await send(await accessToken());
  if (res.status === 401) {
    const fresh = await refresh().catch(() => null);
    if (!fresh) {
      sessionExpired();
      throw new ApiError(401, 'session_expired', 'Your session expired; sign in again');
    }
    res = await send(fresh.accessToken);
    if (res.status === 401) {
      sessionExpired();
      throw new ApiError(401, 'session_expired', 'Your session expired; sign in again');
    }
  }
  return res;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const res = await authFetch(path, {
    method: init.method ?? 'GET',
    headers: init.body !== undefined ? { 'content-type': 'application/json' } : undefined,
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    signal: init.signal,
  });
  if (!res.ok) throw await parseError(res);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

/** Calls without a session (sign up, sign in). */
export async function publicApi<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw await parseError(res);
  return (await res.json()) as T;
}

interface GqlResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; status?: number } }>;
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const run = async () => {
    const res = await authFetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as GqlResponse<T>;
  };
  let body = await run();
  // GraphQL answers 200 with an error; an expired token there gets the same refresh-and-retry.
  if (body.errors?.[0]?.extensions?.status === 401) {
    if (!(await refresh().catch(() => null))) {
      sessionExpired();
      throw new ApiError(401, 'session_expired', 'Your session expired; sign in again');
    }
    body = await run();
  }
  const err = body.errors?.[0];
  if (err) throw new ApiError(err.extensions?.status ?? 400, err.extensions?.code ?? 'graphql_error', err.message);
  return body.data as T;
}

export async function signOut(): Promise<void> {
  const t = session();
  if (t) {
    await fetch('/api/v1/auth/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.accessToken}` },
      body: JSON.stringify({ refreshToken: t.refreshToken }),
    }).catch(() => undefined);
  }
  clearSession();
}
