/**
 * How soon the report can play a recording: the whole file (what the page fetched before it could
 * play, until the media cookie) against the ranges a streaming <audio> asks for (its first 64 KiB,
 * then a seek into the middle), over the real API with chunk-encrypted storage.
 *
 * Build first (the API needs Nest's decorator metadata), then, from the repository root:
 *   npm run build && node dist/bench/web/recording-stream.bench.js [--minutes 60] [--kbps 32] [--runs 20]
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { BLOB_STORE } from '@rapport/core';
import { DataKeyService } from '@rapport/crypto';
import type { BlobStore } from '@rapport/storage';
import { registerAndLogin, startApi } from '../../apps/api/test/api-harness';
import { seedAnalysedMeeting, seedArtefacts } from '../../apps/api/src/graphql/testing/dashboard-seed';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const MINUTES = arg('minutes', 60);
const KBPS = arg('kbps', 32);
const RUNS = arg('runs', 20);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function main(): Promise<void> {
  const api = await startApi({ LOG_LEVEL: 'silent' });
  try {
    const ds = api.app.get(DataSource);
    const user = await registerAndLogin(api, 'bench@example.test');
    const seeded = await seedAnalysedMeeting(ds, { ownerId: user.id, title: 'Bench', speakers: [{ name: 'Bench', userId: user.id }, { name: 'Other' }], durationSec: MINUTES * 60, seed: 1 });
    // Opus at KBPS: the stream endpoint serves bytes, so random bytes of the right size stand in.
    const bytes = Math.round((MINUTES * 60 * KBPS * 1000) / 8);
    await seedArtefacts(
      { ds, blobs: api.app.get<BlobStore>(BLOB_STORE), keys: api.app.get(DataKeyService) },
      { ownerId: user.id, meetingId: seeded.meetingId, transcript: seeded.transcript, audio: randomBytes(bytes), contentType: 'audio/ogg', durationSec: MINUTES * 60 },
    );
    const url = `${api.baseUrl}/api/v1/meetings/${seeded.meetingId}/recording`;
    const session = await fetch(`${url}/session`, { method: 'POST', headers: { authorization: `Bearer ${user.accessToken}` } });
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
    const timed = async (headers: Record<string, string>, expect: number) => {
      const t0 = performance.now();
      const res = await fetch(url, { headers });
      const body = Buffer.from(await res.arrayBuffer());
      if (res.status !== expect) throw new Error(`status ${res.status}`);
      return { ms: performance.now() - t0, bytes: body.length };
    };
    const full: number[] = [];
    const first: number[] = [];
    const seek: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      full.push((await timed({ authorization: `Bearer ${user.accessToken}` }, 200)).ms);
      first.push((await timed({ cookie, range: 'bytes=0-65535' }, 206)).ms);
      const mid = Math.floor(bytes / 2);
      seek.push((await timed({ cookie, range: `bytes=${mid}-${mid + 65535}` }, 206)).ms);
    }
    const row = (name: string, xs: number[]) => `| ${name} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 95).toFixed(1)} |`;
    process.stdout.write(
      [
        `recording: ${MINUTES} min at ${KBPS} kbit/s = ${(bytes / 1e6).toFixed(1)} MB, chunk-encrypted, local storage; ${RUNS} runs each`,
        '| request | p50 ms | p95 ms |',
        '|---|---|---|',
        row('whole file (Bearer), until the last byte', full),
        row('first 64 KiB (media cookie, Range)', first),
        row('64 KiB seek to the middle (media cookie, Range)', seek),
        '',
      ].join('\n'),
    );
  } finally {
    await api.close();
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
