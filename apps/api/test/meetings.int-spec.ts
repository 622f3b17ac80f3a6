import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DataSource } from 'typeorm';
import { DataKeyService } from '@rapport/crypto';
import { BLOB_STORE } from '@rapport/core';
import { AnalysisQueue, createStandalonePipeline, renderScriptedMeeting, seedFinishedMeeting, type RenderedMeeting, type StandalonePipeline } from '@rapport/pipeline';
import { UsersRepository } from '@rapport/database';
import type { BlobStore } from '@rapport/storage';
import { registerAndLogin, startApi, type ApiHarness } from './api-harness';

const SCRIPT = [
  { speaker: 'Alice Example', text: 'Um, okay, so, uh, I think we should, um, start with the budget for the, uh, next quarter, you know.', voice: 'en+f3' },
  { speaker: 'Bob Builder', text: 'Sure. What numbers do you have so far? I have a rough estimate of the component costs here.', voice: 'en+m3' },
  { speaker: 'Alice Example', text: 'Well, um, the, uh, hardware costs are, um, about twelve euros per unit, and, uh, I mean, the case is, um, another three.', voice: 'en+f3' },
  { speaker: 'Carol Guest', text: 'Is that with the rubber buttons?', voice: 'en+f2' },
  { speaker: 'Bob Builder', text: 'Then we are over the target. Can we drop the speech recognition and keep the rubber buttons?', voice: 'en+m3' },
  { speaker: 'Alice Example', text: 'Um, I mean, uh, we could, um, but, uh, the users, you know, they really, um, asked for it in the survey.', voice: 'en+f3' },
];

type Session = { id: string; accessToken: string };

describe('meetings API over the analysis pipeline (API + worker on PostgreSQL and Redis)', () => {
  let api: ApiHarness;
  // The worker app's own test boots WorkerModule; here the same pipeline runs without Nest (apps never import each other).
  let worker: StandalonePipeline;
  let rendered: RenderedMeeting;
  let alice: Session;
  let bob: Session;
  let carol: Session;
  let admin: Session;
  let meetingId: string;

  const as = (s: Session, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    api.request(method, path, { token: s.accessToken, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });

  async function waitForPipeline(s: Session, id: string, notRunId: string | null = null): Promise<{ runId: string; status: string; errorCode: string | null }> {
    const end = Date.now() + 30_000;
    for (;;) {
      const r = await as(s, 'GET', `/api/v1/meetings/${id}`);
      const p = r.body?.pipeline as { runId: string; status: string; errorCode: string | null } | null;
      if (p && p.runId !== notRunId && (p.status === 'completed' || p.status === 'failed')) return p;
      if (Date.now() > end) throw new Error(`pipeline did not finish: ${JSON.stringify(r.body)}`);
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  before(async () => {
    rendered = renderScriptedMeeting(SCRIPT);
    api = await startApi({ ANALYSIS_RETRY_BASE_MS: '20' });
    worker = await createStandalonePipeline(api.config);
    worker.work(2);
    alice = await registerAndLogin(api, 'alice@example.com');
    bob = await registerAndLogin(api, 'bob@example.com');
    carol = await registerAndLogin(api, 'carol@example.com');
    admin = await registerAndLogin(api, 'admin@example.com');
    await new UsersRepository(api.app.get(DataSource)).update(admin.id, { role: 'admin' });
    assert.equal((await as(alice, 'PATCH', '/api/v1/me', { displayName: 'Alice Example' })).status, 200);
    assert.equal((await as(bob, 'PATCH', '/api/v1/me', { displayName: 'Bob Builder' })).status, 200);

    // The bot hand-off: encrypted recording + recordings row, timeline, captions, then meeting.process.
    const meeting = await seedFinishedMeeting(
      { ds: api.app.get(DataSource), blobs: api.app.get<BlobStore>(BLOB_STORE), keys: api.app.get(DataKeyService) },
      { userId: alice.id, title: 'Budget sync', ...rendered },
    );
    meetingId = meeting.id;
    await api.app.get(AnalysisQueue).enqueueProcess({ meetingId, botId: null, reason: 'bot_done' });
    const run = await waitForPipeline(alice, meetingId);
    assert.equal(run.status, 'completed', JSON.stringify(run));
  });

  after(async () => {
    await worker?.close();
    await api?.close();
  });

  test('the owner lists the meeting with their score and reads their analysis and the transcript', async () => {
    const list = await as(alice, 'GET', '/api/v1/meetings');
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 1);
    const item = list.body.items[0];
    assert.equal(item.id, meetingId);
    assert.equal(item.isOwner, true);
    assert.equal(item.pipelineStatus, 'completed');
    assert.equal(typeof item.myScore, 'number');

    const detail = await as(alice, 'GET', `/api/v1/meetings/${meetingId}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.myAnalysis.communicationScore, item.myScore);
    assert.equal(detail.body.myAnalysis.speakerName, 'Alice Example');
    assert.deepEqual(detail.body.speakers.map((s: { label: string; displayName: string; isMe: boolean }) => [s.label, s.displayName, s.isMe]), [
      ['S1', 'Alice Example', true],
      ['S2', 'Bob Builder', false],
      ['S3', 'Carol Guest', false],
    ]);
    assert.equal(detail.body.recording.contentType, 'audio/ogg');
    assert.equal(detail.body.pipeline.transcriptSource, 'captions');
    assert.equal(detail.body.duration, Math.round(rendered.durationSec));

    const analysis = await as(alice, 'GET', `/api/v1/meetings/${meetingId}/analysis`);
    assert.equal(analysis.status, 200);
    assert.ok(analysis.body.improvementAreas.some((a: { area: string }) => a.area === 'filler_words'));
    assert.ok(analysis.body.recommendations.length > 0);

    const transcript = await as(alice, 'GET', `/api/v1/meetings/${meetingId}/transcript`);
    assert.equal(transcript.status, 200);
    assert.deepEqual(transcript.body.transcript.utterances.map((u: { text: string }) => u.text), SCRIPT.map((l) => l.text));
  });

  test('other users get 404 and no data for everything about the meeting', async () => {
    for (const path of ['', '/transcript', '/analysis', '/recording']) {
      for (const who of [bob, carol]) {
        const r = await as(who, 'GET', `/api/v1/meetings/${meetingId}${path}`);
        assert.equal(r.status, 404, `${path} for another user`);
        assert.ok(!JSON.stringify(r.body).includes('rubber'), 'no transcript text leaks');
      }
    }
    assert.equal((await as(bob, 'POST', `/api/v1/meetings/${meetingId}/reanalyze`, {})).status, 404);
    assert.equal((await as(carol, 'POST', `/api/v1/meetings/${meetingId}/speakers/S2/claim`)).status, 404, 'not her name: cannot claim');
    assert.deepEqual((await as(bob, 'GET', '/api/v1/meetings')).body.items, []);
    assert.equal((await as(bob, 'GET', '/api/v1/meetings/not-a-uuid')).status, 404);
    assert.equal((await api.request('GET', `/api/v1/meetings/${meetingId}`)).status, 401);
  });

  test('the recording streams decrypted, with byte ranges (206), suffix ranges and 416', async () => {
    const path = `/api/v1/meetings/${meetingId}/recording`;
    const get = (headers: Record<string, string> = {}) => fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${alice.accessToken}`, ...headers } });
    const size = rendered.recording.length;
    const full = await get();
    assert.equal(full.status, 200);
    assert.equal(full.headers.get('accept-ranges'), 'bytes');
    assert.equal(full.headers.get('content-type'), 'audio/ogg');
    assert.equal(full.headers.get('content-length'), String(size));
    assert.deepEqual(Buffer.from(await full.arrayBuffer()), rendered.recording);

    const part = await get({ range: 'bytes=100-199' });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 100-199/${size}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), rendered.recording.subarray(100, 200));

    // Across a 64 KiB chunk boundary, and open-ended / suffix forms.
    const across = await get({ range: 'bytes=65000-70000' });
    assert.equal(across.status, 206);
    assert.deepEqual(Buffer.from(await across.arrayBuffer()), rendered.recording.subarray(65000, 70001));
    const tail = await get({ range: 'bytes=-500' });
    assert.equal(tail.headers.get('content-range'), `bytes ${size - 500}-${size - 1}/${size}`);
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), rendered.recording.subarray(size - 500));
    const open = await get({ range: `bytes=${size - 10}-` });
    assert.deepEqual(Buffer.from(await open.arrayBuffer()), rendered.recording.subarray(size - 10));

    const bad = await get({ range: `bytes=${size + 10}-${size + 20}` });
    assert.equal(bad.status, 416);
    assert.equal(bad.headers.get('content-range'), `bytes */${size}`);
    assert.equal((await bad.json()).code, 'range_not_satisfiable');
    assert.equal((await get({ range: 'bytes=abc' })).status, 416);
  });

  test('a media cookie opens only this recording, for <audio> (no Bearer), and dies with the access token', async () => {
    const path = `/api/v1/meetings/${meetingId}/recording`;
    assert.equal((await fetch(`${api.baseUrl}${path}`)).status, 401, 'no credentials');
    const session = await fetch(`${api.baseUrl}${path}/session`, { method: 'POST', headers: { authorization: `Bearer ${alice.accessToken}` } });
    assert.equal(session.status, 204);
    const setCookie = session.headers.get('set-cookie') ?? '';
    for (const attr of [/^rapport_media=[^;]+;/, new RegExp(`; Path=${path}(;|$)`), /; HttpOnly/, /; SameSite=Strict/, /; Max-Age=\d+/]) assert.match(setCookie, attr);
    const maxAge = Number(/Max-Age=(\d+)/.exec(setCookie)![1]);
    assert.ok(maxAge > 0 && maxAge <= 900, `no longer than the access token: ${maxAge} s`);
    const cookie = setCookie.split(';')[0]!;

    const part = await fetch(`${api.baseUrl}${path}`, { headers: { cookie, range: 'bytes=100-199' } });
    assert.equal(part.status, 206);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), rendered.recording.subarray(100, 200));
    // Only that recording: not another meeting's, not any other endpoint.
    assert.equal((await fetch(`${api.baseUrl}/api/v1/meetings/${randomUUID()}/recording`, { headers: { cookie } })).status, 401);
    assert.equal((await fetch(`${api.baseUrl}/api/v1/meetings/${meetingId}`, { headers: { cookie } })).status, 401);
    assert.equal((await fetch(`${api.baseUrl}/api/v1/meetings/${meetingId}/transcript`, { headers: { cookie } })).status, 401);
    // Someone who may not play it gets no cookie.
    assert.equal((await as(bob, 'POST', `${path}/session`)).status, 404);
    // Logout revokes the access token and every media cookie made from it.
    const fresh = (await api.request('POST', '/api/v1/auth/login', { body: { email: 'alice@example.com', password: 'correct horse battery' } })).body as { accessToken: string };
    const s2 = await fetch(`${api.baseUrl}${path}/session`, { method: 'POST', headers: { authorization: `Bearer ${fresh.accessToken}` } });
    const cookie2 = (s2.headers.get('set-cookie') ?? '').split(';')[0]!;
    assert.equal((await fetch(`${api.baseUrl}${path}`, { headers: { cookie: cookie2, range: 'bytes=0-9' } })).status, 206);
    assert.equal((await as({ ...alice, accessToken: fresh.accessToken }, 'POST', '/api/v1/auth/logout', {})).status, 204);
    assert.equal((await fetch(`${api.baseUrl}${path}`, { headers: { cookie: cookie2, range: 'bytes=0-9' } })).status, 401);
  });

  test('a participant claims their speaker, gets their own analysis, and still never sees the transcript', async () => {
    const before = await as(alice, 'GET', `/api/v1/meetings/${meetingId}`);
    const claim = await as(bob, 'POST', `/api/v1/meetings/${meetingId}/speakers/S2/claim`);
    assert.equal(claim.status, 200, JSON.stringify(claim.body));
    assert.equal(claim.body.confirmed, true);
    assert.equal(claim.body.analysisQueued, true);
    await waitForPipeline(alice, meetingId, before.body.pipeline.runId);

    const list = await as(bob, 'GET', '/api/v1/meetings');
    assert.equal(list.body.items.length, 1);
    assert.equal(list.body.items[0].isOwner, false);
    const mine = await as(bob, 'GET', `/api/v1/meetings/${meetingId}`);
    assert.equal(mine.status, 200);
    assert.equal(mine.body.myAnalysis.speakerName, 'Bob Builder');
    assert.deepEqual(mine.body.speakers.map((s: { label: string }) => s.label), ['S2'], 'only their own speaker');
    assert.equal(mine.body.recording, undefined);
    assert.equal(mine.body.pipeline, undefined);
    assert.notEqual(mine.body.myAnalysis.id, (await as(alice, 'GET', `/api/v1/meetings/${meetingId}/analysis`)).body.id);
    assert.equal((await as(bob, 'GET', `/api/v1/meetings/${meetingId}/transcript`)).status, 404);
    assert.equal((await as(bob, 'GET', `/api/v1/meetings/${meetingId}/recording`)).status, 404);
    // Bob's analysis holds Bob's figures, never Alice's.
    const bobs = await as(bob, 'GET', `/api/v1/meetings/${meetingId}/analysis`);
    assert.equal(bobs.body.metrics.speakerLabel, 'S2');
    assert.equal((await as(alice, 'POST', `/api/v1/meetings/${meetingId}/speakers/S2/claim`)).status, 409, 'confirmed by Bob already');
    const notes = await as(bob, 'GET', '/api/v1/notifications');
    assert.deepEqual(notes.body.items.map((n: { kind: string; meetingId: string }) => [n.kind, n.meetingId]), [['analysis_ready', meetingId]]);
  });

  test('reanalyze re-runs from the stored transcript without duplicating anything', async () => {
    const before = await as(alice, 'GET', `/api/v1/meetings/${meetingId}`);
    const practiceBefore = (await as(alice, 'GET', '/api/v1/practice-modules')).body.items.length;
    const r = await as(alice, 'POST', `/api/v1/meetings/${meetingId}/reanalyze`, {});
    assert.equal(r.status, 202);
    // The run is recorded as queued before its job runs: the meeting shows it at once and a
    // second request is refused until it ends.
    assert.equal((await as(alice, 'GET', `/api/v1/meetings/${meetingId}`)).body.pipeline.runId, r.body.runId);
    const again = await as(alice, 'POST', `/api/v1/meetings/${meetingId}/reanalyze`, {});
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'analysis_in_progress');
    const run = await waitForPipeline(alice, meetingId, before.body.pipeline.runId);
    assert.equal(run.status, 'completed');
    const after = await as(alice, 'GET', `/api/v1/meetings/${meetingId}`);
    assert.equal(after.body.pipeline.transcriptSource, 'captions (stored)');
    assert.equal(after.body.myAnalysis.id, before.body.myAnalysis.id);
    assert.equal((await as(alice, 'GET', '/api/v1/practice-modules')).body.items.length, practiceBefore);
    assert.equal((await as(alice, 'GET', '/api/v1/notifications')).body.items.length, 1);
    assert.equal((await as(alice, 'POST', `/api/v1/meetings/${meetingId}/reanalyze`, { retranscribe: 'yes' })).status, 400);
  });

  test('practice modules: list and progress are per user', async () => {
    const list = await as(alice, 'GET', '/api/v1/practice-modules');
    assert.equal(list.status, 200);
    assert.ok(list.body.items.length > 0);
    const m = list.body.items.find((x: { moduleType: string }) => x.moduleType === 'filler_words');
    assert.ok(m, 'a filler-words module from Alice’s own excerpts');
    assert.ok(JSON.stringify(m.exercises).includes('[um]') || JSON.stringify(m.exercises).toLowerCase().includes('um'));
    const p1 = await as(alice, 'PATCH', `/api/v1/practice-modules/${m.id}/progress`, { status: 'started', attemptIncrement: 1 });
    assert.equal(p1.status, 200);
    assert.equal(p1.body.status, 'started');
    assert.equal(p1.body.attempts, 1);
    const p2 = await as(alice, 'PATCH', `/api/v1/practice-modules/${m.id}/progress`, { status: 'completed', attemptIncrement: 2 });
    assert.equal(p2.body.status, 'completed');
    assert.equal(p2.body.attempts, 3);
    assert.ok(p2.body.completedAt);
    assert.equal((await as(bob, 'PATCH', `/api/v1/practice-modules/${m.id}/progress`, { attemptIncrement: 1 })).status, 404);
    assert.equal((await as(alice, 'PATCH', `/api/v1/practice-modules/${m.id}/progress`, { status: 'done' })).status, 400);
    assert.equal((await as(alice, 'PATCH', `/api/v1/practice-modules/${m.id}/progress`, {})).status, 400);
    const bobs = await as(bob, 'GET', '/api/v1/practice-modules');
    assert.ok(bobs.body.items.every((x: { id: string }) => x.id !== m.id));
  });

  test('the queue dashboard is for admins only, through a short-lived cookie or a Bearer token', async () => {
    const anon = await fetch(`${api.baseUrl}/admin/queues`);
    assert.equal(anon.status, 401);
    assert.equal((await as(alice, 'POST', '/api/v1/admin/queues/session')).status, 403);
    const aliceBearer = await fetch(`${api.baseUrl}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${alice.accessToken}` } });
    assert.equal(aliceBearer.status, 403);

    const session = await as(admin, 'POST', '/api/v1/admin/queues/session');
    assert.equal(session.status, 204);
    const setCookie = session.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /rapport_queues=[^;]+/);
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=Strict/i);
    assert.match(setCookie, /Path=\/admin\/queues/);
    const cookie = setCookie.split(';')[0]!;
    const page = await fetch(`${api.baseUrl}/admin/queues`, { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    const queues = await fetch(`${api.baseUrl}/admin/queues/api/queues`, { headers: { cookie } });
    assert.equal(queues.status, 200);
    const names = ((await queues.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name);
    assert.ok(names.includes('analysis'));
    const forged = await fetch(`${api.baseUrl}/admin/queues/api/queues`, { headers: { cookie: `${cookie}x` } });
    assert.equal(forged.status, 401);
    const bearer = await fetch(`${api.baseUrl}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${admin.accessToken}` } });
    assert.equal(bearer.status, 200);
    // A demoted admin's cookie stops working at once.
    await new UsersRepository(api.app.get(DataSource)).update(admin.id, { role: 'individual' });
    assert.equal((await fetch(`${api.baseUrl}/admin/queues/api/queues`, { headers: { cookie } })).status, 403);
  });
});
