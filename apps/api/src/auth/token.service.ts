import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type Redis from 'ioredis';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG, REDIS } from '@rapport/core';
import type { UserRole } from '@rapport/database';
import type { AuthUser } from '../common/auth.decorators';

const ISSUER = 'rapport';
const AUDIENCE = 'rapport-api';
/** Tokens that open one meeting's recording for a media element, which cannot send a header. */
const MEDIA_AUDIENCE = 'rapport-media';

/** Access JWTs (HS256, 15 min, `sub`/`role`/`jti`), opaque refresh tokens, and the jti deny-list. */
@Injectable()
export class TokenService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  signAccess(userId: string, role: UserRole): { token: string; expiresIn: number } {
    const expiresIn = this.config.JWT_ACCESS_TTL_SEC;
    const token = jwt.sign({ role }, this.config.JWT_SECRET, {
      algorithm: 'HS256',
      subject: userId,
      jwtid: randomUUID(),
      expiresIn,
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    return { token, expiresIn };
  }

  /** Verifies signature, algorithm (HS256 only: `alg: none` and others are refused), expiry and claims. */
  verifyAccess(token: string): AuthUser | null {
    try {
      const p = jwt.verify(token, this.config.JWT_SECRET, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
      if (typeof p === 'string' || !p.sub || !p.jti || typeof p.exp !== 'number') return null;
      const role = (p as { role?: unknown }).role;
      if (role !== 'individual' && role !== 'team_lead' && role !== 'admin') return null;
      return { id: p.sub, role, jti: p.jti, exp: p.exp };
    } catch {
      return null;
    }
  }

  /**
   * A token for one meeting's recording, derived from the caller's access token: same subject,
   * role, jti and expiry, so it dies with it (expiry, or logout's deny-list), never later.
   */
  signMedia(user: AuthUser, meetingId: string): { token: string; maxAgeMs: number } {
    const token = jwt.sign({ role: user.role, mid: meetingId, exp: user.exp }, this.config.JWT_SECRET, {
      algorithm: 'HS256',
      subject: user.id,
      jwtid: user.jti,
      issuer: ISSUER,
      audience: MEDIA_AUDIENCE,
    });
    return { token, maxAgeMs: Math.max(0, user.exp * 1000 - Date.now()) };
  }

  /** A media token valid for this meeting, as the user it was minted for; null otherwise. */
  verifyMedia(token: string, meetingId: string): AuthUser | null {
    try {
      const p = jwt.verify(token, this.config.JWT_SECRET, { algorithms: ['HS256'], issuer: ISSUER, audience: MEDIA_AUDIENCE });
      if (typeof p === 'string' || !p.sub || !p.jti || typeof p.exp !== 'number' || (p as { mid?: unknown }).mid !== meetingId) return null;
      const role = (p as { role?: unknown }).role;
      if (role !== 'individual' && role !== 'team_lead' && role !== 'admin') return null;
      return { id: p.sub, role, jti: p.jti, exp: p.exp };
    } catch {
      return null;
    }
  }

  private denyKey(jti: string): string {
    return `${this.config.REDIS_PREFIX}:denied-jti:${jti}`;
  }

  /** Keeps the jti denied until the token would have expired anyway. */
  async deny(user: AuthUser): Promise<void> {
    const ttl = Math.max(1, user.exp - Math.floor(Date.now() / 1000));
    await this.redis.set(this.denyKey(user.jti), '1', 'EX', ttl);
  }

  async isDenied(jti: string): Promise<boolean> {
    return (await this.redis.exists(this.denyKey(jti))) === 1;
  }

  newRefreshToken(): { token: string; hash: Buffer; expiresAt: Date } {
    const token = `rt_${randomBytes(32).toString('base64url')}`;
    return { token, hash: this.hashRefresh(token), expiresAt: new Date(Date.now() + this.config.REFRESH_TTL_DAYS * 86_400_000) };
  }

  hashRefresh(token: string): Buffer {
    return createHash('sha256').update(token).digest();
  }
}
