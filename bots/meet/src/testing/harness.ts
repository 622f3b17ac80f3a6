import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { resolveBotOptions, type BotEvent, type BotOptionsInput } from '@rapport/bot-domain';
import { createBotLogger, parsePlatformOrigins, readRuntimeEnv, runBot, type BotRunResult } from '@rapport/bot-runtime';
import { SimulatorClient, type CreatedMeeting, type MeetingState, type RunningSimulator, type ScenarioInput } from '@rapport/simulator';
import { MeetBot } from '../meet.bot';

export interface ScenarioRun {
  meeting: CreatedMeeting;
  result: BotRunResult;
  events: BotEvent[];
  state: MeetingState;
  outDir: string;
}

/** Runs one Meet bot in-process against a simulated meeting and returns what both sides saw. */
export async function runMeetScenario(
  sim: RunningSimulator,
  scenario: ScenarioInput,
  options: BotOptionsInput = {},
  hooks: { onBrowser?: (pid: number) => void; onEvent?: (e: BotEvent) => void; signal?: AbortSignal } = {},
): Promise<ScenarioRun> {
  const client = new SimulatorClient(sim.origin);
  const meeting = await client.createMeeting(scenario);
  const outDir = mkdtempSync(join(tmpdir(), 'rapport-meet-int-'));
  const events: BotEvent[] = [];
  const result = await runBot({
    bot: new MeetBot(),
    botId: `int_${randomBytes(4).toString('hex')}`,
    meetingUrl: meeting.url,
    outDir,
    options: resolveBotOptions(options),
    log: createBotLogger(process.env.RAPPORT_TEST_BOT_LOG ?? 'warn'),
    env: { ...readRuntimeEnv(), platformOrigins: parsePlatformOrigins(`meet.google.com=${sim.origin}`) },
    onEvent: (e) => {
      events.push(e);
      hooks.onEvent?.(e);
    },
    onBrowser: ({ pid }) => hooks.onBrowser?.(pid),
    signal: hooks.signal,
  });
  const state = await client.state(meeting.code);
  return { meeting, result, events, state, outDir };
}

export function statusPath(events: readonly BotEvent[]): string[] {
  return events.map((e) => (e.subCode ? `${e.code}/${e.subCode}` : e.code));
}

/** Duration of a media file in seconds (ffprobe). */
export function mediaDurationS(file: string): number {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).toString().trim();
  return Number.parseFloat(out);
}

/** Mean volume (dBFS) of a window of a media file, from ffmpeg's volumedetect. */
export function meanVolumeDb(file: string, startS: number, durationS: number): number {
  const r = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-nostats', '-ss', Math.max(0, startS).toFixed(3), '-t', durationS.toFixed(3), '-i', file, '-af', 'volumedetect', '-f', 'null', '-'],
    { encoding: 'utf8' },
  );
  const m = /mean_volume: (-?[\d.]+|-inf) dB/.exec(r.stderr);
  if (!m) throw new Error(`volumedetect gave no mean volume for ${file}: ${r.stderr.slice(-500)}`);
  return m[1] === '-inf' ? -Infinity : Number.parseFloat(m[1]);
}
