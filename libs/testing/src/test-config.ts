import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig, type AppConfig } from '@rapport/config';

/** Valid configuration for a test process: its own DB, Redis prefix and data folder. */
export async function testConfig(databaseUrl: string, overrides: Record<string, string> = {}): Promise<AppConfig> {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `rapport-test-${randomBytes(4).toString('hex')}`,
    JWT_SECRET: randomBytes(32).toString('base64'),
    MASTER_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    DATA_DIR: await mkdtemp(join(tmpdir(), 'rapport-data-')),
    // Cheap hashes keep the suite fast; production parameters are benchmarked in bench/.
    ARGON2_MEMORY_KIB: '8192',
    ARGON2_TIME_COST: '1',
    ...overrides,
  });
}
