/**
 * Provider failures mapped to one error type so the pipeline decides retry or fail in one
 * place: `transient` (429, 5xx, network) is retried with backoff, anything else fails the job
 * for good with the provider's reason.
 */
export class TranscriptionError extends Error {
  constructor(
    readonly provider: string,
    readonly code: string,
    message: string,
    readonly transient: boolean,
    readonly status?: number,
    /** From Retry-After, when the provider sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TranscriptionError';
  }
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const s = Number(value);
  if (Number.isFinite(s) && s >= 0) return Math.round(s * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function httpError(provider: string, status: number, reason: string, retryAfter?: string | null): TranscriptionError {
  const transient = status === 429 || status === 408 || status >= 500;
  const code = status === 429 ? 'rate_limited' : status === 401 || status === 403 ? 'auth_failed' : transient ? 'provider_unavailable' : 'provider_rejected';
  return new TranscriptionError(provider, code, `${provider} answered ${status}: ${reason}`, transient, status, parseRetryAfter(retryAfter));
}

export function isTransient(err: unknown): boolean {
  return err instanceof TranscriptionError && err.transient;
}
