import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { ZodError } from 'zod';
import { AppError } from '@rapport/common';
import { isNormalEnd, resolveBotOptions, type BotOptions } from '@rapport/bot-domain';
import { runBot } from './bot-runner';
import { createBotLogger } from './logger';
import type { MeetingBot } from './meeting-bot';

/** Exit codes of a bot process (`rapport bot join` and the platform entry points). */
export const BOT_EXIT = { normal: 0, fatal: 1, badInput: 2, notAdmitted: 3 } as const;

/** Bot options from command-line arguments: `--options` JSON, then --name and --max-duration on top. */
export function botOptionsFromArgs(name: string | undefined, maxDuration: string | undefined, json: string | undefined): BotOptions {
  let extra: Record<string, unknown> = {};
  if (json !== undefined) {
    try {
      extra = JSON.parse(json) as Record<string, unknown>;
    } catch {
      throw new AppError('bad_request', 'invalid_options', '--options: not valid JSON');
    }
  }
  const input: Record<string, unknown> = { ...extra };
  if (name !== undefined) input.botName = name;
  if (maxDuration !== undefined) {
    const seconds = Number(maxDuration);
    if (!Number.isInteger(seconds) || seconds < 1) throw new AppError('bad_request', 'invalid_max_duration', '--max-duration: a whole number of seconds ≥ 1');
    input.autoLeave = { ...((input.autoLeave as Record<string, unknown>) ?? {}), maxDurationS: seconds };
  }
  try {
    return resolveBotOptions(input);
  } catch (err) {
    if (err instanceof ZodError) {
      const detail = err.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ');
      throw new AppError('bad_request', 'invalid_options', `bot options: ${detail}`);
    }
    throw err;
  }
}

export interface BotProcessArgs {
  bot: MeetingBot;
  meetingUrl: string;
  options: BotOptions;
  outDir?: string;
  logLevel?: string;
}

/**
 * One bot in the foreground of this process: status lines (`{"code","subCode","at"}`) on stdout,
 * pino logs on stderr, SIGINT/SIGTERM ask the bot to leave. Returns the process exit code.
 */
export async function runBotProcess(a: BotProcessArgs): Promise<number> {
  const botId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const outDir = resolve(a.outDir ?? `rapport-bot-${botId}`);
  const log = createBotLogger(a.logLevel ?? 'info');
  const leave = new AbortController();
  const onSignal = () => {
    log.info('leave requested (signal)');
    leave.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runBot({
      bot: a.bot,
      botId,
      meetingUrl: a.meetingUrl,
      outDir,
      options: a.options,
      log,
      signal: leave.signal,
      onEvent: (e) => process.stdout.write(`${JSON.stringify({ code: e.code, subCode: e.subCode, at: e.at })}\n`),
    });
    log.info({ outDir, recording: result.recordingPath }, 'bot finished');
    const endedWith = result.events.find((e) => e.code === 'call_ended')?.subCode ?? null;
    if (result.final.code === 'fatal') return BOT_EXIT.fatal;
    return isNormalEnd(endedWith) ? BOT_EXIT.normal : BOT_EXIT.notAdmitted;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
