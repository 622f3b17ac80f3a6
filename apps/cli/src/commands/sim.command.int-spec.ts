import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@rapport/common';
import { runSimulatorCommand } from './sim.command';

function scenarioFile(body: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'rapport-sim-cli-')), 'scenario.json');
  writeFileSync(file, JSON.stringify(body));
  return file;
}

/** Starts the command, waits for `lines` output lines, runs `check` while it serves, stops it. */
async function whileServing(scenario: string | undefined, lines: number, check: (out: string[]) => Promise<void>): Promise<string[]> {
  const out: string[] = [];
  let stop = (): void => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const running = runSimulatorCommand({ port: '0', host: '127.0.0.1', scenario }, (l) => out.push(l), () => undefined, stopped);
  try {
    const deadline = Date.now() + 10_000;
    while (out.length < lines) {
      if (Date.now() > deadline) throw new Error(`no output; got ${JSON.stringify(out)}`);
      await Promise.race([running, new Promise((r) => setTimeout(r, 20))]);
    }
    await check(out);
  } finally {
    stop();
    await running;
  }
  return out;
}

describe('rapport sim', () => {
  test('prints its origin and the --scenario meeting, serves it, and stops when told', async () => {
    const file = scenarioFile({ scenario: { admission: 'lobby_deny', participants: [{ name: 'Alice' }] } });
    let origin = '';
    await whileServing(file, 2, async (out) => {
      origin = (JSON.parse(out[0]!) as { origin: string }).origin;
      const meeting = JSON.parse(out[1]!) as { code: string; url: string; simUrl: string };
      assert.match(origin, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(meeting.url, `https://meet.google.com/${meeting.code}`);
      assert.equal(meeting.simUrl, `${origin}/${meeting.code}`);
      const state = (await (await fetch(`${origin}/_sim/meetings/${meeting.code}`)).json()) as { scenario: { admission: string }; botStatus: string };
      assert.equal(state.scenario.admission, 'lobby_deny');
      assert.equal(state.botStatus, 'not_arrived');
      const page = await fetch(meeting.simUrl);
      assert.equal(page.status, 200);
    });
    await assert.rejects(fetch(`${origin}/_sim/health`), 'the port is closed after stopping');
  });

  test('a bare scenario file (without the {scenario} wrapper) works too', async () => {
    const file = scenarioFile({ page: 'not_found' });
    await whileServing(file, 2, async (out) => {
      const meeting = JSON.parse(out[1]!) as { simUrl: string };
      assert.equal((await fetch(meeting.simUrl)).status, 404);
    });
  });

  test('bad options are bad_request errors naming the option', async () => {
    const cases: Array<[Partial<{ port: string; scenario: string }>, RegExp, string]> = [
      [{ port: 'http' }, /--port/, 'invalid_port'],
      [{ port: '70000' }, /--port/, 'invalid_port'],
      [{ scenario: '/nonexistent/x.json' }, /--scenario/, 'scenario_unreadable'],
      [{ scenario: scenarioFile({ admission: 'sometimes' }) }, /scenario\.admission/, 'invalid_scenario'],
    ];
    for (const [opts, pattern, code] of cases) {
      await assert.rejects(
        runSimulatorCommand({ port: '0', host: '127.0.0.1', ...opts }, () => undefined, () => undefined, new Promise<void>(() => undefined)),
        (err: unknown) => {
          assert.ok(err instanceof AppError);
          assert.equal(err.kind, 'bad_request');
          assert.equal(err.code, code);
          assert.match(err.message, pattern);
          return true;
        },
      );
    }
  });
});
