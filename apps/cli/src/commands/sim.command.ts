import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '@rapport/common';
import { startSimulator } from '@rapport/simulator';

interface SimOptions {
  port: string;
  host: string;
  scenario?: string;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new AppError('bad_request', 'invalid_port', `--port: "${value}" is not a port number (0-65535)`);
  }
  return port;
}

function readScenario(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AppError('bad_request', 'scenario_unreadable', `--scenario: cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new AppError('bad_request', 'scenario_not_json', `--scenario: ${path} is not JSON: ${(err as Error).message}`);
  }
}

/**
 * `rapport sim [--port 4010] [--host 127.0.0.1] [--scenario file.json]`: runs the meeting
 * simulator in the foreground until SIGINT/SIGTERM. With --scenario it also creates one
 * meeting and prints its URLs, so a demo needs no curl.
 */
export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('Run the Google Meet simulator (Meet-shaped pages at /<code>, control API at /_sim/)')
    .option('--port <port>', 'port to listen on (0 = any free port)', '4010')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--scenario <file>', 'JSON scenario ({...} or {"scenario": {...}}) to create one meeting from at start')
    .action(async (opts: SimOptions) => {
      const port = parsePort(opts.port);
      const scenarioFile = opts.scenario === undefined ? undefined : readScenario(opts.scenario);
      const sim = await startSimulator({ port, host: opts.host });
      process.stderr.write(`rapport sim: listening on ${sim.origin}\n`);
      process.stderr.write(`rapport sim: RAPPORT_PLATFORM_ORIGINS="meet.google.com=${sim.origin}"\n`);
      process.stdout.write(`${JSON.stringify({ origin: sim.origin })}\n`);
      if (scenarioFile !== undefined) {
        const body = scenarioFile as { scenario?: unknown };
        const scenario = typeof body === 'object' && body !== null && 'scenario' in body ? body.scenario : scenarioFile;
        try {
          const meeting = await sim.server.createMeeting(scenario);
          process.stdout.write(
            `${JSON.stringify({ code: meeting.code, url: `https://meet.google.com/${meeting.code}`, simUrl: `${sim.origin}/${meeting.code}` })}\n`,
          );
        } catch (err) {
          await sim.close();
          throw err;
        }
      }
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      process.stderr.write('rapport sim: stopping\n');
      await sim.close();
    });
}
