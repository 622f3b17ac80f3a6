import type { QueueOptions } from 'bull';
import type { AppConfig } from '@rapport/config';

/** Bull connection options from REDIS_URL, with the deployment's key prefix. */
export function bullOptions(config: AppConfig): QueueOptions {
  const url = new URL(config.REDIS_URL);
  return {
    prefix: `${config.REDIS_PREFIX}:bull`,
    redis: {
      host: url.hostname,
      port: Number(url.port || 6379),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.pathname.length > 1 ? { db: Number(url.pathname.slice(1)) } : {}),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    },
    defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 1000, removeOnFail: 5000 },
  };
}
