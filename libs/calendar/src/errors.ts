import { AppError, type AppErrorKind } from '@rapport/common';
import type { CalendarProviderName } from './types';

/**
 * Our codes for everything a calendar vendor can answer, so callers decide retry or fail in one
 * place:
 * - `temporary`: retry later (429 / 5xx / network); `retryAfterMs` when the vendor said when.
 * - `auth_revoked`: the grant is gone (invalid_grant, 401 after a refresh, scopes removed): mark
 *   the connection disconnected and ask the user to reconnect.
 * - `sync_cursor_invalid`: the stored syncToken/deltaLink is dead: wipe and run a full sync.
 * - `not_found`: the event/channel/subscription does not exist (any more).
 * - `provider_error`: anything else; a bug or a request the vendor refuses. Do not retry blindly.
 */
export type CalendarErrorCode = 'temporary' | 'auth_revoked' | 'sync_cursor_invalid' | 'not_found' | 'provider_error';

const KIND: Record<CalendarErrorCode, AppErrorKind> = {
  temporary: 'unavailable',
  auth_revoked: 'unauthorized',
  sync_cursor_invalid: 'conflict',
  not_found: 'not_found',
  provider_error: 'internal',
};

export class CalendarError extends AppError {
  constructor(
    override readonly code: CalendarErrorCode,
    message: string,
    readonly provider: CalendarProviderName,
    readonly httpStatus: number | null = null,
    readonly retryAfterMs: number | null = null,
    /** The vendor's own error code (`invalid_grant`, `fullSyncRequired`, `syncStateNotFound`, …). */
    readonly vendorCode: string | null = null,
  ) {
    super(KIND[code], code, message, { provider, httpStatus, retryAfterMs, vendorCode });
    this.name = 'CalendarError';
  }
}

/** Raised by our own token-endpoint calls (AAD) with the endpoint's JSON error. */
export class TokenEndpointError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: HeaderBag,
  ) {
    super(`token endpoint ${status}: ${error}: ${description}`);
    this.name = 'TokenEndpointError';
  }
}

type HeaderBag = Headers | Record<string, string | string[] | undefined> | undefined | null;

function header(headers: HeaderBag, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key ? record[key] : undefined;
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** `Retry-After` as delta-seconds or an HTTP date → ms (never negative). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

const AUTH_REVOKED_TOKEN_ERRORS = new Set(['invalid_grant', 'invalid_client', 'deleted_client', 'unauthorized_client', 'interaction_required', 'consent_required']);
const GOOGLE_RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);
const GOOGLE_AUTH_REASONS = new Set(['insufficientPermissions', 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', 'authError', 'forbiddenForNonOrganizer']);
const GRAPH_CURSOR_CODES = new Set(['syncStateNotFound', 'syncStateInvalid', 'resyncRequired']);
const GRAPH_AUTH_CODES = new Set(['InvalidAuthenticationToken', 'ErrorAccessDenied', 'MailboxNotEnabledForRESTAPI', 'ErrorMailboxNotEnabledForRESTAPI', 'AuthenticationError']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

interface Extracted {
  status: number | null;
  headers: HeaderBag;
  tokenError: string | null;
  vendorCode: string | null;
  reasons: string[];
  message: string;
  networkCode: string | null;
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

function parseMaybeJson(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** Pulls status, headers and vendor codes out of Gaxios, Graph SDK and token-endpoint errors. */
function extract(err: unknown): Extracted {
  const out: Extracted = { status: null, headers: null, tokenError: null, vendorCode: null, reasons: [], message: err instanceof Error ? err.message : String(err), networkCode: null };
  if (err instanceof TokenEndpointError) {
    return { ...out, status: err.status, headers: err.headers, tokenError: err.error, vendorCode: err.error };
  }
  const e = asRecord(err);
  if (!e) return out;
  const response = asRecord(e.response);
  // Gaxios (googleapis, google-auth-library): err.status / err.response.{status,data,headers}
  // Graph SDK GraphError: statusCode / code / headers / body
  const status = (typeof e.status === 'number' && e.status) || (typeof e.statusCode === 'number' && e.statusCode) || (response && typeof response.status === 'number' && response.status) || null;
  out.status = status && status > 0 ? status : null;
  out.headers = (response?.headers as HeaderBag) ?? (e.headers as HeaderBag) ?? null;
  const data = asRecord(parseMaybeJson(response?.data ?? e.body));
  if (data) {
    if (typeof data.error === 'string') {
      out.tokenError = data.error;
      out.vendorCode = data.error;
    }
    const apiError = asRecord(data.error);
    if (apiError) {
      if (typeof apiError.code === 'string') out.vendorCode = apiError.code;
      if (typeof apiError.message === 'string') out.message = apiError.message;
      const errors = Array.isArray(apiError.errors) ? apiError.errors : [];
      for (const item of errors) {
        const reason = asRecord(item)?.reason;
        if (typeof reason === 'string') out.reasons.push(reason);
      }
      if (typeof apiError.status === 'string') out.reasons.push(apiError.status);
    }
  }
  if (typeof e.code === 'string') {
    if (NETWORK_CODES.has(e.code)) out.networkCode = e.code;
    else if (!out.vendorCode && Number.isNaN(Number(e.code))) out.vendorCode = e.code;
  }
  const cause = asRecord(e.cause);
  if (cause && typeof cause.code === 'string' && NETWORK_CODES.has(cause.code)) out.networkCode = cause.code;
  if (!out.status && !out.networkCode && /fetch failed|socket hang up|network/i.test(out.message)) out.networkCode = 'network';
  return out;
}

/**
 * The one place vendor errors become our codes. Adapters refresh the access token once on a 401
 * before giving up (the Google auth client does it itself), so a 401 that reaches this mapper
 * means the grant is gone.
 */
export function mapProviderError(provider: CalendarProviderName, err: unknown): CalendarError {
  if (err instanceof CalendarError) return err;
  const x = extract(err);
  const retryAfterMs = parseRetryAfter(header(x.headers, 'retry-after'));
  const make = (code: CalendarErrorCode) => new CalendarError(code, `${provider}: ${x.message}`, provider, x.status, code === 'temporary' ? retryAfterMs : null, x.vendorCode ?? x.reasons[0] ?? null);

  if (x.tokenError && AUTH_REVOKED_TOKEN_ERRORS.has(x.tokenError)) return make('auth_revoked');
  if (x.status === 410 || (x.vendorCode && GRAPH_CURSOR_CODES.has(x.vendorCode)) || x.reasons.includes('fullSyncRequired')) {
    return make('sync_cursor_invalid');
  }
  if (x.status === 429 || (x.status !== null && x.status >= 500)) return make('temporary');
  if (x.status === 403 && x.reasons.some((r) => GOOGLE_RATE_REASONS.has(r))) return make('temporary');
  if (x.status === 401) return make('auth_revoked');
  if (x.status === 403 && (x.reasons.some((r) => GOOGLE_AUTH_REASONS.has(r)) || (x.vendorCode !== null && GRAPH_AUTH_CODES.has(x.vendorCode)))) {
    return make('auth_revoked');
  }
  if (x.status === 404) return make('not_found');
  if (x.networkCode) return make('temporary');
  return make('provider_error');
}
