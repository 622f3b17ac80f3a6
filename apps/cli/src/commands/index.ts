import type { Command } from 'commander';
import { registerDbCommand } from './db.command';
import { registerDemoCommand } from './demo.command';
import { registerKeysCommand } from './keys.command';
import { registerStartCommand } from './start.command';
import { registerUsersCommand } from './users.command';
import { registerAnalyzeCommand } from './analyze.command';
import { registerLinksCommand } from './links.command';
import { registerSimCommand } from './sim.command';
import { registerBotCommand } from './bot.command';

/** Every CLI command group registers itself here (one import and one array entry each). */
export const COMMANDS: Array<(program: Command) => void> = [
  registerDbCommand,
  registerDemoCommand,
  registerKeysCommand,
  registerStartCommand,
  registerUsersCommand,
  registerAnalyzeCommand,
  registerLinksCommand,
  registerSimCommand,
  registerBotCommand,
];
