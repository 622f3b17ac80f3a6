import type { Command } from 'commander';
import { registerAnalyzeCommand } from './analyze.command';
import { registerLinksCommand } from './links.command';
import { registerSimCommand } from './sim.command';

/** Every CLI command group registers itself here (one import and one array entry each). */
export const COMMANDS: Array<(program: Command) => void> = [
  registerAnalyzeCommand,
  registerLinksCommand,
  registerSimCommand,
];
