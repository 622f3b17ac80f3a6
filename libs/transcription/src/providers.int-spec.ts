import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { TranscriptionError } from './errors';
import { AssemblyAiTranscriber } from './assemblyai.provider';
import { OpenAiTranscriber } from './openai.provider';
import { transcribeMeeting } from './transcribe';
import { aaiUtterance, startFakeAssemblyAi, type FakeAssemblyAi } from './testing/fake-assemblyai';
import { startFakeOpenAi, type FakeOpenAi } from './testing/fake-openai';
import type { BotTimeline } from './types';

/** Real Ogg/Opus audio of a given length (a tone), like the bot's recordings. */
function oggTone(seconds: number): Buffer {
  return execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-ac', '1', '-c:a', 'libopus', '-b:a', '32k', '-f', 'ogg', 'pipe:1'], { maxBuffer: 64 << 20 });
}

const timeline: BotTimeline = {
  recordingStartedAt: '2026-11-25T10:00:00.000Z',
  events: [],
  speakerTurns: [
    { speaker: 'Alice Example', startMs: 500, endMs: 4200 },
    { speaker: 'Bob Builder', startMs: 4300, endMs: 8000 },
    { speaker: 'Alice Example', startMs: 8100, endMs: 9900 },
  ],
};

const audio = oggTone(10);

describe('AssemblyAI adapter against a fake speaking the v2 API', () => {
  const KEY = 'aai-test-key';
  let fake: FakeAssemblyAi;
  const make = (extra: Partial<ConstructorParameters<typeof AssemblyAiTranscriber>[0]> = {}) =>
    new AssemblyAiTranscriber({ apiKey: KEY, baseUrl: fake.url, pollIntervalMs: 10, retryBaseMs: 5, retries: 3, ...extra });

  before(async () => {
    fake = await startFakeAssemblyAi(KEY);
  });
  after(() => fake.close());

  test('uploads, submits with speaker labels, polls until completed; labels map onto timeline names', async () => {
    fake.requests.length = 0;
    fake.script = [[aaiUtterance('A', 600, 4000, 'Hello everyone, shall we start?'), aaiUtterance('B', 4400, 7900, 'Yes, um, I have the numbers.'), aaiUtterance('A', 8200, 9800, 'Great, thanks.')]];
    const result = await transcribeMeeting({ transcriber: make(), audio: { data: audio, contentType: 'audio/ogg', durationSec: 10 }, timeline, captions: null, chunkSec: 600 });
    const paths = fake.requests.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, ':id')}`);
    assert.deepEqual(paths.slice(0, 4), ['POST /v2/upload', 'POST /v2/transcript', 'GET /v2/transcript/:id', 'GET /v2/transcript/:id']);
    assert.ok(fake.requests.every((r) => r.headers.authorization === KEY));
    assert.deepEqual(fake.uploads[0], audio, 'the audio bytes are uploaded as they are');
    const submit = JSON.parse(fake.requests[1]!.body.toString()) as Record<string, unknown>;
    assert.equal(submit.speaker_labels, true);
    assert.match(String(submit.audio_url), /\/files\/0$/);
    assert.equal(result.source, 'assemblyai');
    assert.deepEqual(result.speakers, [{ id: 'S1', name: 'Alice Example' }, { id: 'S2', name: 'Bob Builder' }]);
    assert.deepEqual(result.transcript.utterances.map((u) => [u.speaker, u.start, u.end, u.text]), [
      ['S1', 0.6, 4, 'Hello everyone, shall we start?'],
      ['S2', 4.4, 7.9, 'Yes, um, I have the numbers.'],
      ['S1', 8.2, 9.8, 'Great, thanks.'],
    ]);
    assert.equal(result.transcript.utterances[1]!.words?.length, 6);
    assert.equal(result.transcript.durationSec, 10);
  });

  test('429 with Retry-After is retried after the time asked for, then succeeds', async () => {
    fake.requests.length = 0;
    fake.failNext('POST /v2/transcript', { status: 429, body: { error: 'Too many requests' }, headers: { 'retry-after': '1' } });
    const t0 = Date.now();
    const r = await make().transcribe({ data: audio, contentType: 'audio/ogg' });
    assert.ok(Date.now() - t0 >= 950, 'waited for Retry-After: 1');
    assert.equal(fake.requests.filter((q) => q.path === '/v2/transcript').length, 2);
    assert.ok(r.segments.length > 0);
  });

  test('500 is retried with backoff', async () => {
    fake.requests.length = 0;
    fake.failNext('POST /v2/upload', { status: 500, body: { error: 'Internal server error' } }, { status: 503, body: { error: 'Service unavailable' } });
    const r = await make().transcribe({ data: audio, contentType: 'audio/ogg' });
    assert.equal(fake.requests.filter((q) => q.path === '/v2/upload').length, 3);
    assert.equal(r.segments[0]?.speakerLabel, 'A');
  });

  test('400 fails at once, permanently, with AssemblyAI\'s reason', async () => {
    fake.requests.length = 0;
    fake.failNext('POST /v2/transcript', { status: 400, body: { error: 'Invalid language_code: xx' } });
    await assert.rejects(make().transcribe({ data: audio, contentType: 'audio/ogg' }), (e: unknown) => {
      assert.ok(e instanceof TranscriptionError);
      assert.equal(e.transient, false);
      assert.equal(e.status, 400);
      assert.match(e.message, /Invalid language_code: xx/);
      return true;
    });
    assert.equal(fake.requests.filter((q) => q.path === '/v2/transcript').length, 1);
  });

  test('a transcript that ends in status "error" fails permanently with its message', async () => {
    fake.transcriptError = 'Transcoding failed. File does not appear to contain audio.';
    try {
      await assert.rejects(make().transcribe({ data: audio, contentType: 'audio/ogg' }), /does not appear to contain audio/);
    } finally {
      fake.transcriptError = null;
    }
  });

  test('a wrong API key is a permanent auth failure', async () => {
    await assert.rejects(new AssemblyAiTranscriber({ apiKey: 'wrong', baseUrl: fake.url, pollIntervalMs: 10 }).transcribe({ data: audio, contentType: 'audio/ogg' }), (e: unknown) => {
      assert.ok(e instanceof TranscriptionError);
      assert.equal(e.code, 'auth_failed');
      assert.equal(e.transient, false);
      return true;
    });
  });

  test('long audio is chunked; times shift onto the meeting clock and chunk labels stay apart', async () => {
    fake.requests.length = 0;
    fake.uploads.length = 0;
    const long = oggTone(25);
    // Each chunk: one utterance at 1–3 s of the chunk, speaker "A" in every chunk.
    fake.script = [[aaiUtterance('A', 1000, 3000, 'first chunk words')], [aaiUtterance('A', 1000, 3000, 'second chunk words')], [aaiUtterance('A', 1000, 3000, 'third chunk words')]];
    const tl: BotTimeline = { recordingStartedAt: null, events: [], speakerTurns: [{ speaker: 'Alice', startMs: 500, endMs: 3500 }, { speaker: 'Bob', startMs: 9500, endMs: 12500 }, { speaker: 'Alice', startMs: 18500, endMs: 21500 }] };
    const r = await transcribeMeeting({ transcriber: make({ maxUploadBytes: 60_000 }), audio: { data: long, contentType: 'audio/ogg', durationSec: 25 }, timeline: tl, captions: null, chunkSec: 600 });
    assert.equal(r.chunks, 3, '60 kB limit at ≤ 6 kB/s → 9-s chunks');
    assert.equal(fake.uploads.length, 3);
    assert.ok(fake.uploads.every((u) => u.length <= 60_000 && u.subarray(0, 4).toString() === 'OggS'));
    assert.deepEqual(r.transcript.utterances.map((u) => [u.start, u.end, u.text]), [[1, 3, 'first chunk words'], [10, 12, 'second chunk words'], [19, 21, 'third chunk words']]);
    assert.deepEqual(r.transcript.utterances.map((u) => r.speakers.find((s) => s.id === u.speaker)!.name), ['Alice', 'Bob', 'Alice']);
  });
});

for (const provider of ['openai', 'whisper'] as const) {
  describe(`${provider === 'openai' ? 'OpenAI' : 'Self-hosted Whisper (OpenAI-compatible)'} adapter against a fake /v1/audio/transcriptions`, () => {
    const KEY = provider === 'openai' ? 'sk-test-123' : 'whisper-local-key';
    let fake: FakeOpenAi;
    const model = provider === 'openai' ? 'whisper-1' : 'Systran/faster-whisper-small';
    const make = (extra: { maxUploadBytes?: number } = {}) => new OpenAiTranscriber({ provider, apiKey: KEY, baseURL: `${fake.url}/v1`, model, retries: 3, retryBaseMs: 5, ...extra });

    before(async () => {
      fake = await startFakeOpenAi(KEY);
      fake.script = [[{ start: 0.6, end: 4.0, text: 'Hello everyone, shall we start?' }, { start: 4.4, end: 7.9, text: 'Yes, I have the numbers.' }, { start: 8.2, end: 9.8, text: 'Great, thanks.' }]];
    });
    after(() => fake.close());

    test('multipart upload with verbose_json + word timestamps; speakers from the timeline alone', async () => {
      fake.transcriptions.length = 0;
      const r = await transcribeMeeting({ transcriber: make(), audio: { data: audio, contentType: 'audio/ogg', durationSec: 10 }, timeline, captions: null, chunkSec: 600 });
      const req = fake.transcriptions[0]!;
      assert.equal(req.authorization, `Bearer ${KEY}`);
      assert.equal(req.model, model);
      assert.equal(req.responseFormat, 'verbose_json');
      assert.deepEqual(req.granularities.sort(), ['segment', 'word']);
      assert.equal(req.fileName, 'audio.ogg');
      assert.equal(req.fileType, 'audio/ogg');
      assert.equal(req.fileBytes, audio.length);
      assert.equal(r.source, `${provider}:${model}`);
      assert.deepEqual(r.transcript.utterances.map((u) => [r.speakers.find((s) => s.id === u.speaker)!.name, u.text]), [
        ['Alice Example', 'Hello everyone, shall we start?'],
        ['Bob Builder', 'Yes, I have the numbers.'],
        ['Alice Example', 'Great, thanks.'],
      ]);
      assert.deepEqual(r.transcript.utterances[0]!.words?.map((w) => w.text), ['Hello', 'everyone', 'shall', 'we', 'start']);
    });

    test('429 with Retry-After, then success', async () => {
      fake.transcriptions.length = 0;
      fake.requests.length = 0;
      fake.failNext('POST /v1/audio/transcriptions', { status: 429, body: { error: { message: 'Rate limit reached for whisper-1', type: 'requests', code: 'rate_limit_exceeded' } }, headers: { 'retry-after': '1' } });
      const t0 = Date.now();
      const r = await make().transcribe({ data: audio, contentType: 'audio/ogg' });
      assert.ok(Date.now() - t0 >= 950);
      assert.equal(fake.requests.length, 2);
      assert.equal(r.segments.length, 3);
    });

    test('500 is retried', async () => {
      fake.requests.length = 0;
      fake.failNext('POST /v1/audio/transcriptions', { status: 500, body: { error: { message: 'The server had an error', type: 'server_error' } } }, { status: 502, body: { error: { message: 'Bad gateway', type: 'server_error' } } });
      const r = await make().transcribe({ data: audio, contentType: 'audio/ogg' });
      assert.equal(fake.requests.length, 3);
      assert.equal(r.segments[0]!.text, 'Hello everyone, shall we start?');
    });

    test('400 fails permanently with the provider\'s message', async () => {
      fake.requests.length = 0;
      fake.failNext('POST /v1/audio/transcriptions', { status: 400, body: { error: { message: 'Invalid file format. Supported formats: flac, m4a, mp3, mp4, mpeg, mpga, oga, ogg, wav, webm', type: 'invalid_request_error' } } });
      await assert.rejects(make().transcribe({ data: audio, contentType: 'audio/ogg' }), (e: unknown) => {
        assert.ok(e instanceof TranscriptionError);
        assert.equal(e.transient, false);
        assert.equal(e.provider, provider);
        assert.match(e.message, /Invalid file format/);
        return true;
      });
      assert.equal(fake.requests.length, 1);
    });

    test('audio over the upload limit is cut into chunks and re-timed', async () => {
      fake.transcriptions.length = 0;
      const saved = fake.script;
      fake.script = [[{ start: 2, end: 4, text: 'chunk one.' }], [{ start: 2, end: 4, text: 'chunk two.' }], [{ start: 2, end: 4, text: 'chunk three.' }]];
      try {
        const r = await transcribeMeeting({ transcriber: make({ maxUploadBytes: 60_000 }), audio: { data: oggTone(25), contentType: 'audio/ogg', durationSec: 25 }, timeline: null, captions: null, chunkSec: 600 });
        assert.equal(fake.transcriptions.length, 3);
        assert.ok(fake.transcriptions.every((t) => t.fileBytes <= 60_000));
        assert.deepEqual(r.transcript.utterances.map((u) => [u.start, u.end, u.text]), [[2, 4, 'chunk one.'], [11, 13, 'chunk two.'], [20, 22, 'chunk three.']]);
      } finally {
        fake.script = saved;
      }
    });
  });
}
