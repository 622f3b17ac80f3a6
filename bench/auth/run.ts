/**
 * Auth benchmarks (run by hand: `npm run build && node dist/bench/auth/run.js`).
 * Starts the real API process over a fresh database, then measures:
 *  - GET /api/v1/me throughput and latency with autocannon,
 *  - refresh-token rotation throughput (chains of sequential refreshes, as clients do),
 *  - argon2id cost for candidate parameters (what a login costs the server).
 * Results go to stdout as JSON; docs/benchmarks.md records them with the machine.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import autocannon from 'autocannon';
import argon2 from 'argon2';
import { repoRoot } from '@rapport/common';
import { createTestDatabase } from '@rapport/testing';

const DURATION = Number(process.env.BENCH_DURATION_SEC ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

async function waitFor(url: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

async function post(base: string, path: string, body: unknown, token?: string) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

async function argonCosts() {
  const out: Array<{ memoryKiB: number; timeCost: number; medianMs: number }> = [];
  for (const [memoryCost, timeCost] of [
    [19456, 2],
    [19456, 3],
    [47104, 1],
    [65536, 3],
  ] as const) {
    const hash = await argon2.hash('benchmark password', { type: argon2.argon2id, memoryCost, timeCost, parallelism: 1 });
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      await argon2.verify(hash, 'benchmark password');
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    out.push({ memoryKiB: memoryCost, timeCost, medianMs: Math.round(times[7]! * 10) / 10 });
  }
  return out;
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  const port = 3900 + Math.floor(Math.random() * 50);
  const base = `http://127.0.0.1:${port}`;
  const api = spawn(process.execPath, [join(repoRoot(), 'dist/apps/api/src/main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: db.url,
      REDIS_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
      JWT_SECRET: randomBytes(32).toString('base64'),
      MASTER_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'rapport-bench-')),
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      LOGIN_MAX_PER_IP_PER_MIN: '100000',
      LOGIN_MAX_PER_EMAIL_PER_15MIN: '100000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor(`${base}/health`);
    await post(base, '/api/v1/auth/register', { email: 'bench@example.com', password: 'benchmark password' });
    const login = await post(base, '/api/v1/auth/login', { email: 'bench@example.com', password: 'benchmark password' });
    const token = login.body.accessToken as string;

    // Warm-up, then the measured run.
    await autocannon({ url: `${base}/api/v1/me`, connections: 10, duration: 3, headers: { authorization: `Bearer ${token}` } });
    const me = await autocannon({ url: `${base}/api/v1/me`, connections: CONNECTIONS, duration: DURATION, headers: { authorization: `Bearer ${token}` } });

    // Refresh: 20 independent sessions, each rotating its token as fast as it can.
    const chains = await Promise.all(
      Array.from({ length: 20 }, () => post(base, '/api/v1/auth/login', { email: 'bench@example.com', password: 'benchmark password' }).then((r) => r.body.refreshToken as string)),
    );
    let refreshes = 0;
    const lat: number[] = [];
    const until = Date.now() + DURATION * 1000;
    await Promise.all(
      chains.map(async (rt) => {
        let current = rt;
        while (Date.now() < until) {
          const t = performance.now();
          const r = await post(base, '/api/v1/auth/refresh', { refreshToken: current });
          lat.push(performance.now() - t);
          if (r.status !== 200) throw new Error(`refresh failed ${r.status}`);
          current = r.body.refreshToken;
          refreshes++;
        }
      }),
    );
    lat.sort((a, b) => a - b);

    const result = {
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      me: {
        connections: CONNECTIONS,
        durationSec: DURATION,
        requestsPerSec: me.requests.average,
        latencyMs: { p50: me.latency.p50, p99: me.latency.p99, max: me.latency.max },
        non2xx: me.non2xx,
        errors: me.errors,
      },
      refresh: {
        sessions: 20,
        perSec: Math.round(refreshes / DURATION),
        latencyMs: { p50: Math.round(lat[Math.floor(lat.length * 0.5)]!), p99: Math.round(lat[Math.floor(lat.length * 0.99)]!) },
      },
      argon2idVerify: await argonCosts(),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    api.kill('SIGTERM');
    await new Promise((r) => api.once('exit', r));
    await db.drop();
  }
}

void main();
