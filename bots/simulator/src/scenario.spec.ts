import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '@rapport/common';
import { DEFAULT_VOICES, parseScenario, voicesFor } from './scenario';

function rejects(input: unknown, fieldPattern: RegExp): void {
  assert.throws(
    () => parseScenario(input),
    (err: unknown) => {
      assert.ok(err instanceof AppError);
      assert.equal(err.kind, 'bad_request');
      assert.equal(err.code, 'invalid_scenario');
      assert.match(err.message, fieldPattern);
      return true;
    },
  );
}

describe('parseScenario', () => {
  test('an empty scenario is an open, normal meeting with no one else', () => {
    const s = parseScenario({});
    assert.equal(s.page, 'normal');
    assert.equal(s.admission, 'open');
    assert.equal(s.devicePrompt, true);
    assert.equal(s.recordingDialog, false);
    assert.deepEqual(s.participants, []);
    assert.deepEqual(s.script, []);
    assert.equal(s.hostEndsAfterMs, undefined);
  });

  test('undefined and null mean the empty scenario', () => {
    assert.deepEqual(parseScenario(undefined), parseScenario({}));
    assert.deepEqual(parseScenario(null), parseScenario({}));
  });

  test('a full scenario keeps every field', () => {
    const s = parseScenario({
      page: 'normal',
      admission: 'lobby_admit',
      admitAfterMs: 2000,
      recordingDialog: true,
      geminiDialog: true,
      participants: [{ name: 'Alice', voice: 'en-gb+f2' }, { name: 'Bob' }],
      script: [{ speaker: 'Alice', text: 'Hello', atMs: 0 }, { speaker: 'Carol', text: 'Hi', atMs: 3000 }],
      hostEndsAfterMs: 10_000,
      everyoneLeavesAfterMs: 9000,
      removeBotAfterMs: 8000,
      chat: [{ from: 'Bob', text: 'stop recording', atMs: 500 }],
      lateJoiners: [{ name: 'Carol', atMs: 2500 }],
    });
    assert.equal(s.admission, 'lobby_admit');
    assert.equal(s.admitAfterMs, 2000);
    assert.equal(s.script.length, 2);
    assert.equal(s.lateJoiners[0]?.name, 'Carol');
    assert.equal(s.chat[0]?.text, 'stop recording');
  });

  test('rejects unknown enum values, naming the field', () => {
    rejects({ page: 'gone' }, /scenario\.page/);
    rejects({ admission: 'lobby' }, /scenario\.admission/);
  });

  test('rejects negative, fractional and non-numeric times', () => {
    rejects({ admitAfterMs: -1 }, /scenario\.admitAfterMs/);
    rejects({ hostEndsAfterMs: 1.5 }, /scenario\.hostEndsAfterMs/);
    rejects({ removeBotAfterMs: '100' }, /scenario\.removeBotAfterMs/);
    rejects({ participants: [{ name: 'A' }], script: [{ speaker: 'A', text: 'x', atMs: -5 }] }, /scenario\.script\[0\]\.atMs/);
  });

  test('rejects unknown fields (a typo is an error, not a silent default)', () => {
    rejects({ hostEndAfterMs: 1000 }, /hostEndAfterMs/);
    rejects({ participants: [{ name: 'A', voise: 'en-us' }] }, /participants\[0\]/);
  });

  test('rejects script speakers who are not participants or late joiners', () => {
    rejects({ participants: [{ name: 'Alice' }], script: [{ speaker: 'Mallory', text: 'hi', atMs: 0 }] }, /script\[0\]\.speaker.*Mallory/);
  });

  test('rejects duplicate participant names across participants and late joiners', () => {
    rejects({ participants: [{ name: 'Alice' }], lateJoiners: [{ name: 'Alice', atMs: 10 }] }, /Alice.*twice/);
  });

  test('rejects empty names and texts, and chat longer than Meet allows (500)', () => {
    rejects({ participants: [{ name: '  ' }] }, /participants\[0\]\.name/);
    rejects({ participants: [{ name: 'A' }], script: [{ speaker: 'A', text: '', atMs: 0 }] }, /script\[0\]\.text/);
    rejects({ chat: [{ from: 'A', text: 'x'.repeat(501), atMs: 0 }] }, /chat\[0\]\.text/);
  });

  test('rejects voices that are not espeak-ng voice names', () => {
    rejects({ participants: [{ name: 'A', voice: 'en-us; rm -rf /' }] }, /participants\[0\]\.voice/);
    rejects({ participants: [{ name: 'A', voice: '-w' }] }, /participants\[0\]\.voice/);
    assert.equal(parseScenario({ participants: [{ name: 'A', voice: 'en-gb-scotland+f4' }] }).participants[0]?.voice, 'en-gb-scotland+f4');
  });
});

describe('voicesFor', () => {
  test('gives each speaker their own voice, else distinct defaults in order', () => {
    const s = parseScenario({
      participants: [{ name: 'A' }, { name: 'B', voice: 'en-us+f4' }, { name: 'C' }],
      lateJoiners: [{ name: 'D', atMs: 0 }],
    });
    const voices = voicesFor(s);
    assert.equal(voices.get('A'), DEFAULT_VOICES[0]);
    assert.equal(voices.get('B'), 'en-us+f4');
    assert.equal(voices.get('C'), DEFAULT_VOICES[2]);
    assert.equal(voices.get('D'), DEFAULT_VOICES[3]);
    assert.equal(new Set([voices.get('A'), voices.get('C'), voices.get('D')]).size, 3);
  });
});
