import { spawn, type ChildProcess } from 'node:child_process';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { isBotStatusCode, isBotSubCode, type BotEvent } from '@rapport/bot-domain';

/** Written last by the bot process: its working folder is complete. */
export const EXIT_MARKER = 'exit.json';

export interface BotChildOptions {
  botId: string;
  meetingUrl: string;
  outDir: string;
  /** Bot options as the API stored them ({botName, autoLeave, consent}). */
  options: Record<string, unknown>;
  logLevel: string;
  env: NodeJS.ProcessEnv;
  onEvent: (event: BotEvent) => void;
  onBrowser?: (pid: number) => void;
  /** A stdout line that is neither a status nor a browser pid. */
  onJunk?: (line: string) => void;
}

export interface BotChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started. */
  error?: string;
}

/** The child entry next to this file, from sources (tsx) or from dist/. */
export function botProcessEntry(): string {
  return join(__dirname, `bot-process${extname(__filename)}`);
}

/** Parses one stdout line of the bot process (the `rapport bot join` line format). */
export function parseBotLine(line: string): { kind: 'event'; event: BotEvent } | { kind: 'browser'; pid: number } | { kind: 'junk' } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'junk' };
  }
  if (!value || typeof value !== 'object') return { kind: 'junk' };
  const v = value as Record<string, unknown>;
  if (typeof v.browserPid === 'number' && Number.isInteger(v.browserPid)) return { kind: 'browser', pid: v.browserPid };
  if (typeof v.code !== 'string' || !isBotStatusCode(v.code)) return { kind: 'junk' };
  if (v.subCode !== null && (typeof v.subCode !== 'string' || !isBotSubCode(v.subCode))) return { kind: 'junk' };
  const at = typeof v.at === 'string' && !Number.isNaN(Date.parse(v.at)) ? v.at : new Date().toISOString();
  return { kind: 'event', event: { code: v.code, subCode: v.subCode, at } };
}

/**
 * One bot as its own process: a crash, a leak or a stuck Chromium takes down one bot, never the
 * runner. Leave = SIGTERM; the child's stdin is its lifeline (closed when the runner dies).
 */
export class BotChild {
  private readonly proc: ChildProcess;
  readonly exited: Promise<BotChildExit>;
  private leaveSent = false;

  constructor(opts: BotChildOptions) {
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--test'));
    this.proc = spawn(
      process.execPath,
      [
        ...execArgv,
        botProcessEntry(),
        '--bot-id', opts.botId,
        '--url', opts.meetingUrl,
        '--out', opts.outDir,
        '--options', JSON.stringify(opts.options),
        '--log-level', opts.logLevel,
      ],
      { env: opts.env, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    this.proc.stdin?.on('error', () => undefined);
    const lines = createInterface({ input: this.proc.stdout! });
    lines.on('line', (line) => {
      const parsed = parseBotLine(line);
      if (parsed.kind === 'event') opts.onEvent(parsed.event);
      else if (parsed.kind === 'browser') opts.onBrowser?.(parsed.pid);
      else if (line.trim()) opts.onJunk?.(line);
    });
    const closed = new Promise<void>((resolve) => lines.once('close', resolve));
    this.exited = new Promise<BotChildExit>((resolve) => {
      this.proc.once('exit', (code, signal) => {
        // Let the last status lines drain before reporting the exit.
        // (bounded: a surviving grandchild could hold the pipe open).
        const timer = setTimeout(() => resolve({ code, signal }), 5000);
        void closed.then(() => {
          clearTimeout(timer);
          resolve({ code, signal });
        });
      });
      this.proc.once('error', (err) => resolve({ code: null, signal: null, error: err.message }));
    });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Asks the bot to leave the call (once); it finishes its outputs and exits. */
  leave(): boolean {
    if (this.leaveSent || !this.alive) return false;
    this.leaveSent = true;
    return this.proc.kill('SIGTERM');
  }

  kill(): void {
    if (this.alive) this.proc.kill('SIGKILL');
  }
}
