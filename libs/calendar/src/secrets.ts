import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh per-channel secret (Google channel token ≤ 256 chars, Graph clientState ≤ 128). */
export function newChannelSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison of a received secret with the expected one (hashing equalises lengths). */
export function secretsEqual(received: string | null | undefined, expected: string): boolean {
  if (typeof received !== 'string') return false;
  const a = createHash('sha256').update(received).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
