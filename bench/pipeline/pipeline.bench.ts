/**
 * Analysis pipeline benchmark, on the real PostgreSQL and Redis.
 *
 * 1. Latency: "bot done → analysis stored" for a 30-minute, 6-speaker meeting transcribed from
 *    the platform captions (no provider time to exclude). A meeting is stored exactly as the bot
 *    hand-off stores it (7 MB encrypted Ogg/Opus recording, timeline, captions); the clock starts
 *    at the meeting.process enqueue and stops when the meeting_analyses row is committed (and,
 *    separately, when the run has finished practice modules and notifications).
 * 2. Throughput: jobs/s with 2 worker processes (ANALYSIS_CONCURRENCY each) draining a burst of
 *    10-minute, 4-speaker meetings; each meeting is 6 jobs (process + 5 steps).
 *
 *   npx tsx bench/pipeline/pipeline.bench.ts [--runs 5] [--burst 40] [--concurrency 2]
 *
 * Prints JSON; exits 1 if the median latency exceeds 10 s. Results: docs/benchmarks.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { syntheticMeeting, type Transcript } from '@rapport/analytics';
import { repoRoot } from '@rapport/common';
import type { AppConfig } from '@rapport/config';
import { UserKeysRepository, UsersRepository } from '@rapport/database';
import { createStandalonePipeline, seedFinishedMeeting, type RenderedMeeting, type StandalonePipeline } from '@rapport/pipeline';
import { createTestDatabase, testConfig } from '@rapport/testing';
import type { BotCaption, BotTimeline } from '@rapport/transcription';

const BUDGET_MS = 10_000;
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const RUNS = arg('runs', 5);
const BURST = arg('burst', 40);
const CONCURRENCY = arg('concurrency', 2);

/** What the bot would have produced for this transcript: speaking turns and caption lines. */
function botOutputs(t: Transcript, recording: Buffer): Omit<RenderedMeeting, 'durationSec'> & { durationSec: number } {
  const name = new Map(t.speakers.map((s) => [s.id, s.name]));
  const speakerTurns: BotTimeline['speakerTurns'] = t.utterances.map((u) => ({ speaker: name.get(u.speaker)!, startMs: Math.round(u.start * 1000), endMs: Math.round(u.end * 1000) }));
  const captions: BotCaption[] = t.utterances.map((u) => ({ speaker: name.get(u.speaker)!, text: u.text, atMs: Math.round(u.start * 1000) + 700 }));
  return {
    recording,
    contentType: 'audio/ogg',
    durationSec: t.durationSec ?? t.utterances.at(-1)!.end,
    timeline: { recordingStartedAt: new Date().toISOString(), events: [], speakerTurns },
    captions,
  };
}

/** Noise rather than silence, so the recording has a real 32 kbit/s size (~7 MB for 30 min). */
function noiseOgg(seconds: number): Buffer {
  return execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `anoisesrc=r=16000:a=0.05:d=${seconds}`, '-ac', '1', '-c:a', 'libopus', '-b:a', '32k', '-f', 'ogg', 'pipe:1'], { maxBuffer: 64 << 20 });
}

async function makeUser(p: StandalonePipeline, email: string, displayName: string): Promise<string> {
  const users = new UsersRepository(p.ds);
  const u = (await users.create({ email, passwordHash: 'x', retentionDays: 30 }))!;
  await users.update(u.id, { displayName });
  await new UserKeysRepository(p.ds).insert(u.id, (await p.keys.newKey()).wrapped);
  return u.id;
}

async function until(p: StandalonePipeline, sql: string, params: unknown[], timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const rows = (await p.ds.query(sql, params)) as unknown[];
    if (rows.length) return;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${sql}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x);
  return { median: r(s[Math.floor((s.length - 1) / 2)]!), min: r(s[0]!), max: r(s.at(-1)!), runs: s.length };
}

async function latency(config: AppConfig) {
  const stepMs: Record<string, number[]> = {};
  const p = await createStandalonePipeline(config, {
    log: {
      info: (o: object) => {
        const { step, ms } = o as { step?: string; ms?: number };
        if (step && ms !== undefined) (stepMs[step] ??= []).push(ms);
      },
      warn: (o: object) => console.error(JSON.stringify(o)),
      error: (o: object) => console.error(JSON.stringify(o)),
    },
  });
  p.work(CONCURRENCY);
  try {
    const owner = await makeUser(p, 'owner@example.com', 'Speaker 1');
    const t = syntheticMeeting({ speakers: 6, durationSec: 1800, seed: 11 });
    const outputs = botOutputs(t, noiseOgg(1800));
    const stored: number[] = [];
    const done: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const meeting = await seedFinishedMeeting(p, { userId: owner, title: `Latency ${i}`, ...outputs });
      const t0 = performance.now();
      await p.queue.enqueueProcess({ meetingId: meeting.id, botId: null, reason: 'bot_done' });
      await until(p, `SELECT 1 FROM meeting_analyses WHERE meeting_id = $1`, [meeting.id]);
      const t1 = performance.now();
      await until(p, `SELECT 1 FROM pipeline_runs WHERE meeting_id = $1 AND status IN ('completed', 'failed')`, [meeting.id]);
      const t2 = performance.now();
      const [run] = (await p.ds.query(`SELECT status, error_message FROM pipeline_runs WHERE meeting_id = $1`, [meeting.id])) as Array<{ status: string; error_message: string | null }>;
      if (run!.status !== 'completed') throw new Error(`run failed: ${run!.error_message}`);
      if (i === 0) continue; // warm-up
      stored.push(t1 - t0);
      done.push(t2 - t0);
    }
    const steps = Object.fromEntries(Object.entries(stepMs).map(([k, v]) => [k, stats(v.slice(1)).median]));
    return {
      meeting: { durationSec: 1800, speakers: 6, utterances: t.utterances.length, words: t.utterances.reduce((n, u) => n + u.text.split(' ').length, 0), recordingBytes: outputs.recording.length },
      analysisStoredMs: stats(stored),
      runCompletedMs: stats(done),
      stepMedianMs: steps,
    };
  } finally {
    await p.close();
  }
}

async function throughput(config: AppConfig) {
  const p = await createStandalonePipeline(config);
  const env = { ...process.env, ...Object.fromEntries(Object.entries(config).map(([k, v]) => [k, String(v)])), ANALYSIS_CONCURRENCY: String(CONCURRENCY) };
  const workers: ChildProcess[] = [];
  try {
    const owner = await makeUser(p, 'burst@example.com', 'Speaker 1');
    const t = syntheticMeeting({ speakers: 4, durationSec: 600, seed: 5 });
    const outputs = botOutputs(t, noiseOgg(600));
    const ids: string[] = [];
    for (let i = 0; i < BURST; i++) ids.push((await seedFinishedMeeting(p, { userId: owner, title: `Burst ${i}`, ...outputs })).id);
    for (let i = 0; i < 2; i++) {
      const w = fork(join(repoRoot(), 'bench/pipeline/worker.ts'), [], { env, execArgv: ['--import', 'tsx'], stdio: 'inherit' });
      await new Promise<void>((res, rej) => {
        w.once('message', () => res());
        w.once('exit', (code) => rej(new Error(`worker exited ${code}`)));
      });
      workers.push(w);
    }
    const t0 = performance.now();
    for (const id of ids) await p.queue.enqueueProcess({ meetingId: id, botId: null, reason: 'bot_done' });
    await until(p, `SELECT 1 WHERE (SELECT count(*) FROM pipeline_runs WHERE status IN ('completed', 'failed') AND meeting_id = ANY($2::uuid[])) >= $1`, [BURST, ids], 600_000);
    const sec = (performance.now() - t0) / 1000;
    const [{ failed }] = (await p.ds.query(`SELECT count(*)::int AS failed FROM pipeline_runs WHERE status = 'failed' AND meeting_id = ANY($1::uuid[])`, [ids])) as Array<{ failed: number }>;
    return { meetings: BURST, jobs: BURST * 6, seconds: Math.round(sec * 100) / 100, jobsPerSec: Math.round(((BURST * 6) / sec) * 10) / 10, meetingsPerSec: Math.round((BURST / sec) * 100) / 100, failed, workers: 2, concurrencyEach: CONCURRENCY };
  } finally {
    await Promise.all(workers.map((w) => new Promise<void>((res) => {
      if (w.exitCode !== null) return res();
      w.once('exit', () => res());
      w.kill('SIGTERM');
    })));
    await p.close();
  }
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  try {
    const config = await testConfig(db.url, { ANALYSIS_RETRY_BASE_MS: '100' });
    const lat = await latency(config);
    const thr = await throughput(config);
    const out = { machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadavg: loadavg().map((x) => Math.round(x * 10) / 10) }, latency: lat, throughput: thr };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    if (lat.analysisStoredMs.median > BUDGET_MS) {
      process.stderr.write(`median bot-done → analysis stored ${lat.analysisStoredMs.median} ms exceeds ${BUDGET_MS} ms\n`);
      process.exitCode = 1;
    }
  } finally {
    await db.drop();
  }
}

void main().then(() => process.exit());
