import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError, repoRoot } from '@rapport/common';

interface DemoOptions {
  api: string;
  sim: string;
  scenario: string;
  email?: string;
  timeout: string;
}

type Json = Record<string, any>;

async function call(base: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let parsed: Json = {};
  try {
    parsed = text ? (JSON.parse(text) as Json) : {};
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, body: parsed };
}

async function waitUntil<T>(what: string, deadline: number, fn: () => Promise<T | null>): Promise<T> {
  for (;;) {
    const v = await fn().catch(() => null);
    if (v !== null) return v;
    if (Date.now() > deadline) throw new AppError('unavailable', 'demo_timeout', `Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `rapport demo`: the product's main job end to end against a running product started with
 * `rapport start --demo`: a user signs up, invites the bot to a simulated Meet call (scripted
 * multi-speaker speech), watches its statuses, and reads the report the pipeline produced.
 * Everything goes through the public API, as the dashboard does.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Send a bot into a simulated meeting through the API and print the resulting report')
    .option('--api <url>', 'API base URL', 'http://127.0.0.1:3000')
    .option('--sim <url>', 'meeting simulator base URL', 'http://127.0.0.1:4010')
    .option('--scenario <file>', 'simulator scenario JSON', join('bots', 'simulator', 'scenarios', 'standup.json'))
    .option('--email <email>', 'demo account email (default: a fresh one)')
    .option('--timeout <sec>', 'give up after this many seconds', '240')
    .action(async (opts: DemoOptions) => {
      const deadline = Date.now() + Number(opts.timeout) * 1000;
      const file = opts.scenario.startsWith('/') ? opts.scenario : join(repoRoot(), opts.scenario);
      let scenario: Json;
      try {
        scenario = JSON.parse(readFileSync(file, 'utf8')) as Json;
      } catch (err) {
        throw new AppError('bad_request', 'bad_scenario', `Cannot read scenario ${file}: ${(err as Error).message}`);
      }
      await waitUntil('the API', deadline, async () => ((await call(opts.api, 'GET', '/health')).status === 200 ? true : null));

      const email = opts.email ?? `demo-${randomBytes(3).toString('hex')}@rapport.local`;
      const password = `demo-${randomBytes(6).toString('hex')}`;
      const reg = await call(opts.api, 'POST', '/api/v1/auth/register', { email, password });
      if (reg.status !== 201) throw new AppError('bad_request', 'demo_register_failed', `Sign-up failed: ${reg.body.message ?? reg.status}`);
      const login = await call(opts.api, 'POST', '/api/v1/auth/login', { email, password });
      const token = login.body.accessToken as string;
      say(`Signed up ${email} (password ${password})`);

      const meeting = await call(opts.sim, 'POST', '/_sim/meetings', scenario.scenario ? scenario : { scenario });
      if (meeting.status !== 201) throw new AppError('unavailable', 'demo_sim_failed', `The simulator refused the scenario: ${meeting.body.message ?? meeting.status} (is \`rapport start --demo\` running?)`);
      say(`Simulated Google Meet call: ${meeting.body.url as string}`);

      const bot = await call(opts.api, 'POST', '/api/v1/bots', { meetingUrl: meeting.body.url, botName: 'Rapport Notetaker' }, token);
      if (bot.status !== 201) throw new AppError('bad_request', 'demo_bot_failed', `Inviting the bot failed: ${bot.body.message ?? bot.status}`);
      const botId = bot.body.id as string;
      const meetingId = bot.body.meetingId as string;
      say(`Bot ${botId} invited; statuses:`);

      let seen = 0;
      const final = await waitUntil('the bot to finish', deadline, async () => {
        const ev = await call(opts.api, 'GET', `/api/v1/bots/${botId}/events`, undefined, token);
        const events = (Array.isArray(ev.body) ? ev.body : (ev.body.items ?? [])) as Json[];
        for (const e of events.slice(seen)) say(`  ${String(e.at)}  ${String(e.code)}${e.subCode ? ` (${String(e.subCode)})` : ''}`);
        seen = Math.max(seen, events.length);
        const last = events[events.length - 1];
        return last && (last.code === 'done' || last.code === 'fatal') ? last : null;
      });
      if (final.code === 'fatal') throw new AppError('unavailable', 'demo_bot_fatal', `The bot ended fatal/${String(final.subCode)}`);

      // The demo user was not a speaker; claim the first speaker as "me" to see a personal report.
      const speakers = await waitUntil('the transcript', deadline, async () => {
        const m = await call(opts.api, 'GET', `/api/v1/meetings/${meetingId}`, undefined, token);
        const list = (m.body.speakers ?? []) as Json[];
        return list.length ? list : null;
      });
      const me = speakers[0]!;
      await call(opts.api, 'POST', `/api/v1/meetings/${meetingId}/speakers/${encodeURIComponent(String(me.label ?? me.speakerLabel))}/claim`, {}, token);
      const analysis = await waitUntil('the analysis', deadline, async () => {
        const a = await call(opts.api, 'GET', `/api/v1/meetings/${meetingId}/analysis`, undefined, token);
        return a.status === 200 && a.body.communicationScore !== undefined ? a.body : null;
      });
      const transcript = await call(opts.api, 'GET', `/api/v1/meetings/${meetingId}/transcript`, undefined, token);
      const content = (transcript.body.transcript ?? {}) as Json;
      const utterances = (content.utterances ?? []) as Json[];
      const names = new Map(((content.speakers ?? []) as Json[]).map((s) => [s.id, s.name]));
      say(`\nTranscript (${utterances.length} utterances, from ${String(transcript.body.source)}):`);
      for (const u of utterances.slice(0, 10)) say(`  [${Number(u.start).toFixed(1)}s] ${String(names.get(u.speaker) ?? u.speaker)}: ${String(u.text)}`);
      say(`\nReport for "${String(me.displayName ?? me.label)}" (claimed as the demo user):`);
      say(`  communication score: ${String(analysis.communicationScore)}`);
      const metrics = (analysis.metrics ?? {}) as Json;
      for (const k of ['talkTimeShare', 'wordsPerMinute', 'fillerWordsPer100', 'questionCount', 'longestMonologueSec', 'interruptionsMade']) {
        if (metrics[k] !== undefined && metrics[k] !== null) say(`  ${k}: ${typeof metrics[k] === 'number' ? Math.round(metrics[k] * 100) / 100 : String(metrics[k])}`);
      }
      for (const a of (analysis.improvementAreas ?? []) as Json[]) say(`  to improve: ${String(a.area)} (${String(a.severity)})`);
      for (const r of (analysis.recommendations ?? []) as string[]) say(`  - ${r}`);
      say(`\nOpen the dashboard: ${opts.api}/  (sign in as ${email} / ${password}) → Meetings → the report`);
    });
}
