import { type CalendarError, mapProviderError } from './errors';
import type { CalendarProviderName } from './types';

export interface RetryPolicy {
  /** Attempts in total (1 = no retry). */
  maxAttempts: number;
  /** Longest wait we accept in-process; a longer Retry-After surfaces as `temporary` for the queue to reschedule. */
  maxWaitMs: number;
  /** Backoff when the vendor gave no Retry-After: base * 2^attempt. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, maxWaitMs: 30_000, baseDelayMs: 500 };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn`, mapping failures through the one error mapper and retrying `temporary` ones,
 * honouring the vendor's Retry-After (the Google client's own retry ignores it, so it is off).
 */
export async function withRetry<T>(provider: CalendarProviderName, policy: RetryPolicy, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let error: CalendarError;
    try {
      return await fn();
    } catch (err) {
      error = mapProviderError(provider, err);
    }
    if (error.code !== 'temporary' || attempt >= policy.maxAttempts) throw error;
    const wait = error.retryAfterMs ?? policy.baseDelayMs * 2 ** (attempt - 1);
    if (wait > policy.maxWaitMs) throw error;
    await sleep(wait);
  }
}
