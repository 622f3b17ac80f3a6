/**
 * One bot, as the bot runner's child process. The same contract as `rapport bot join`: one
 * JSON status line per change on stdout (`{"code","subCode","at"}`), logs on stderr, outputs in
 * --out. On top of it, for the runner:
 *  - a `{"browserPid":N}` line once Chromium runs (metrics, operators);
 *  - SIGTERM/SIGINT make the bot leave cleanly (`call_ended/bot_received_leave_call`);
 *  - stdin closing means the runner is gone: the bot leaves the same way, so an orphan never
 *    keeps recording, and its outputs stay in --out for the runner's start-up sweep;
 *  - `exit.json` in --out, written last, tells the sweep the folder is complete.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveBotOptions } from '@rapport/bot-domain';
import { createBotLogger, runBot, type MeetingBot } from '@rapport/bot-runtime';
import { MeetBot } from '@rapport/bot-meet';
import { parseMeetingLink } from '@rapport/meeting-links';
import { EXIT_MARKER } from './bot-child';


function botFor(url: string): MeetingBot {
  const link = parseMeetingLink(url);
  if (link?.platform === 'google_meet') return new MeetBot();
  throw new Error(`no bot for ${link?.platform ?? 'this link'}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'bot-id': { type: 'string' },
      url: { type: 'string' },
      out: { type: 'string' },
      options: { type: 'string', default: '{}' },
      'log-level': { type: 'string', default: 'info' },
    },
  });
  const botId = values['bot-id'];
  const url = values.url;
  const outDir = values.out;
  if (!botId || !url || !outDir) throw new Error('--bot-id, --url and --out are required');
  const log = createBotLogger(values['log-level'], { botId });
  const options = resolveBotOptions(JSON.parse(values.options ?? '{}'));
  const write = (line: unknown) => {
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
  // The runner may be gone (stdout closed): keep going, the files are what matters then.
  process.stdout.on('error', () => undefined);

  const leave = new AbortController();
  const requestLeave = (why: string) => {
    if (leave.signal.aborted) return;
    log.info({ why }, 'leave requested');
    leave.abort();
  };
  process.on('SIGTERM', () => requestLeave('SIGTERM'));
  process.on('SIGINT', () => requestLeave('SIGINT'));
  process.stdin.on('end', () => requestLeave('runner gone (stdin closed)'));
  process.stdin.on('error', () => requestLeave('runner gone (stdin error)'));
  process.stdin.resume();

  const result = await runBot({
    bot: botFor(url),
    botId,
    meetingUrl: url,
    outDir,
    options,
    log,
    signal: leave.signal,
    onEvent: (e) => write({ code: e.code, subCode: e.subCode, at: e.at }),
    onBrowser: ({ pid }) => write({ browserPid: pid }),
  });
  writeFileSync(
    join(outDir, EXIT_MARKER),
    JSON.stringify({ final: result.final, recordingPath: result.recordingPath, segmentPaths: result.segmentPaths, at: new Date().toISOString() }) + '\n',
  );
  process.stdin.pause();
  process.exitCode = result.final.code === 'fatal' ? 1 : 0;
  // Nothing else should keep the process alive; make sure a stray handle does not either.
  setTimeout(() => process.exit(), 2000).unref();
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`bot process failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
