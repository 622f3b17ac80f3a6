import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '@rapport/common';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG, REDIS } from '@rapport/core';

/** Login attempts per client IP (per minute) and per email (per 15 minutes), in Redis. */
@Injectable()
export class LoginRateLimiter {
  private readonly byIp: RateLimiterRedis;
  private readonly byEmail: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) config: AppConfig) {
    this.byIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.REDIS_PREFIX}:login-ip`,
      points: config.LOGIN_MAX_PER_IP_PER_MIN,
      duration: 60,
    });
    this.byEmail = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.REDIS_PREFIX}:login-email`,
      points: config.LOGIN_MAX_PER_EMAIL_PER_15MIN,
      duration: 15 * 60,
    });
  }

  /** Throws a 429 AppError with `retryAfterSec` when either budget is spent. */
  async consume(ip: string, email: string): Promise<void> {
    for (const [limiter, key] of [
      [this.byIp, ip],
      [this.byEmail, email],
    ] as const) {
      try {
        await limiter.consume(key);
      } catch (res) {
        if (res instanceof RateLimiterRes) {
          const retryAfterSec = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
          throw new AppError('rate_limited', 'too_many_login_attempts', `Too many login attempts; try again in ${retryAfterSec} s`, { retryAfterSec });
        }
        throw res;
      }
    }
  }

  /** A successful login clears the per-email budget (the per-IP one keeps counting). */
  async reset(email: string): Promise<void> {
    await this.byEmail.delete(email);
  }
}
