/**
 * The calendar control plane end to end (PostgreSQL, Redis/Bull, the real API and scheduler
 * modules) against the local fake Google Calendar server:
 *
 * 1. initial sync + planning: N connected calendars × E events, each connection's first full sync
 *    run by the scheduler's `calendar.sync` processor: adapter + SDK, tokens decrypted with the
 *    user's key, every event upserted with its coverage decision, linked to its canonical
 *    meeting (10 % of meetings are shared by 5 calendars: one meeting row, one bot), bots planned;
 * 2. steady state: one event moved → its push notification POSTed to the API webhook (verified,
 *    acknowledged, debounced job) → incremental sync → the bot's join time moved in the database;
 *    latency per notification, one at a time;
 * 3. dispatch: B bots due in the same minute (join times spread over 60 s), the scheduler's
 *    dispatcher enqueues `bot.run` at join − BOT_JOIN_LEAD_SEC; a consumer records when each job
 *    starts; the scheduler is restarted once inside the window. Reports the error against the
 *    due time (p50/p99/max), bots never started, and bots started twice.
 *
 *   npx tsx bench/calendar-sync/calendar-pipeline.bench.ts [--calendars 2000] [--events 50] [--notifications 100] [--bots 500]
 *
 * Prints one JSON object. Results: docs/benchmarks.md ("Calendar control plane").
 */
import { cpus } from 'node:os';
import { createServer } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Bull from 'bull';
import { DataSource } from 'typeorm';
import { FakeGoogleCalendarServer, type FakeGoogleEvent } from '@rapport/calendar';
import { DataKeyService, encryptJson } from '@rapport/crypto';
import { calendarChannelSecret } from '@rapport/database';
import { QUEUES, bullOptions, calendarSyncJob } from '@rapport/queue';
import { createTestDatabase, testConfig } from '@rapport/testing';
import { createApiApp } from '../../apps/api/src/app.factory';
import { SchedulerModule } from '../../apps/scheduler/src/scheduler.module';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CALENDARS = arg('calendars', 2000);
const EVENTS = arg('events', 50);
const NOTIFICATIONS = arg('notifications', 100);
const BOTS = arg('bots', 500);
const HOUR = 3_600_000;
const MIN = 60_000;

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  const r = (x: number): number => Math.round(x * 10) / 10;
  return s.length ? { p50: r(at(0.5)), p95: r(at(0.95)), p99: r(at(0.99)), max: r(s[s.length - 1]), n: s.length } : { n: 0 };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const base = Math.floor(Date.now() / MIN) * MIN + 2 * HOUR;

/** Event e of calendar c: ¾ with a Meet link; every 10th meeting shared by 5 neighbouring calendars. */
function event(c: number, e: number, shift = 0): FakeGoogleEvent {
  const start = new Date(base + (e % 25) * 24 * HOUR + Math.floor(e / 25) * HOUR + shift);
  const shared = e % 10 === 0;
  const code = `${shared ? 'shr' : 'cal'}-${String(shared ? Math.floor(c / 5) : c).padStart(4, '0')}-${String(e).padStart(3, '0')}`;
  const meet = `https://meet.google.com/${code.replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)])}`;
  return {
    id: `c${c}e${e}`,
    summary: `Event ${e}`,
    start: { dateTime: start.toISOString() },
    end: { dateTime: new Date(start.getTime() + 30 * MIN).toISOString() },
    organizer: { email: `u${c}@acme.test`, self: true },
    attendees: [
      { email: `u${c}@acme.test`, self: true, responseStatus: 'accepted' },
      { email: 'client@other.test', responseStatus: 'accepted' },
    ],
    ...(e % 4 === 3 ? { description: 'No link here' } : { hangoutLink: meet }),
  };
}

async function main(): Promise<void> {
  const google = await FakeGoogleCalendarServer.start();
  const db = await createTestDatabase();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = await testConfig(db.url, {
    PUBLIC_URL: baseUrl,
    GOOGLE_CLIENT_ID: google.clientId,
    GOOGLE_CLIENT_SECRET: google.clientSecret,
    GOOGLE_API_BASE_URL: google.apiRootUrl,
    GOOGLE_OAUTH_BASE_URL: google.url,
    CALENDAR_NOTIFY_DEBOUNCE_MS: '0',
    DATABASE_POOL_SIZE: '20',
  });
  const api = await createApiApp(config, { bufferLogs: false });
  await api.listen(port, '127.0.0.1');
  let scheduler: INestApplication = await NestFactory.create(SchedulerModule.forRoot(config), { logger: false });
  api.useLogger(false);
  await scheduler.init();
  let ds = scheduler.get(DataSource);
  const queue = new Bull(QUEUES.calendar, bullOptions(config));
  const out: Record<string, unknown> = { machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, calendars: CALENDARS, eventsPerCalendar: EVENTS };

  try {
    // ---------------------------------------------------------------- set-up (not timed)
    const keys = scheduler.get(DataKeyService);
    const conns: Array<{ id: string; userId: string; calendarId: string }> = [];
    for (let c = 0; c < CALENDARS; c++) {
      const [u] = await ds.query(`INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id`, [`u${c}@acme.test`]);
      const { wrapped } = await keys.newKey();
      await ds.query(`INSERT INTO user_keys (user_id, master_key_id, wrapped_key) VALUES ($1, $2, $3)`, [u.id, wrapped.masterKeyId, wrapped.wrapped]);
      const calendarId = `cal-${c}@acme.test`;
      for (let e = 0; e < EVENTS; e++) google.putEvent(calendarId, event(c, e));
      const grant = google.createGrant();
      const key = await keys.keyFor(u.id);
      const [conn] = await ds.query(`INSERT INTO calendar_connections (user_id, provider, calendar_id) VALUES ($1, 'google', $2) RETURNING id`, [u.id, calendarId]);
      const tokens = { accessToken: grant.accessToken, refreshToken: grant.refreshToken, expiresAt: grant.expiresAt, scopes: ['https://www.googleapis.com/auth/calendar.events.readonly'] };
      await ds.query(`UPDATE calendar_connections SET tokens = $2 WHERE id = $1`, [conn.id, encryptJson(key, tokens, `calendar-token:${conn.id}`)]);
      conns.push({ id: conn.id, userId: u.id, calendarId });
    }

    // ---------------------------------------------------------------- 1. initial sync + planning
    const t0 = Date.now();
    for (const conn of conns) {
      const job = calendarSyncJob({ connectionId: conn.id, reason: 'connect', full: true }, 0);
      await queue.add(job.name, job.data, job.opts);
    }
    for (;;) {
      const [row] = await ds.query(`SELECT count(*)::int AS n FROM calendar_connections WHERE last_full_sync_at IS NOT NULL`);
      if (row.n >= CALENDARS) break;
      if (Date.now() - t0 > 30 * MIN) throw new Error(`initial sync incomplete: ${row.n}/${CALENDARS}`);
      await sleep(200);
    }
    const wall = (Date.now() - t0) / 1000;
    const [counts] = await ds.query(
      `SELECT (SELECT count(*)::int FROM calendar_events) AS events, (SELECT count(*)::int FROM meetings) AS meetings,
              (SELECT count(*)::int FROM bots WHERE status = 'scheduled') AS bots,
              (SELECT count(*)::int FROM (SELECT meeting_id FROM bots WHERE status = 'scheduled' GROUP BY meeting_id HAVING count(*) > 1) d) AS duplicate_bots`,
    );
    out.initialSync = { wallSec: wall, eventsPerSec: Math.round((CALENDARS * EVENTS) / wall), ...counts };
    process.stderr.write(`initialSync ${JSON.stringify(out.initialSync)}\n`);

    // ---------------------------------------------------------------- 2. steady state: one change notification
    const sample = conns.slice(0, Math.min(NOTIFICATIONS, conns.length));
    for (const conn of sample) await queue.add('calendar.watch', { connectionId: conn.id, action: 'ensure' }, { removeOnComplete: true });
    for (;;) {
      // Counted over the sample only: the sweep opens channels for every other calendar too.
      const [row] = await ds.query(`SELECT count(DISTINCT connection_id)::int AS n FROM calendar_channels WHERE stopped_at IS NULL AND connection_id = ANY($1::uuid[])`, [sample.map((c) => c.id)]);
      if (row.n >= sample.length) break;
      await sleep(100);
    }
    const latencies: number[] = [];
    const requestsPerChange: number[] = [];
    for (const [i, conn] of sample.entries()) {
      const c = conns.indexOf(conn);
      const moved = event(c, 1, 15 * MIN); // a non-shared meeting with a link
      google.putEvent(conn.calendarId, moved);
      const [ch] = await ds.query(`SELECT id, provider_channel_id, resource_id FROM calendar_channels WHERE connection_id = $1 AND stopped_at IS NULL ORDER BY created_at DESC LIMIT 1`, [conn.id]);
      const expected = new Date(Date.parse(moved.start!.dateTime!) - config.CALENDAR_JOIN_LEAD_SEC * 1000).toISOString();
      const before = google.requests.length;
      const t = process.hrtime.bigint();
      const res = await fetch(`${baseUrl}/api/v1/webhooks/google-calendar`, {
        method: 'POST',
        headers: {
          'x-goog-channel-id': ch.provider_channel_id,
          'x-goog-resource-id': ch.resource_id,
          'x-goog-resource-state': 'exists',
          'x-goog-message-number': String(1000 + i),
          'x-goog-channel-token': calendarChannelSecret(config.JWT_SECRET, ch.id),
        },
      });
      if (res.status !== 202) throw new Error(`notification answered ${res.status}`);
      for (;;) {
        const [b] = await ds.query(
          `SELECT b.join_at FROM calendar_events ce JOIN bots b ON b.meeting_id = ce.meeting_id AND b.status = 'scheduled'
            WHERE ce.connection_id = $1 AND ce.provider_event_id = $2`,
          [conn.id, moved.id],
        );
        if (b && new Date(b.join_at).toISOString() === expected) break;
        await sleep(2);
      }
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      requestsPerChange.push(google.requests.length - before);
    }
    out.notification = { latencyMs: stats(latencies), vendorRequestsPerChange: stats(requestsPerChange) };
    process.stderr.write(`notification ${JSON.stringify(out.notification)}\n`);

    // ---------------------------------------------------------------- 3. B bots due in the same minute
    const lead = config.BOT_JOIN_LEAD_SEC;
    const windowStart = Date.now() + (lead + 20) * 1000;
    const runnerDs = await new DataSource({ type: 'postgres', url: db.url, extra: { max: 10 } }).initialize();
    const [mt] = await ds.query(`INSERT INTO meetings (user_id, title) VALUES ($1, 'dispatch bench') RETURNING id`, [conns[0].userId]);
    const due = new Map<string, number>();
    for (let i = 0; i < BOTS; i++) {
      const [m] = i === 0 ? [mt] : await ds.query(`INSERT INTO meetings (user_id, title) VALUES ($1, 'dispatch bench') RETURNING id`, [conns[i % conns.length].userId]);
      const joinAt = new Date(windowStart + Math.floor((i * 60_000) / BOTS));
      const [b] = await ds.query(
        `INSERT INTO bots (user_id, meeting_id, meeting_url, platform, bot_name, join_at, status) VALUES ($1, $2, 'https://meet.google.com/abc-defg-hij', 'google_meet', 'Bench', $3, 'scheduled') RETURNING id`,
        [conns[i % conns.length].userId, m.id, joinAt.toISOString()],
      );
      due.set(b.id, joinAt.getTime() - lead * 1000);
    }
    // A stand-in for the bot runner: takes each job and claims the bot the way the runner does
    // (scheduled → joining_call, once); a second job for the same bot is counted, a second claim cannot happen.
    const started = new Map<string, number[]>();
    let jobsRun = 0;
    const runner = new Bull(QUEUES.bots, bullOptions(config));
    void runner.process('bot.run', 1000, async (job: Bull.Job<{ botId: string }>) => {
      const at = Date.now();
      jobsRun++;
      const claimed = await runnerDs.query(`UPDATE bots SET status = 'joining_call', started_at = now() WHERE id = $1 AND status = 'scheduled' RETURNING id`, [job.data.botId]);
      const rows = Array.isArray(claimed[0]) ? claimed[0] : claimed;
      const list = started.get(job.data.botId) ?? [];
      list.push(rows.length ? at : -at);
      started.set(job.data.botId, list);
    });
    // Restart the scheduler halfway through the window (rows are the truth, job id = bot id).
    const restartAt = windowStart - lead * 1000 + 30_000;
    while (Date.now() < restartAt) await sleep(100);
    await scheduler.close();
    scheduler = await NestFactory.create(SchedulerModule.forRoot(config), { logger: false });
    await scheduler.init();
    ds = scheduler.get(DataSource);
    const until = windowStart - lead * 1000 + 60_000 + 10_000;
    while (Date.now() < until) await sleep(200);
    const errors: number[] = [];
    let missed = 0;
    let claimedTwice = 0;
    let extraJobs = 0;
    for (const [botId, dueAt] of due) {
      const s = started.get(botId) ?? [];
      const claims = s.filter((t) => t > 0);
      extraJobs += Math.max(0, s.length - 1);
      if (claims.length === 0) {
        missed++;
        continue;
      }
      if (claims.length > 1) claimedTwice++;
      errors.push(Math.abs(claims[0] - dueAt));
    }
    await runner.close();
    await runnerDs.destroy();
    out.dispatch = { bots: BOTS, leadSec: lead, dispatchIntervalSec: config.BOT_DISPATCH_INTERVAL_SEC, absErrorMs: stats(errors), withinTwoSec: errors.filter((e) => e <= 2000).length, missed, claimedTwice, jobsRun, extraJobs, schedulerRestartedInWindow: true };
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await api.close();
    await scheduler.close();
    await google.stop();
    await db.drop();
  }
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
