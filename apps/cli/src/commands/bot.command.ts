import type { Command } from 'commander';
import { AppError } from '@rapport/common';
import { parseMeetingLink } from '@rapport/meeting-links';
import { botOptionsFromArgs, runBotProcess, type MeetingBot } from '@rapport/bot-runtime';
import { MeetBot } from '@rapport/bot-meet';

export { BOT_EXIT, botOptionsFromArgs as botOptionsFromCli } from '@rapport/bot-runtime';

/** The platform bot for a meeting link, or a bad_request naming the argument. */
export function botForMeetingUrl(url: string): { bot: MeetingBot; url: string } {
  const link = parseMeetingLink(url);
  if (!link) throw new AppError('bad_request', 'invalid_meeting_url', `meeting-url: "${url}" is not a Google Meet, Zoom or Teams meeting link`);
  if (link.platform !== 'google_meet') {
    throw new AppError('bad_request', 'platform_not_supported', `meeting-url: ${link.platform} bots are not available yet (Google Meet only)`);
  }
  return { bot: new MeetBot(), url: link.url };
}

/**
 * `rapport bot join <meeting-url>`: one bot in the foreground, no control plane. Status changes
 * go to stdout as JSON lines, logs to stderr, outputs to --out. Ctrl-C makes the bot leave.
 * (`node dist/bots/meet/src/main.js` is the same without the rest of the CLI loaded.)
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
      const options = botOptionsFromArgs(o.name, o.maxDuration, o.options);
      process.exitCode = await runBotProcess({ bot: meetBot, meetingUrl: url, options, outDir: o.out, logLevel: o.logLevel });
    });
}
