import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeTranscript, buildPracticeModules, parseTranscript, type Transcript } from '@rapport/analytics';
import type { AppConfig } from '@rapport/config';
import { decryptJson } from '@rapport/crypto';
import { AnalysisRepository, PipelineRunsRepository, UserKeysRepository, UsersRepository, type PipelineRunEntity } from '@rapport/database';
import { blobKeys } from '@rapport/storage';
import { createTestDatabase, testConfig } from '@rapport/testing';
import { startFakeOpenAi, type FakeOpenAi } from '@rapport/transcription';
import { createStandalonePipeline, renderScriptedMeeting, seedFinishedMeeting, type RenderedMeeting, type StandalonePipeline } from './index';

const SCRIPT = [
  { speaker: 'Alice Example', text: 'Um, okay, so, uh, I think we should, um, start with the budget for the, uh, next quarter, you know.', voice: 'en+f3' },
  { speaker: 'Bob Builder', text: 'Sure. What numbers do you have so far?', voice: 'en+m3' },
  { speaker: 'Alice Example', text: 'Well, um, the, uh, hardware costs are, um, about twelve euros per unit, and, uh, I mean, the case is, um, another three.', voice: 'en+f3' },
  { speaker: 'Carol Guest', text: 'Is that with the rubber buttons?', voice: 'en+f2' },
  { speaker: 'Alice Example', text: 'Uh, yes, um, with the rubber buttons, and, uh, you know, the, um, battery is extra, sort of.', voice: 'en+f3' },
  { speaker: 'Bob Builder', text: 'Then we are over the target. Can we drop the speech recognition?', voice: 'en+m3' },
  { speaker: 'Alice Example', text: 'Um, I mean, uh, we could, um, but, uh, the users, you know, they really, um, asked for it in the survey.', voice: 'en+f3' },
];

async function makeUser(ds: StandalonePipeline, email: string, displayName: string): Promise<string> {
  const users = new UsersRepository(ds.ds);
  const u = await users.create({ email, passwordHash: 'x', retentionDays: 30 });
  assert.ok(u);
  await users.update(u.id, { displayName });
  await new UserKeysRepository(ds.ds).insert(u.id, (await ds.keys.newKey()).wrapped);
  return u.id;
}

async function waitForRun(runs: PipelineRunsRepository, meetingId: string, notId: string | null, timeoutMs = 30_000): Promise<PipelineRunEntity> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await runs.latestForMeeting(meetingId);
    if (r && r.id !== notId && (r.status === 'completed' || r.status === 'failed')) return r;
    if (Date.now() > end) throw new Error(`run did not finish: ${JSON.stringify(r)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

const counts = async (p: StandalonePipeline, meetingId: string) => {
  const [row] = (await p.ds.query(
    `SELECT (SELECT count(*) FROM meeting_analyses WHERE meeting_id = $1)::int AS analyses,
            (SELECT count(*) FROM practice_modules pm JOIN meeting_analyses a ON a.id = pm.source_analysis_id WHERE a.meeting_id = $1)::int AS practice,
            (SELECT count(*) FROM notifications WHERE meeting_id = $1)::int AS notifications,
            (SELECT count(*) FROM meeting_speakers WHERE meeting_id = $1)::int AS speakers,
            (SELECT count(*) FROM meeting_transcripts WHERE meeting_id = $1)::int AS transcripts`,
    [meetingId],
  )) as Array<Record<string, number>>;
  return row!;
};

let rendered: RenderedMeeting;
before(() => {
  rendered = renderScriptedMeeting(SCRIPT);
});

describe('analysis pipeline on PostgreSQL + Redis (captions transcription)', () => {
  let db: { url: string; drop: () => Promise<void> };
  let config: AppConfig;
  let p: StandalonePipeline;
  let alice: string;
  let bob: string;

  before(async () => {
    db = await createTestDatabase();
    config = await testConfig(db.url, { ANALYSIS_RETRY_BASE_MS: '20' });
    p = await createStandalonePipeline(config);
    p.work(2);
    alice = await makeUser(p, 'alice@example.com', 'Alice Example');
    bob = await makeUser(p, 'bob@example.com', 'Bob Builder');
  });
  after(async () => {
    await p.close();
    await db.drop();
  });

  test('bot hand-off → meeting.process → transcript (encrypted), speakers, analysis, practice, notification', async () => {
    const meeting = await seedFinishedMeeting(p, { userId: alice, title: 'Budget sync', ...rendered });
    await p.queue.enqueueProcess({ meetingId: meeting.id, botId: null, reason: 'bot_done' });
    const runs = new PipelineRunsRepository(p.ds);
    const run = await waitForRun(runs, meeting.id, null);
    assert.equal(run.status, 'completed', `${run.errorCode}: ${run.errorMessage}`);
    assert.equal(run.step, 'notify');
    assert.equal(run.transcriptSource, 'captions');

    const repo = new AnalysisRepository(p.ds);
    const tr = await repo.transcriptOf(meeting.id);
    assert.ok(tr);
    assert.equal(tr.userId, alice);
    assert.ok(!tr.ciphertext.toString('latin1').includes('rubber buttons'), 'stored encrypted');
    const transcript = parseTranscript(decryptJson(await p.keys.keyFor(alice), tr.ciphertext, `transcript:${meeting.id}`));
    assert.deepEqual(transcript.speakers.map((s) => s.name), ['Alice Example', 'Bob Builder', 'Carol Guest']);
    assert.equal(transcript.utterances.length, SCRIPT.length);
    assert.deepEqual(transcript.utterances.map((u) => u.text), SCRIPT.map((l) => l.text));
    // Utterance spans come from the bot's speaking turns.
    transcript.utterances.forEach((u, i) => {
      const turn = rendered.timeline.speakerTurns[i]!;
      assert.ok(Math.abs(u.start - turn.startMs / 1000) < 0.01 && Math.abs(u.end - turn.endMs / 1000) < 0.01, `utterance ${i} on its turn`);
    });

    const speakers = await repo.listSpeakers(meeting.id);
    assert.deepEqual(speakers.map((s) => [s.speakerLabel, s.displayName, s.userId, s.confirmed]), [
      ['S1', 'Alice Example', alice, false],
      ['S2', 'Bob Builder', null, false],
      ['S3', 'Carol Guest', null, false],
    ]);

    const analyses = await repo.analysesOfMeeting(meeting.id);
    assert.equal(analyses.length, 1, 'only the owner’s own speaker is analysed until others claim theirs');
    const mine = analyses[0]!;
    const expected = analyzeTranscript(transcript).speakers[0]!;
    assert.equal(mine.userId, alice);
    assert.equal(mine.communicationScore, Math.round(expected.communicationScore!));
    assert.deepEqual(mine.recommendations, expected.recommendations);
    assert.deepEqual(mine.improvementAreas, JSON.parse(JSON.stringify(expected.improvementAreas)));
    assert.ok((mine.metrics.fillerWordsPer100 as number) > 10, 'Alice’s fillers are measured');
    assert.ok(mine.improvementAreas.some((a) => (a as { area: string }).area === 'filler_words'));

    const practice = await repo.practiceOfAnalysis(alice, mine.id);
    const expectedModules = buildPracticeModules(expected, transcript);
    assert.ok(expectedModules.length > 0);
    assert.deepEqual(practice.map((m) => m.moduleType).sort(), expectedModules.map((m) => m.moduleType).sort());
    assert.ok(practice.every((m) => m.status === 'not_started' && m.attempts === 0));

    const notes = await repo.listNotificationsForUser(alice);
    assert.equal(notes.length, 1);
    assert.equal(notes[0]!.kind, 'analysis_ready');
    assert.equal(notes[0]!.payload.practiceModules, practice.length);
    assert.equal((await repo.listNotificationsForUser(bob)).length, 0);

    // Idempotent: the same hand-off processed again leaves the same rows, no duplicates.
    const before = await counts(p, meeting.id);
    const progress = await repo.updatePracticeProgress(alice, practice[0]!.id, { status: 'started', attemptIncrement: 2 });
    assert.equal(progress?.attempts, 2);
    await p.queue.enqueueProcess({ meetingId: meeting.id, botId: null, reason: 'bot_done' });
    const run2 = await waitForRun(runs, meeting.id, run.id);
    assert.equal(run2.status, 'completed');
    assert.deepEqual(await counts(p, meeting.id), before);
    const again = await repo.analysesOfMeeting(meeting.id);
    assert.equal(again[0]!.id, mine.id, 'the analysis row is updated in place');
    const practice2 = await repo.practiceOfAnalysis(alice, mine.id);
    const carried = practice2.find((m) => m.moduleType === practice[0]!.moduleType)!;
    assert.equal(carried.attempts, 2, 'progress survives a re-run');
    assert.equal(carried.status, 'started');

    // Bob confirms he is S2; a reanalysis from the stored transcript produces his analysis too.
    assert.equal(await repo.claimSpeaker(meeting.id, 'S2', bob), 'claimed');
    await p.queue.enqueueProcess({ meetingId: meeting.id, botId: null, reason: 'reanalyze' });
    const run3 = await waitForRun(runs, meeting.id, run2.id);
    assert.equal(run3.status, 'completed');
    assert.equal(run3.transcriptSource, 'captions (stored)');
    const byUser = new Map((await repo.analysesOfMeeting(meeting.id)).map((a) => [a.userId, a]));
    assert.deepEqual([...byUser.keys()].sort(), [alice, bob].sort());
    assert.equal(byUser.get(bob)!.speakerName, 'Bob Builder');
    assert.equal((await repo.listNotificationsForUser(bob)).length, 1);
    assert.equal((await repo.findAnalysisForUser(bob, meeting.id))?.metrics.speakerLabel, 'S2');
  });

  test('a recording row whose blob is gone fails the run for good, with the reason, without retries', async () => {
    const meeting = await seedFinishedMeeting(p, { userId: alice, title: 'Lost', ...rendered });
    await p.blobs.delete(blobKeys.recording(alice, meeting.id));
    const jobId = await p.queue.enqueueProcess({ meetingId: meeting.id, botId: null, reason: 'bot_done' });
    assert.ok(jobId);
    const run = await waitForRun(new PipelineRunsRepository(p.ds), meeting.id, null);
    assert.equal(run.status, 'failed');
    assert.equal(run.step, 'finalize');
    assert.equal(run.errorCode, 'recording_missing');
    const job = await p.queue.queue.getJob(`${run.id}:finalize`);
    assert.ok(job);
    assert.equal(job.attemptsMade, 1, 'a permanent failure is not retried');
    assert.equal(await job.getState(), 'failed');
  });

  test('a tampered recording fails permanently as undecryptable', async () => {
    const meeting = await seedFinishedMeeting(p, { userId: alice, title: 'Tampered', ...rendered });
    const key = blobKeys.recording(alice, meeting.id);
    const blob = (await p.blobs.get(key))!;
    blob[blob.length - 5]! ^= 0xff;
    await p.blobs.put(key, blob);
    await p.queue.enqueueProcess({ meetingId: meeting.id, botId: null, reason: 'bot_done' });
    const run = await waitForRun(new PipelineRunsRepository(p.ds), meeting.id, null);
    assert.equal(run.status, 'failed');
    assert.equal(run.errorCode, 'decryption_failed');
  });
});

describe('analysis pipeline with the OpenAI provider (fake server): retries and permanent failures', () => {
  let db: { url: string; drop: () => Promise<void> };
  let p: StandalonePipeline;
  let fake: FakeOpenAi;
  let alice: string;

  before(async () => {
    fake = await startFakeOpenAi('sk-pipeline');
    // Whisper segments of the rendered script, with no speaker labels: speakers come from the timeline.
    fake.script = [rendered.timeline.speakerTurns.map((t, i) => ({ start: t.startMs / 1000, end: t.endMs / 1000, text: SCRIPT[i]!.text }))];
    db = await createTestDatabase();
    const config = await testConfig(db.url, {
      ANALYSIS_RETRY_BASE_MS: '20',
      TRANSCRIPTION_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-pipeline',
      OPENAI_BASE_URL: `${fake.url}/v1`,
      TRANSCRIPTION_MAX_RETRIES: '0',
    });
    p = await createStandalonePipeline(config, { tuning: { retryBaseMs: 5 } });
    p.work(2);
    alice = await makeUser(p, 'alice@example.com', 'Alice Example');
  });
  after(async () => {
    await p.close();
    await fake.close();
    await db.drop();
  });

  test('a 500 from the provider fails the job attempt; Bull retries it and the run completes', async () => {
    fake.failNext('POST /v1/audio/transcriptions', { status: 500, body: { error: { message: 'The server had an error while processing your request.', type: 'server_error' } } });
    const meeting = await seedFinishedMeeting(p, { userId: alice, title: 'Whisper', ...rendered });
    fake.transcriptions.length = 0;
    fake.requests.length = 0;
    await p.queue.enqueueProcess({ meetingId: meeting.id, botId: null, reason: 'bot_done' });
    const run = await waitForRun(new PipelineRunsRepository(p.ds), meeting.id, null);
    assert.equal(run.status, 'completed', `${run.errorCode}: ${run.errorMessage}`);
    assert.equal(run.transcriptSource, 'openai:whisper-1');
    const job = await p.queue.queue.getJob(`${run.id}:transcribe`);
    assert.equal(job?.stacktrace.length, 1, 'first attempt failed (transient), the retry succeeded');
    assert.match(job!.stacktrace[0]!, /openai answered 500/);
    assert.equal(fake.requests.filter((r) => r.path === '/v1/audio/transcriptions').length, 2);
    assert.equal(fake.transcriptions.length, 1);
    assert.equal(fake.transcriptions[0]!.fileType, 'audio/ogg');
    // The LLM refinement got an invalid reply ('{}'): the deterministic recommendations stand.
    const repo = new AnalysisRepository(p.ds);
    const a = (await repo.analysesOfMeeting(meeting.id))[0]!;
    assert.equal(a.metrics.refinedBy, null);
    assert.deepEqual(a.recommendations, a.metrics.deterministicRecommendations);
    assert.ok(fake.chatRequests.length >= 1, 'refinement was attempted');
    const tr = await repo.transcriptOf(meeting.id);
    const transcript = decryptJson<Transcript>(await p.keys.keyFor(alice), tr!.ciphertext, `transcript:${meeting.id}`);
    assert.deepEqual(transcript.speakers.map((s) => s.name), ['Alice Example', 'Bob Builder', 'Carol Guest']);
  });

  test('a 400 from the provider fails the run for good with the provider’s reason', async () => {
    fake.failNext('POST /v1/audio/transcriptions', { status: 400, body: { error: { message: 'Audio file is too short. Minimum audio length is 0.1 seconds.', type: 'invalid_request_error' } } });
    const meeting = await seedFinishedMeeting(p, { userId: alice, title: 'Rejected', ...rendered });
    await p.queue.enqueueProcess({ meetingId: meeting.id, botId: null, reason: 'bot_done' });
    const run = await waitForRun(new PipelineRunsRepository(p.ds), meeting.id, null);
    assert.equal(run.status, 'failed');
    assert.equal(run.step, 'transcribe');
    assert.equal(run.errorCode, 'transcription_provider_rejected');
    assert.match(run.errorMessage ?? '', /Audio file is too short/);
    const job = await p.queue.queue.getJob(`${run.id}:transcribe`);
    assert.equal(job?.attemptsMade, 1);
  });
});
