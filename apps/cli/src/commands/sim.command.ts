import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '@rapport/common';
import { startSimulator } from '@rapport/simulator';

export interface SimCommandOptions {
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
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (err) {
    throw new AppError('bad_request', 'scenario_not_json', `--scenario: ${path} is not JSON: ${(err as Error).message}`);
  }
  // A file may hold the scenario itself or the POST /_sim/meetings body ({ "scenario": … }).
  return typeof body === 'object' && body !== null && 'scenario' in body ? body.scenario : body;
}

/**
 * The body of `rapport sim`: starts the simulator, prints `{"origin"}` (and, with a scenario,
 * the created meeting's `{"code","url","simUrl"}`) as JSON lines through `out`, serves until
 * `stop` settles, then closes. Separate from commander so tests drive it without signals.
 */
export async function runSimulatorCommand(
  opts: SimCommandOptions,
  out: (line: string) => void,
  log: (line: string) => void,
  stop: Promise<void>,
): Promise<void> {
  const port = parsePort(opts.port);
  const scenario = opts.scenario === undefined ? undefined : readScenario(opts.scenario);
  const sim = await startSimulator({ port, host: opts.host });
  try {
    log(`listening on ${sim.origin}`);
    log(`bots reach it with RAPPORT_PLATFORM_ORIGINS="meet.google.com=${sim.origin}"`);
    out(JSON.stringify({ origin: sim.origin }));
    if (scenario !== undefined) {
      const meeting = await sim.server.createMeeting(scenario);
      out(JSON.stringify({ code: meeting.code, url: `https://meet.google.com/${meeting.code}`, simUrl: `${sim.origin}/${meeting.code}` }));
    }
    await stop;
    log('stopping');
  } finally {
    await sim.close();
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
    .action(async (opts: SimCommandOptions) => {
      let onSignal = (): void => undefined;
      const stop = new Promise<void>((resolve) => {
        onSignal = resolve;
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      });
      try {
        await runSimulatorCommand(
          opts,
          (line) => process.stdout.write(`${line}\n`),
          (line) => process.stderr.write(`rapport sim: ${line}\n`),
          stop,
        );
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
