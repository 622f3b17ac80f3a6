import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { AppError } from '@rapport/common';
import { registerLinksCommand } from './links.command';

async function run(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | undefined }> {
  const program = new Command('rapport').exitOverride();
  registerLinksCommand(program);
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const before = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    await program.parseAsync(['node', 'rapport', 'links', 'parse', ...args]);
    const exitCode = typeof process.exitCode === 'number' ? process.exitCode : undefined;
    return { stdout, stderr, exitCode };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = before;
  }
}

describe('rapport links parse', () => {
  test('prints the parsed link as JSON', async () => {
    const r = await run(['Join: https://meet.google.com/abc-defg-hij?authuser=0']);
    assert.equal(r.exitCode, undefined);
    assert.deepEqual(JSON.parse(r.stdout), {
      platform: 'google_meet',
      meetingId: 'abc-defg-hij',
      url: 'https://meet.google.com/abc-defg-hij',
      dedupeKey: 'meet:abc-defg-hij',
    });
  });

  test('exits 1 with the reason when there is no meeting link', async () => {
    const r = await run(['https://zoom.us.attacker.io/j/81234567890']);
    assert.equal(r.exitCode, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /not_a_meeting_host/);
  });

  test('empty text is a bad request', async () => {
    await assert.rejects(run(['  ']), (e: unknown) => e instanceof AppError && e.kind === 'bad_request');
  });
});
