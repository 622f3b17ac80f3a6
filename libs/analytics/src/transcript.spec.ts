import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '@rapport/common';
import { parseTranscript } from '@rapport/analytics';

const ok = {
  durationSec: 60,
  speakers: [
    { id: 'A', name: 'Alice' },
    { id: 'B', name: 'Bob', role: 'facilitator' },
  ],
  utterances: [
    { speaker: 'A', start: 0.37, end: 1.79, text: 'Okay. Shall we start?', words: [{ text: 'Okay', start: 0.37, end: 0.6 }] },
    { speaker: 'B', start: 2, end: 4, text: 'Yes.' },
  ],
};

function rejects(input: unknown, path: string): AppError {
  let caught: unknown;
  try {
    parseTranscript(input);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof AppError, 'throws AppError');
  assert.equal(caught.kind, 'bad_request');
  assert.equal(caught.code, 'invalid_transcript');
  assert.ok(caught.message.includes(path), `message "${caught.message}" names ${path}`);
  return caught;
}

describe('parseTranscript', () => {
  test('accepts the documented format and keeps it', () => {
    const t = parseTranscript(ok);
    assert.equal(t.utterances.length, 2);
    assert.equal(t.speakers[1].role, 'facilitator');
    assert.equal(t.utterances[0].words?.[0].text, 'Okay');
  });

  test('names the field of each kind of mistake', () => {
    rejects(null, '(root)');
    rejects({ utterances: [] }, 'speakers');
    rejects({ ...ok, durationSec: -1 }, 'durationSec');
    rejects({ ...ok, speakers: [{ id: 'A' }] }, 'speakers[0].name');
    rejects({ ...ok, speakers: [...ok.speakers, { id: 'A', name: 'Again' }] }, 'speakers[2].id');
    rejects({ ...ok, speakers: [{ ...ok.speakers[0], role: 'boss' }, ok.speakers[1]] }, 'speakers[0].role');
    rejects({ ...ok, utterances: [ok.utterances[0], { ...ok.utterances[1], speaker: 'Z' }] }, 'utterances[1].speaker');
    rejects({ ...ok, utterances: [ok.utterances[0], { ...ok.utterances[1], end: 1 }] }, 'utterances[1].end');
    rejects({ ...ok, utterances: [{ ...ok.utterances[1], start: '0' }] }, 'utterances[0].start');
    rejects({ ...ok, utterances: [{ ...ok.utterances[1], start: Number.NaN }] }, 'utterances[0].start');
    rejects({ ...ok, utterances: [{ ...ok.utterances[1], text: undefined }] }, 'utterances[0].text');
    rejects(
      { ...ok, utterances: [{ ...ok.utterances[0], words: [{ text: 'x', start: 2, end: 1 }] }] },
      'utterances[0].words[0].end',
    );
  });

  test('reports how many more problems there are, and lists them in details', () => {
    const err = rejects({ speakers: 'x', utterances: 'y' }, 'speakers');
    assert.match(err.message, /and 1 more/);
    assert.deepEqual(
      (err.details?.issues as Array<{ path: string }>).map((i) => i.path),
      ['speakers', 'utterances'],
    );
  });
});
