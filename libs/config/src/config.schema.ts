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
  KEY_PROVIDER: {
    schema: z.enum(['local', 'aws-kms']).default('local'),
    description: 'What wraps the per-user data keys: "local" (MASTER_KEYS in this config) or "aws-kms" (an AWS KMS key, AWS_KMS_*; the master key never leaves KMS).',
  },
  MASTER_KEYS: {
    schema: z
      .string()
      .default('')
      .describe('id:base64key[,id:base64key...]'),
    description:
      'Master keys wrapping per-user data keys, "id:base64(32 bytes)" comma-separated; the first is current, the others are kept to unwrap during rotation. Required with KEY_PROVIDER=local; with aws-kms, only to unwrap keys from before the move to KMS.',
    secret: true,
    example: 'k1:REPLACE_WITH_openssl_rand_base64_32',
  },
  AWS_KMS_KEY_ID: {
    schema: z.string().default(''),
    description: 'KEY_PROVIDER=aws-kms: key id, key ARN or alias (alias/rapport) of a symmetric KMS key; credentials from the AWS default chain (env, IRSA, instance role).',
  },
  AWS_KMS_REGION: { schema: z.string().min(1).default('us-east-1'), description: 'KEY_PROVIDER=aws-kms: the KMS key\'s region.' },
  AWS_KMS_ENDPOINT: {
    schema: z.union([z.literal(''), z.url()]).default(''),
    description: 'KEY_PROVIDER=aws-kms: a KMS-compatible endpoint (LocalStack); empty for AWS.',
  },
  WEB_DIR: {
    schema: z.string().default('apps/web/out'),
    description: 'Built dashboard (Next.js static export, `npm run build:web`) the API serves at /; relative to the repository root. Empty: serve no dashboard.',
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
  // Analysis pipeline (issue 4): storage driver, transcription providers, LLM refinement.
  STORAGE_DRIVER: {
    schema: z.enum(['local', 's3']).default('local'),
    description: 'Where encrypted blobs live: "local" (DATA_DIR) or "s3" (any S3-compatible store, S3_* variables).',
  },
  S3_BUCKET: { schema: z.string().default(''), description: 'Bucket for encrypted blobs (STORAGE_DRIVER=s3).' },
  S3_REGION: { schema: z.string().min(1).default('us-east-1'), description: 'S3 region (any value for most S3-compatible servers).' },
  S3_ENDPOINT: {
    schema: z.union([z.literal(''), z.url()]).default(''),
    description: 'S3-compatible endpoint URL (MinIO, Ceph, R2...); empty for AWS S3.',
  },
  S3_ACCESS_KEY_ID: { schema: z.string().default(''), description: 'S3 access key id; empty to use the AWS default credential chain.', secret: true },
  S3_SECRET_ACCESS_KEY: { schema: z.string().default(''), description: 'S3 secret access key.', secret: true },
  S3_FORCE_PATH_STYLE: { schema: bool(false), description: 'Path-style S3 URLs (bucket in the path), needed by most self-hosted S3 servers.' },
  TRANSCRIPTION_PROVIDER: {
    schema: z.enum(['captions', 'assemblyai', 'openai', 'whisper']).default('captions'),
    description: 'Speech-to-text: the platform captions the bot collected (default), AssemblyAI, OpenAI, or a self-hosted Whisper server (OpenAI-compatible API).',
  },
  ASSEMBLYAI_API_KEY: { schema: z.string().default(''), description: 'AssemblyAI API key (TRANSCRIPTION_PROVIDER=assemblyai).', secret: true },
  ASSEMBLYAI_BASE_URL: { schema: z.url().default('https://api.assemblyai.com'), description: 'AssemblyAI API base URL (EU: https://api.eu.assemblyai.com).' },
  OPENAI_API_KEY: {
    schema: z.string().default(''),
    description: 'OpenAI API key: transcription with TRANSCRIPTION_PROVIDER=openai, and LLM refinement of recommendations whenever set.',
    secret: true,
  },
  OPENAI_BASE_URL: { schema: z.url().default('https://api.openai.com/v1'), description: 'OpenAI API base URL.' },
  OPENAI_TRANSCRIBE_MODEL: {
    schema: z.string().min(1).default('whisper-1'),
    description: 'OpenAI transcription model; whisper-1 returns word timestamps (verbose_json).',
  },
  OPENAI_ANALYSIS_MODEL: {
    schema: z.string().default('gpt-4o-mini'),
    description: 'Model refining recommendations with structured outputs; empty disables refinement.',
  },
  WHISPER_BASE_URL: {
    schema: z.union([z.literal(''), z.url()]).default(''),
    description: 'Self-hosted Whisper server speaking /v1/audio/transcriptions (faster-whisper-server, whisper.cpp), e.g. http://whisper:8000/v1.',
  },
  WHISPER_MODEL: { schema: z.string().min(1).default('Systran/faster-whisper-small'), description: 'Model name sent to the Whisper server.' },
  WHISPER_API_KEY: { schema: z.string().default(''), description: 'Bearer key for the Whisper server, if it wants one.', secret: true },
  TRANSCRIPTION_MAX_UPLOAD_BYTES: {
    schema: z.coerce.number().int().min(1024).default(24 * 1024 * 1024),
    description: 'Audio larger than this is cut into chunks (ffmpeg) before upload; OpenAI accepts 25 MB.',
  },
  TRANSCRIPTION_CHUNK_SEC: {
    schema: z.coerce.number().int().min(5).max(7200).default(600),
    description: 'Chunk length in seconds when audio must be cut.',
  },
  TRANSCRIPTION_MAX_RETRIES: {
    schema: z.coerce.number().int().min(0).max(10).default(4),
    description: 'Retries of one provider request on 429/5xx (exponential backoff, Retry-After honoured) before the job itself retries.',
  },
  ANALYSIS_RETRY_BASE_MS: {
    schema: z.coerce.number().int().min(10).default(5000),
    description: 'First retry delay of a failed pipeline step (doubles each attempt, 5 attempts).',
  },
  SMTP_URL: {
    schema: z.union([z.literal(''), z.string().regex(/^smtps?:\/\/.+/, 'must be an smtp:// or smtps:// URL')]).default(''),
    description: 'Outgoing mail server, e.g. smtps://user:password@smtp.example.com:465 ("report ready" and weekly digest emails); empty: notifications stay in the app.',
    secret: true,
  },
  MAIL_FROM: { schema: z.string().min(3).default('Rapport <rapport@localhost>'), description: 'From address of Rapport emails.' },
  PIPELINE_RECOVER_AFTER_SEC: {
    schema: z.coerce.number().int().min(60).max(86_400).default(600),
    description: 'An unfinished analysis run idle this long whose job is gone from Redis (lost, or failed by a crashed worker) is resumed at its step by the scheduler.',
  },
  PIPELINE_GIVE_UP_AFTER_SEC: {
    schema: z.coerce.number().int().min(600).max(30 * 86_400).default(86_400),
    description: 'An analysis run still unfinished this long after it was queued is failed with code "stalled" (the owner can analyse again).',
  },
  ANALYSIS_CONCURRENCY: {
    schema: z.coerce.number().int().min(1).max(64).default(2),
    description: 'Analysis pipeline jobs one worker process runs at once.',
  },
  // Calendar integrations (issue 5): OAuth clients, vendor base URLs (tests point them at fakes), sync and bot planning.
  GOOGLE_CLIENT_ID: { schema: z.string().default(''), description: 'Google OAuth client id (Calendar connect); empty disables Google calendars.' },
  GOOGLE_CLIENT_SECRET: { schema: z.string().default(''), description: 'Google OAuth client secret.', secret: true },
  GOOGLE_API_BASE_URL: {
    schema: z.url().default('https://www.googleapis.com/'),
    description: 'Google Calendar API root (tests point it at the local fake).',
  },
  GOOGLE_OAUTH_BASE_URL: {
    schema: z.union([z.literal(''), z.url()]).default(''),
    description: "Google OAuth endpoints root ({base}/o/oauth2/v2/auth, /token, /revoke); empty for Google's own.",
  },
  MS_CLIENT_ID: { schema: z.string().default(''), description: 'Microsoft Entra app (client) id (Outlook calendar connect); empty disables Microsoft calendars.' },
  MS_CLIENT_SECRET: { schema: z.string().default(''), description: 'Microsoft Entra client secret.', secret: true },
  MS_TENANT: { schema: z.string().min(1).default('common'), description: 'Entra tenant: "common" for work and personal accounts, or a tenant id.' },
  GRAPH_BASE_URL: { schema: z.url().default('https://graph.microsoft.com'), description: 'Microsoft Graph root (tests point it at the local fake).' },
  LOGIN_BASE_URL: { schema: z.url().default('https://login.microsoftonline.com'), description: 'Microsoft identity platform root (token endpoint).' },
  WEBHOOK_BASE_URL: {
    schema: z.union([z.literal(''), z.url()]).default(''),
    description: 'Public HTTPS base URL Google/Graph push notifications are sent to; empty uses PUBLIC_URL.',
  },
  CALENDAR_SYNC_WINDOW_DAYS: {
    schema: z.coerce.number().int().min(1).max(180).default(28),
    description: 'Calendar sync window: 1 day back and this many days ahead.',
  },
  CALENDAR_JOIN_LEAD_SEC: {
    schema: z.coerce.number().int().min(0).max(1800).default(60),
    description: "Calendar bots are due in the meeting this many seconds before the event's start.",
  },
  CALENDAR_NOTIFY_DEBOUNCE_MS: {
    schema: z.coerce.number().int().min(0).max(600_000).default(2000),
    description: 'Push notifications for one calendar within this window are folded into one sync.',
  },
  CALENDAR_BOT_PLATFORMS: {
    schema: z.string().default('google_meet'),
    description: 'Comma-separated platforms calendar coverage plans bots for (google_meet, zoom, microsoft_teams); others show "platform_not_supported".',
  },
  BOT_JOIN_LEAD_SEC: {
    schema: z.coerce.number().int().min(0).max(3600).default(60),
    description: 'The scheduler enqueues a bot this many seconds before its join time (browser start-up, PulseAudio, page load).',
  },
  BOT_RUNNER_CONCURRENCY: {
    schema: z.coerce.number().int().min(1).max(64).default(4),
    description: 'Bots one bot-runner process runs at once (each is its own child process with its own Chromium).',
  },
  BOT_RUNNER_PORT: { schema: port(3003), description: 'Health/metrics port of the bot-runner process.' },
  BOT_WORK_DIR: {
    schema: z.string().min(1).default('./.data/bot-work'),
    description: 'Local folder for bots\' plaintext working files; each bot folder is deleted once its outputs are encrypted and stored.',
  },
  BOT_HEARTBEAT_SEC: {
    schema: z.coerce.number().min(0.2).max(300).default(10),
    description: 'How often the bot runner records a heartbeat for each live bot.',
  },
  BOT_SILENCE_TIMEOUT_SEC: {
    schema: z.coerce.number().min(1).max(3600).default(60),
    description: 'The reaper marks a live bot without a heartbeat for this long fatal/bot_errored.',
  },
  BOT_REAPER_INTERVAL_SEC: {
    schema: z.coerce.number().min(0.2).max(3600).default(15),
    description: 'How often the scheduler looks for silent bots.',
  },
  BOT_DISPATCH_INTERVAL_SEC: {
    schema: z.coerce.number().min(0.2).max(3600).default(5),
    description: 'How often the scheduler enqueues bots coming due (new bots are also dispatched at once over Redis pub/sub).',
  },
  BOT_RECONCILE_GRACE_SEC: {
    schema: z.coerce.number().min(1).max(3600).default(30),
    description: 'A scheduled bot this late past its dispatch time without a live queue job is re-enqueued (lost job).',
  },
} satisfies Record<string, VarSpec<z.ZodTypeAny>>;

export type ConfigVarName = keyof typeof CONFIG_VARS;

export type AppConfig = {
  [K in ConfigVarName]: z.output<(typeof CONFIG_VARS)[K]['schema']>;
};
