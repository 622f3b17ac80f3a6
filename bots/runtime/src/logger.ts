import pino, { type Logger } from 'pino';

/** Bot logs go to stderr: stdout is reserved for the status lines of `rapport bot join`. */
export function createBotLogger(level: string = 'info', bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { component: 'bot', ...bindings } }, pino.destination({ fd: 2, sync: true }));
}

export type { Logger };
