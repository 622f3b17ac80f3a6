import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { AppError } from '@rapport/common';
import { registerAnalyzeCommand } from './analyze.command';

const dir = mkdtempSync(join(tmpdir(), 'rapport-analyze-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function run(args: string[]): Promise<string> {
  const program = new Command('rapport').exitOverride();
  registerAnalyzeCommand(program);
  let stdout = '';
  const out = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'rapport', 'analyze', ...args]);
    return stdout;
  } finally {
    process.stdout.write = out;
  }
}

async function badRequest(args: string[], pattern: RegExp): Promise<void> {
  await assert.rejects(run(args), (e: unknown) => {
    assert.ok(e instanceof AppError, 'an AppError (the CLI maps bad_request to exit 2)');
    assert.equal(e.kind, 'bad_request');
    assert.match(e.message, pattern);
    return true;
  });
}

const transcript = {
  speakers: [
    { id: 'A', name: 'Alice' },
    { id: 'B', name: 'Bob' },
  ],
  utterances: [
    { speaker: 'A', start: 0.37, end: 1.79, text: 'Okay. Shall we start?' },
    { speaker: 'B', start: 2.1, end: 6, text: 'Yes, um, I have the numbers from last week.' },
  ],
};

describe('rapport analyze FILE', () => {
  test('prints the documented JSON shape', async () => {
    const out = JSON.parse(await run([file('ok.json', JSON.stringify(transcript))])) as {
      meeting: Record<string, unknown>;
      speakers: Array<Record<string, unknown>>;
    };
    assert.deepEqual(Object.keys(out.meeting), ['durationSec', 'overlapShare', 'talkTimeGini', 'speakerSwitchesPerMinute']);
    assert.deepEqual(Object.keys(out.speakers[0]), [
      'id',
      'name',
      'talkTimeSec',
      'talkTimeShare',
      'wordCount',
      'wordsPerMinute',
      'fillerWordsPer100',
      'questionCount',
      'longestMonologueSec',
      'turns',
      'interruptionsMade',
      'interruptionsReceived',
      'medianResponseGapSec',
      'communicationScore',
      'improvementAreas',
      'recommendations',
    ]);
    assert.equal(out.speakers[0].questionCount, 1);
    assert.equal(out.speakers[1].wordCount, 9);
  });

  test('--practice adds practiceModules; --compact prints one line', async () => {
    const out = await run([file('ok2.json', JSON.stringify(transcript)), '--practice', '--compact']);
    assert.equal(out.trim().split('\n').length, 1);
    const parsed = JSON.parse(out) as { speakers: Array<{ practiceModules: unknown[] }> };
    assert.ok(Array.isArray(parsed.speakers[0].practiceModules));
  });

  test('malformed input names the field', async () => {
    const bad = { ...transcript, utterances: [{ ...transcript.utterances[0], end: 0.1 }] };
    await badRequest([file('bad.json', JSON.stringify(bad))], /utterances\[0\]\.end/);
    await badRequest([file('nospeakers.json', '{"utterances": []}')], /speakers/);
  });

  test('unreadable file and invalid JSON are bad requests, not crashes', async () => {
    await badRequest([join(dir, 'missing.json')], /FILE: cannot read .*ENOENT/);
    await badRequest([file('broken.json', '{"speakers": [')], /FILE: .* is not valid JSON/);
  });
});
