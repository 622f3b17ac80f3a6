'use client';

/**
 * Talking to the API: bearer tokens, transparent refresh, session expiry.
 *
 * The refresh token never reaches page scripts: the API keeps it in an HttpOnly, SameSite=Strict
 * cookie scoped to /api/v1/auth (we ask for that with `x-rapport-session: cookie`). The access
 * token lives in this tab's memory only; a reload or a new tab gets one by refreshing. The only
 * thing in localStorage is a "signed in" marker, so pages know whether to try. Refresh tokens
 * rotate and a reused one revokes the whole family, so refreshes are serialised across tabs
 * with the Web Locks API (each then sends the cookie the previous one set).
 */
export interface Tokens {
  accessToken: string;
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

const MARKER = 'rapport.signedIn';
/** Where tokens lived before the cookie session; removed when seen. */
const LEGACY_KEY = 'rapport.session';
export const SESSION_HEADERS = { 'x-rapport-session': 'cookie' } as const;
let memory: Tokens | null = null;
/** Set while this tab ends the session itself (sign out, delete my data): 401s then are expected. */
let endingOnPurpose = false;
const listeners = new Set<(signedIn: boolean) => void>();

/** Whether this browser has a session to resume (the cookie itself is not readable). */
export function isSignedIn(): boolean {
  if (typeof window === 'undefined') return false;
  try {
    window.localStorage.removeItem(LEGACY_KEY);
    return memory !== null || window.localStorage.getItem(MARKER) === '1';
  } catch {
    return memory !== null;
  }
}

export function saveSession(t: { accessToken: string; expiresIn: number }): void {
  endingOnPurpose = false;
  memory = { accessToken: t.accessToken, expiresAt: Date.now() + t.expiresIn * 1000 };
  window.localStorage.setItem(MARKER, '1');
  listeners.forEach((l) => l(true));
}

export function clearSession(): void {
  memory = null;
  window.localStorage.removeItem(MARKER);
  window.localStorage.removeItem(LEGACY_KEY);
  listeners.forEach((l) => l(false));
}

export function onSessionChange(fn: (signedIn: boolean) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Call before ending the session on purpose (sign out, delete my data): requests still in flight
 * then fail with 401, which must not send the page to "your session expired" ahead of the page's
 * own navigation. The returned function undoes it when the attempt failed.
 */
export function expectSessionEnd(): () => void {
  endingOnPurpose = true;
  return () => {
    endingOnPurpose = false;
  };
}

/** Page navigation, a seam so unit tests (jsdom cannot navigate) can see where the page would go. */
export const navigation = {
  assign: (url: string): void => window.location.assign(url),
};

/** Sends the browser to sign-in, saying why, and remembering where it was. */
export function sessionExpired(): void {
  if (endingOnPurpose) return;
  clearSession();
  if (typeof window !== 'undefined' && !window.location.pathname.startsWith('/signin')) {
    const next = encodeURIComponent(window.location.pathname + window.location.search);
    navigation.assign(`/signin?expired=1&next=${next}`);
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

const fresh = (t: Tokens | null): t is Tokens => !!t && t.expiresAt - Date.now() > 30_000;

let inflight: Promise<Tokens | null> | null = null;

/** Trades the session cookie for a new access token (and a rotated cookie); null when the session is over. */
export function refresh(): Promise<Tokens | null> {
  inflight ??= (async () => {
    const stale = memory;
    const run = async (): Promise<Tokens | null> => {
      // Refreshed in this tab while we waited for the lock: use that.
      if (memory !== stale && fresh(memory)) return memory;
      const res = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', ...SESSION_HEADERS },
        body: '{}',
      });
      if (!res.ok) {
        if (res.status === 401 || res.status === 400) return null;
        throw await parseError(res);
      }
      saveSession((await res.json()) as { accessToken: string; expiresIn: number });
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

/** A valid access token: refreshed first when it expires within 30 s or this tab has none yet. */
async function accessToken(): Promise<string | null> {
  if (fresh(memory)) return memory.accessToken;
  if (!isSignedIn()) return null;
  return (await refresh())?.accessToken ?? null;
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

/** Calls without a session (sign up, sign in: the API sets the session cookie). */
export async function publicApi<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...SESSION_HEADERS },
    body: JSON.stringify(body),
  });
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
  // Logout needs a valid access token; it revokes the refresh family and clears the cookie.
  const token = await accessToken().catch(() => null);
  expectSessionEnd();
  if (token) {
    await fetch('/api/v1/auth/logout', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...SESSION_HEADERS },
      body: '{}',
    }).catch(() => undefined);
  }
  clearSession();
}
