#!/usr/bin/env node
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { AppError } from '@rapport/common';
import { COMMANDS } from './commands';

/**
 * `rapport` — the one CLI for operators and tests. Each feature contributes a
 * `register*Command(program)` in ./commands; see ./commands/index.ts.
 */
async function main(argv: string[]): Promise<number> {
  const program = new Command('rapport')
    .description('Rapport: meeting bots and communication coaching')
    .exitOverride()
    .showHelpAfterError();
  for (const register of COMMANDS) register(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof AppError) {
      process.stderr.write(`rapport: ${err.message}\n`);
      return err.kind === 'bad_request' ? 2 : 1;
    }
    process.stderr.write(`rapport: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`rapport: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
