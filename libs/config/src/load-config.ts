import { z } from 'zod';
import { CONFIG_VARS, type AppConfig, type ConfigVarName } from './config.schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Set these variables (see .env.example) and start again.',
    );
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once at start-up. Every bad or missing variable is reported
 * together, each with its description, so an operator fixes them in one go.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(CONFIG_VARS) as ConfigVarName[]) {
    const spec = CONFIG_VARS[name];
    const raw = env[name];
    const result = (spec.schema as z.ZodTypeAny).safeParse(raw === '' ? undefined : raw);
    if (result.success) {
      out[name] = result.data;
    } else {
      const why = result.error.issues.map((i) => i.message).join('; ');
      problems.push(
        `${name}: ${raw === undefined ? 'missing' : 'invalid'} (${why}) — ${spec.description}`,
      );
    }
  }
  // Variables that only some settings require.
  if (out.KEY_PROVIDER === 'local' && !out.MASTER_KEYS) {
    problems.push(`MASTER_KEYS: missing (required with KEY_PROVIDER=local) — ${CONFIG_VARS.MASTER_KEYS.description}`);
  }
  if (out.KEY_PROVIDER === 'aws-kms' && !out.AWS_KMS_KEY_ID) {
    problems.push(`AWS_KMS_KEY_ID: missing (required with KEY_PROVIDER=aws-kms) — ${CONFIG_VARS.AWS_KMS_KEY_ID.description}`);
  }
  if (problems.length) throw new ConfigError(problems);
  const config = out as AppConfig;
  if (config.NODE_ENV === 'production' && config.JWT_SECRET.startsWith('change-me')) {
    throw new ConfigError(['JWT_SECRET: the example value cannot be used in production']);
  }
  return Object.freeze(config);
}

/** Lines for .env.example, kept true by a test. */
export function renderEnvExample(): string {
  const lines = ['# Rapport configuration. Generated from libs/config/src/config.schema.ts.'];
  for (const [name, spec] of Object.entries(CONFIG_VARS) as [
    string,
    { schema: z.ZodTypeAny; description: string; secret?: boolean; example?: string },
  ][]) {
    const def = spec.schema.safeParse(undefined);
    const value = spec.example ?? (def.success ? String(def.data) : '');
    lines.push('', `# ${spec.description}${spec.secret ? ' (secret)' : ''}`, `${name}=${value}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * For process entry points: the validated config, or every problem on stderr and exit code 78
 * (EX_CONFIG), so a supervisor shows what to fix instead of a stack trace.
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
