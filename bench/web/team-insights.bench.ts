/**
 * Team-lead aggregates over 1 M analysed meetings and 5,000 users (goal: ≤ 100 ms p95).
 *
 * Builds a database with every migration, 5,000 users in 100 teams of 50 (one lead each),
 * 1,000,000 meetings spread over the last 52 weeks and one analysis per meeting (score,
 * metrics and improvement areas shaped like @rapport/analytics output), then times
 * TeamInsightsService.insights (the resolver's whole work: every aggregate query, in parallel,
 * as the dashboard asks for it) for random teams and windows of 12 and 52 weeks.
 *
 *   npx tsx bench/web/team-insights.bench.ts [--meetings 1000000] [--runs 200] [--keep] [--db URL]
 *
 * --keep leaves the seeded database and prints its URL; --db URL times an already seeded one.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { TeamsRepository, createDataSource } from '@rapport/database';
import { createTestDatabase } from '@rapport/testing';
import { TeamInsightsRepository } from '../../apps/api/src/team-insights/team-insights.repository';
import { TeamInsightsService } from '../../apps/api/src/team-insights/team-insights.service';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const MEETINGS = arg('meetings', 1_000_000);
const USERS = 5_000;
const TEAM_SIZE = 50;
const RUNS = arg('runs', 200);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function seed(ds: DataSource): Promise<void> {
  const t0 = performance.now();
  await ds.query(`SET synchronous_commit = off`);
  await ds.query(
    `INSERT INTO users (email, password_hash, role, display_name)
     SELECT 'user' || g || '@bench.test', 'x', CASE WHEN g % ${TEAM_SIZE} = 1 THEN 'team_lead'::user_role ELSE 'individual'::user_role END, 'User ' || g
       FROM generate_series(1, ${USERS}) g`,
  );
  await ds.query(`INSERT INTO teams (name) SELECT 'Team ' || g FROM generate_series(1, ${USERS / TEAM_SIZE}) g`);
  await ds.query(
    `WITH u AS (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users),
          t AS (SELECT id, row_number() OVER (ORDER BY name) AS n FROM teams)
     INSERT INTO team_memberships (team_id, user_id, role, share_individual_metrics)
     SELECT t.id, u.id, CASE WHEN u.n % ${TEAM_SIZE} = 1 THEN 'lead'::team_member_role ELSE 'member'::team_member_role END, u.n % 5 = 0
       FROM u JOIN t ON t.n = (u.n - 1) / ${TEAM_SIZE} + 1`,
  );
  // Meetings and analyses in batches of 100k (one statement per batch keeps memory flat).
  const users: Array<{ id: string }> = await ds.query(`SELECT id FROM users ORDER BY email`);
  await ds.query(`CREATE TEMP TABLE bench_users AS SELECT id, row_number() OVER (ORDER BY email) - 1 AS n FROM users`);
  await ds.query(`CREATE INDEX ON bench_users (n)`);
  for (let from = 0; from < MEETINGS; from += 100_000) {
    const to = Math.min(MEETINGS, from + 100_000);
    await ds.query(
      `WITH g AS (
         SELECT i, (i::bigint * 7919) % ${users.length} AS un, now() - (random() * interval '364 days') AS at FROM generate_series(${from}, ${to - 1}) i),
       m AS (
         INSERT INTO meetings (user_id, title, duration, created_at)
         SELECT bu.id, 'Meeting ' || g.i, 900 + (g.i % 2700), g.at FROM g JOIN bench_users bu ON bu.n = g.un
         RETURNING id, user_id, created_at)
       INSERT INTO meeting_analyses (meeting_id, user_id, speaker_name, communication_score, improvement_areas, recommendations, metrics, created_at)
       SELECT m.id, m.user_id, 'Speaker', 40 + (random() * 60)::int,
              CASE WHEN random() < 0.5 THEN jsonb_build_array(jsonb_build_object('area', (ARRAY['filler_words','pacing','conciseness','active_listening','questioning','turn_taking'])[1 + (random() * 5)::int], 'severity', 'medium', 'evidence', '{}'::jsonb))
                   ELSE '[]'::jsonb END,
              '{}',
              jsonb_build_object('talkTimeShare', round((0.05 + random() * 0.6)::numeric, 3), 'wordsPerMinute', round((110 + random() * 90)::numeric, 1),
                                 'fillerWordsPer100', round((random() * 8)::numeric, 2), 'questionCount', (random() * 12)::int, 'longestMonologueSec', round((random() * 150)::numeric, 1),
                                 'talkTimeSec', 300, 'wordCount', 800, 'turns', 20, 'interruptionsMade', 1, 'interruptionsReceived', 1),
              m.created_at
         FROM m`,
    );
    process.stderr.write(`  seeded ${to.toLocaleString()} meetings (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  await ds.query(`VACUUM ANALYZE meetings`);
  await ds.query(`VACUUM ANALYZE meeting_analyses`);
  await ds.query(`ANALYZE team_memberships`);
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--db');
  const reuse = i > 0 ? process.argv[i + 1]! : null;
  const db = reuse ? { url: reuse, drop: async () => undefined } : await createTestDatabase();
  const ds = await createDataSource({ url: db.url, poolSize: 10 }).initialize();
  try {
    if (!reuse) {
      process.stderr.write(`Seeding ${MEETINGS.toLocaleString()} meetings for ${USERS} users…\n`);
      await seed(ds);
    }
    const leads: Array<{ teamId: string; userId: string }> = await ds.query(
      `SELECT team_id AS "teamId", user_id AS "userId" FROM team_memberships WHERE role = 'lead' ORDER BY team_id`,
    );
    const service = new TeamInsightsService(new TeamInsightsRepository(ds), new TeamsRepository(ds));
    const size: Array<{ n: string; rows: string }> = await ds.query(
      `SELECT pg_size_pretty(pg_total_relation_size('meeting_analyses')) AS n, (SELECT count(*) FROM meeting_analyses)::text AS rows`,
    );
    console.log(`meeting_analyses: ${Number(size[0]!.rows).toLocaleString()} rows, ${size[0]!.n}; ${leads.length} teams of ${TEAM_SIZE}`);
    for (const weeks of [12, 52]) {
      for (let i = 0; i < 20; i++) {
        const l = leads[i % leads.length]!;
        await service.insights({ id: l.userId, role: 'team_lead', jti: '', exp: 0 }, l.teamId, weeks);
      }
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < RUNS; i++) {
        const l = leads[Math.floor(Math.random() * leads.length)]!;
        const t = performance.now();
        const r = await service.insights({ id: l.userId, role: 'team_lead', jti: '', exp: 0 }, l.teamId, weeks);
        times.push(performance.now() - t);
        rows += r.meetings;
      }
      console.log(
        `teamInsights, ${weeks} weeks (~${Math.round(rows / RUNS)} analysed meetings per team): ` +
          `p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms over ${RUNS} runs`,
      );
    }
    // Several leads at once (8 in flight) on the same 2 cores: latency per request.
    for (const weeks of [12, 52]) {
      const times: number[] = [];
      let next = 0;
      const worker = async () => {
        while (next < RUNS) {
          next++;
          const l = leads[Math.floor(Math.random() * leads.length)]!;
          const t = performance.now();
          await service.insights({ id: l.userId, role: 'team_lead', jti: '', exp: 0 }, l.teamId, weeks);
          times.push(performance.now() - t);
        }
      };
      const t0 = performance.now();
      await Promise.all(Array.from({ length: 8 }, worker));
      const secs = (performance.now() - t0) / 1000;
      console.log(`teamInsights, ${weeks} weeks, 8 concurrent: p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms, ${(RUNS / secs).toFixed(0)} req/s`);
    }
  } finally {
    await ds.destroy();
    if (!process.argv.includes('--keep')) await db.drop();
    else console.log(`kept ${db.url}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
