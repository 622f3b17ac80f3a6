import { TranscriptionError } from './errors';

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (err: TranscriptionError, attempt: number, delayMs: number) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs `fn`, retrying transient TranscriptionErrors with exponential backoff and full jitter,
 * or exactly the Retry-After the provider asked for (capped at maxDelayMs). Permanent errors
 * and anything that is not a TranscriptionError propagate at once.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const base = opts.baseDelayMs ?? 1000;
  const max = opts.maxDelayMs ?? 60_000;
  const sleep = opts.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!(err instanceof TranscriptionError) || !err.transient || attempt >= opts.retries) throw err;
      const delay = Math.min(max, err.retryAfterMs ?? Math.round(Math.random() * base * 2 ** attempt));
      opts.onRetry?.(err, attempt + 1, delay);
      await sleep(delay);
    }
  }
}
