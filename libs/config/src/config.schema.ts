import { z } from 'zod';

/**
 * Every setting the processes read, in one place: type, default, description and whether it
 * is a secret (secrets are never logged). `process.env` is read only by `loadConfig`.
 */
interface VarSpec<T extends z.ZodTypeAny> {
  schema: T;
  description: string;
  secret?: boolean;
  /** Shown in .env.example; defaults to the schema's default. */
  example?: string;
}

const port = (def: number) => z.coerce.number().int().min(0).max(65535).default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

export const CONFIG_VARS = {
  NODE_ENV: {
    schema: z.enum(['development', 'production', 'test']).default('development'),
    description: 'Runtime mode; production refuses development secrets.',
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    description: 'pino log level.',
  },
  PORT: { schema: port(3000), description: 'HTTP port of the API.' },
  SCHEDULER_PORT: { schema: port(3001), description: 'Health/metrics port of the scheduler process.' },
  WORKER_PORT: { schema: port(3002), description: 'Health/metrics port of the worker process.' },
  PUBLIC_URL: {
    schema: z.url().default('http://localhost:3000'),
    description: 'Base URL users reach the API/dashboard at (OAuth redirects, links in mails).',
  },
  DATABASE_URL: {
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL')
      .default('postgres://postgres@127.0.0.1:5432/rapport'),
    description: 'PostgreSQL 15+ connection URL.',
    secret: true,
  },
  DATABASE_POOL_SIZE: {
    schema: z.coerce.number().int().min(1).max(200).default(10),
    description: 'Connections per process.',
  },
  REDIS_URL: {
    schema: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .default('redis://127.0.0.1:6379'),
    description: 'Redis for Bull queues, the token deny-list and rate limits.',
    secret: true,
  },
  REDIS_PREFIX: {
    schema: z.string().min(1).default('rapport'),
    description: 'Key prefix so several deployments (or test runs) can share one Redis.',
  },
  JWT_SECRET: {
    schema: z.string().min(32, 'must be at least 32 characters (use `openssl rand -base64 48`)'),
    description: 'HMAC key signing access tokens (HS256).',
    secret: true,
    example: 'change-me-to-48-random-bytes-base64-xxxxxxxxxxxxxxxx',
  },
  JWT_ACCESS_TTL_SEC: {
    schema: z.coerce.number().int().min(60).max(3600).default(900),
    description: 'Access token lifetime (15 minutes by default).',
  },
  REFRESH_TTL_DAYS: {
    schema: z.coerce.number().int().min(1).max(365).default(30),
    description: 'Refresh token lifetime.',
  },
  MASTER_KEYS: {
    schema: z
      .string()
      .min(1)
      .describe('id:base64key[,id:base64key...]'),
    description:
      'Master keys wrapping per-user data keys, "id:base64(32 bytes)" comma-separated; the first is current, the others are kept to unwrap during rotation.',
    secret: true,
    example: 'k1:REPLACE_WITH_openssl_rand_base64_32',
  },
  DATA_DIR: {
    schema: z.string().min(1).default('./.data'),
    description: 'Folder for encrypted blobs (recordings) with the local storage driver.',
  },
  DEFAULT_RETENTION_DAYS: {
    schema: z.coerce.number().int().min(1).max(3650).default(90),
    description: 'Retention period for new users.',
  },
  LOGIN_MAX_PER_IP_PER_MIN: {
    schema: z.coerce.number().int().min(1).default(30),
    description: 'Login attempts allowed per client IP per minute.',
  },
  LOGIN_MAX_PER_EMAIL_PER_15MIN: {
    schema: z.coerce.number().int().min(1).default(10),
    description: 'Login attempts allowed per email address per 15 minutes.',
  },
  ARGON2_MEMORY_KIB: {
    schema: z.coerce.number().int().min(8192).default(19456),
    description: 'argon2id memory cost (OWASP minimum 19 MiB); see docs/benchmarks.md.',
  },
  ARGON2_TIME_COST: {
    schema: z.coerce.number().int().min(1).max(10).default(2),
    description: 'argon2id iterations.',
  },
  TRUST_PROXY: {
    schema: bool(false),
    description: 'Trust X-Forwarded-For (behind an ingress) for client IPs.',
  },
} satisfies Record<string, VarSpec<z.ZodTypeAny>>;

export type ConfigVarName = keyof typeof CONFIG_VARS;

export type AppConfig = {
  [K in ConfigVarName]: z.output<(typeof CONFIG_VARS)[K]['schema']>;
};
