import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ZodError } from 'zod';
import { AppError } from '@rapport/common';
import { isNormalEnd, resolveBotOptions, type BotOptions } from '@rapport/bot-domain';
import { parseMeetingLink } from '@rapport/meeting-links';
import { createBotLogger, runBot, type MeetingBot } from '@rapport/bot-runtime';
import { MeetBot } from '@rapport/bot-meet';

/** Exit codes of `rapport bot join`. */
export const BOT_EXIT = { normal: 0, fatal: 1, badInput: 2, notAdmitted: 3 } as const;

/** The platform bot for a meeting link, or a bad_request naming the argument. */
export function botForMeetingUrl(url: string): { bot: MeetingBot; url: string } {
  const link = parseMeetingLink(url);
  if (!link) throw new AppError('bad_request', 'invalid_meeting_url', `meeting-url: "${url}" is not a Google Meet, Zoom or Teams meeting link`);
  if (link.platform !== 'google_meet') {
    throw new AppError('bad_request', 'platform_not_supported', `meeting-url: ${link.platform} bots are not available yet (Google Meet only)`);
  }
  return { bot: new MeetBot(), url: link.url };
}

/** Bot options from the command line (`--options` JSON, then --name and --max-duration on top). */
export function botOptionsFromCli(name: string | undefined, maxDuration: string | undefined, json: string | undefined): BotOptions {
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

/**
 * `rapport bot join <meeting-url>`: one bot in the foreground, no control plane. Status changes
 * go to stdout as JSON lines, logs to stderr, outputs to --out. Ctrl-C makes the bot leave.
 */
export function registerBotCommand(program: Command): void {
  const bot = program.command('bot').description('Meeting bots');
  bot
    .command('join')
    .description('Send one bot into a meeting and record it (Google Meet)')
    .argument('<meeting-url>', 'meeting link, e.g. https://meet.google.com/abc-defg-hij')
    .option('--name <name>', 'bot display name (default "Rapport Notetaker")')
    .option('--out <dir>', 'output folder for recording.ogg, timeline.json, captions.json, consent.json')
    .option('--max-duration <seconds>', 'leave after this many seconds (default 4 h)')
    .option('--options <json>', 'full bot options as JSON ({botName, autoLeave, consent}), as the API takes them')
    .option('--log-level <level>', 'log level on stderr', 'info')
    .addHelpText(
      'after',
      '\nExit codes: 0 the meeting ended normally, 1 fatal (not found, sign-in, blocked, errored), ' +
        '2 bad input, 3 not admitted or removed (denied, kicked, waiting-room timeout).\n' +
        'RAPPORT_PLATFORM_ORIGINS="meet.google.com=http://127.0.0.1:4010" sends the bot to the simulator.',
    )
    .action(async (meetingUrl: string, o: { name?: string; out?: string; maxDuration?: string; options?: string; logLevel: string }) => {
      const { bot: meetBot, url } = botForMeetingUrl(meetingUrl);
      const options = botOptionsFromCli(o.name, o.maxDuration, o.options);
      const botId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
      const outDir = resolve(o.out ?? `rapport-bot-${botId}`);
      const log = createBotLogger(o.logLevel);
      const leave = new AbortController();
      const onSignal = () => {
        log.info('leave requested (signal)');
        leave.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const result = await runBot({
          bot: meetBot,
          botId,
          meetingUrl: url,
          outDir,
          options,
          log,
          signal: leave.signal,
          onEvent: (e) => process.stdout.write(`${JSON.stringify({ code: e.code, subCode: e.subCode, at: e.at })}\n`),
        });
        log.info({ outDir, recording: result.recordingPath }, 'bot finished');
        const endedWith = result.events.find((e) => e.code === 'call_ended')?.subCode ?? null;
        process.exitCode = result.final.code === 'fatal' ? BOT_EXIT.fatal : isNormalEnd(endedWith) ? BOT_EXIT.normal : BOT_EXIT.notAdmitted;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
