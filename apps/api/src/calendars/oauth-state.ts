import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type OAuthProvider = 'google' | 'microsoft';

export interface OAuthStatePayload {
  /** The user who started the connect flow. */
  userId: string;
  provider: OAuthProvider;
  /** Single use: the callback burns it. */
  nonce: string;
  /** Expiry, ms since epoch. */
  expiresAt: number;
}

export type StateCheck = { ok: true; payload: OAuthStatePayload } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'wrong_provider' };

const TTL_MS = 10 * 60_000;

/**
 * OAuth `state` for calendar connect: `base64url(json).base64url(hmac)` with a key derived from
 * JWT_SECRET for this purpose only. It binds the callback to the user who asked, the provider
 * and a 10-minute expiry (CSRF: a state minted for one user or provider cannot complete another
 * flow, and nothing forged verifies). The nonce makes it single-use (checked in Redis).
 */
export class OAuthStateSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('rapport:calendar-oauth-state:v1').digest();
  }

  sign(userId: string, provider: OAuthProvider, now = Date.now()): { state: string; payload: OAuthStatePayload } {
    const payload: OAuthStatePayload = { userId, provider, nonce: randomBytes(16).toString('base64url'), expiresAt: now + TTL_MS };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return { state: `${body}.${this.mac(body)}`, payload };
  }

  verify(state: string, provider: OAuthProvider, now = Date.now()): StateCheck {
    const parts = state.split('.');
    if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
    const [body, mac] = parts;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
    let payload: OAuthStatePayload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as OAuthStatePayload;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof payload.expiresAt !== 'number' || payload.expiresAt < now) return { ok: false, reason: 'expired' };
    if (payload.provider !== provider) return { ok: false, reason: 'wrong_provider' };
    return { ok: true, payload };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
