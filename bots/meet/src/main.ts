#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { AppError } from '@rapport/common';
import { parseMeetingLink } from '@rapport/meeting-links';
import { BOT_EXIT, botOptionsFromArgs, runBotProcess } from '@rapport/bot-runtime';
import { MeetBot } from './meet.bot';

/**
 * The Google Meet bot as its own process: `node dist/bots/meet/src/main.js <meeting-url> [--name]
 * [--out] [--max-duration] [--options] [--log-level]`, the same contract as `rapport bot join`
 * without loading the rest of the CLI (~20 MB less per bot). The bot runner spawns this.
 */
async function main(argv: string[]): Promise<number> {
  const program = new Command('rapport-bot-meet')
    .argument('<meeting-url>')
    .option('--name <name>')
    .option('--out <dir>')
    .option('--max-duration <seconds>')
    .option('--options <json>')
    .option('--log-level <level>', 'log level on stderr', 'info')
    .exitOverride();
  try {
    program.parse(argv);
    const link = parseMeetingLink(program.args[0]);
    if (!link || link.platform !== 'google_meet') {
      throw new AppError('bad_request', 'invalid_meeting_url', `meeting-url: "${program.args[0]}" is not a Google Meet link`);
    }
    const o = program.opts<{ name?: string; out?: string; maxDuration?: string; options?: string; logLevel: string }>();
    const options = botOptionsFromArgs(o.name, o.maxDuration, o.options);
    return await runBotProcess({ bot: new MeetBot(), meetingUrl: link.url, options, outDir: o.out, logLevel: o.logLevel });
  } catch (err) {
    if (err instanceof CommanderError) return BOT_EXIT.badInput;
    process.stderr.write(`rapport-bot-meet: ${err instanceof Error ? err.message : String(err)}\n`);
    return err instanceof AppError && err.kind === 'bad_request' ? BOT_EXIT.badInput : BOT_EXIT.fatal;
  }
}

if (require.main === module) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`rapport-bot-meet: ${String(err)}\n`);
      process.exitCode = BOT_EXIT.fatal;
    },
  );
}
