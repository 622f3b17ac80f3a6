import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTranscript, mapLabelsToNames } from './speakers';
import { captionsToResult } from './captions';
import { parseRetryAfter, httpError, TranscriptionError } from './errors';
import { withRetry } from './retry';
import type { BotTimeline, ProviderSegment } from './types';

const timeline: BotTimeline = {
  recordingStartedAt: null,
  events: [],
  speakerTurns: [
    { speaker: 'Ann', startMs: 0, endMs: 5000 },
    { speaker: 'Ben', startMs: 5200, endMs: 9000 },
    { speaker: 'Ann', startMs: 9100, endMs: 12000 },
  ],
};

test('provider labels map onto the timeline names they overlap most; unmatched labels stay unnamed', () => {
  const segs: ProviderSegment[] = [
    { start: 0.2, end: 4.8, text: 'a', speakerLabel: 'A' },
    { start: 5.3, end: 8.9, text: 'b', speakerLabel: 'B' },
    { start: 9.2, end: 11.9, text: 'c', speakerLabel: 'C' },
    { start: 20, end: 22, text: 'd', speakerLabel: 'D' },
  ];
  const m = mapLabelsToNames(segs, timeline);
  assert.deepEqual([...m].sort(), [['A', 'Ann'], ['B', 'Ben'], ['C', 'Ann']]);
  const { transcript, speakers } = buildTranscript({ segments: segs }, timeline);
  assert.deepEqual(speakers, [{ id: 'S1', name: 'Ann' }, { id: 'S2', name: 'Ben' }, { id: 'S3', name: 'Speaker D' }]);
  assert.deepEqual(transcript.utterances.map((u) => u.speaker), ['S1', 'S2', 'S1', 'S3']);
});

test('without labels, words take the timeline speaker and a segment spanning two talkers is split', () => {
  const seg: ProviderSegment = {
    start: 3.5,
    end: 6.5,
    text: 'so that is it. Right, thanks',
    words: [
      { text: 'so', start: 3.5, end: 3.8 },
      { text: 'that', start: 3.8, end: 4.1 },
      { text: 'is', start: 4.1, end: 4.4 },
      { text: 'it', start: 4.4, end: 4.8 },
      { text: 'Right', start: 5.4, end: 5.8 },
      { text: 'thanks', start: 5.8, end: 6.4 },
    ],
  };
  const { transcript, speakers } = buildTranscript({ segments: [seg] }, timeline);
  assert.deepEqual(speakers.map((s) => s.name), ['Ann', 'Ben']);
  assert.deepEqual(transcript.utterances.map((u) => [u.speaker, u.text, u.start, u.end]), [
    ['S1', 'so that is it', 3.5, 4.8],
    ['S2', 'Right thanks', 5.4, 6.4],
  ]);
});

test('consecutive segments of one speaker merge; a long pause starts a new utterance', () => {
  const { transcript } = buildTranscript(
    { segments: [{ start: 0, end: 1, text: 'One.', speakerName: 'Ann' }, { start: 1.5, end: 2, text: 'Two.', speakerName: 'Ann' }, { start: 4, end: 5, text: 'Three.', speakerName: 'Ann' }] },
    null,
    60,
  );
  assert.deepEqual(transcript.utterances.map((u) => u.text), ['One. Two.', 'Three.']);
  assert.equal(transcript.durationSec, 60);
});

test('captions take their span from the speaker turn; lines in one turn split it; no turn → estimated', () => {
  const r = captionsToResult(
    [
      { speaker: 'Ann', text: 'Hello there everyone', atMs: 700 },
      { speaker: 'Ann', text: 'let us begin', atMs: 3000 },
      { speaker: 'Ben', text: 'Sure thing', atMs: 5900 },
      { speaker: 'Cleo', text: 'one two three four five', atMs: 20000 },
      { speaker: 'Ben', text: '   ', atMs: 21000 },
    ],
    timeline,
  );
  assert.deepEqual(r.segments.map((s) => [s.speakerName, s.start, s.end]), [
    ['Ann', 0, 3],
    ['Ann', 3, 5],
    ['Ben', 5.2, 9],
    ['Cleo', 20, 22],
  ]);
  assert.deepEqual(r.segments[0]!.words!.map((w) => w.text), ['Hello', 'there', 'everyone']);
  assert.equal(r.segments[0]!.words![2]!.end, 3);
});

test('Retry-After as seconds or HTTP date; status → transient or permanent', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  const ms = parseRetryAfter(new Date(Date.now() + 5000).toUTCString());
  assert.ok(ms !== undefined && ms > 3000 && ms <= 5000);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(httpError('x', 429, 'slow down', '2').transient, true);
  assert.equal(httpError('x', 429, 'slow down', '2').retryAfterMs, 2000);
  assert.equal(httpError('x', 503, 'busy').transient, true);
  assert.equal(httpError('x', 400, 'bad').transient, false);
  assert.equal(httpError('x', 401, 'who').code, 'auth_failed');
});

test('withRetry: transient errors back off (Retry-After wins), permanent ones propagate at once', async () => {
  const delays: number[] = [];
  let calls = 0;
  const out = await withRetry(
    async () => {
      calls++;
      if (calls === 1) throw httpError('x', 429, 'slow', '7');
      if (calls === 2) throw httpError('x', 500, 'oops');
      return 'ok';
    },
    { retries: 3, baseDelayMs: 100, sleep: async (ms) => void delays.push(ms) },
  );
  assert.equal(out, 'ok');
  assert.equal(delays[0], 7000);
  assert.ok(delays[1]! >= 0 && delays[1]! <= 200);
  let n = 0;
  await assert.rejects(withRetry(async () => { n++; throw httpError('x', 400, 'bad'); }, { retries: 3, sleep: async () => undefined }), TranscriptionError);
  assert.equal(n, 1);
  let m = 0;
  await assert.rejects(withRetry(async () => { m++; throw httpError('x', 502, 'down'); }, { retries: 2, sleep: async () => undefined }), /502/);
  assert.equal(m, 3);
});
