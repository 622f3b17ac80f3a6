import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { CONFIG_VARS, type AppConfig } from '@rapport/config';
import { createTestDatabase, testConfig } from '@rapport/testing';
import { createApiApp } from '../src/app.factory';

export interface ApiHarness {
  baseUrl: string;
  app: NestExpressApplication;
  config: AppConfig;
  databaseUrl: string;
  close(): Promise<void>;
  request(method: string, path: string, opts?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
}

/** Starts the real API on a random port over a fresh, migrated database. */
export async function startApi(overrides: Record<string, string> = {}): Promise<ApiHarness> {
  const db = await createTestDatabase();
  const config = await testConfig(db.url, overrides);
  const app = await createApiApp(config, { bufferLogs: false });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    app,
    config,
    databaseUrl: db.url,
    async close() {
      await app.close();
      await db.drop();
    },
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let body: string | undefined;
      if (opts.rawBody !== undefined) {
        body = opts.rawBody;
        headers['content-type'] ??= 'application/json';
      } else if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] = 'application/json';
      }
      const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
}

export async function registerAndLogin(api: ApiHarness, email: string, password = 'correct horse battery') {
  const reg = await api.request('POST', '/api/v1/auth/register', { body: { email, password } });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
  const login = await api.request('POST', '/api/v1/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return { id: reg.body.id as string, ...(login.body as { accessToken: string; refreshToken: string; expiresIn: number }) };
}

/** The harness's configuration as environment variables, for the other processes a test spawns. */
export function configEnv(config: AppConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of Object.keys(CONFIG_VARS) as Array<keyof AppConfig>) {
    const v = config[name];
    if (v !== undefined && v !== null) env[name] = String(v);
  }
  return env;
}

/** Polls `fn` until it returns something truthy, or fails naming what it waited for. */
export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
