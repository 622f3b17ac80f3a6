import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BLOB_STORE } from '@rapport/core';
import { DataKeyService } from '@rapport/crypto';
import { AnalysisRepository, PipelineRunsRepository, UserKeysRepository, UsersRepository } from '@rapport/database';
import { AnalysisQueue, renderScriptedMeeting, seedFinishedMeeting } from '@rapport/pipeline';
import type { BlobStore } from '@rapport/storage';
import { createTestDatabase, testConfig } from '@rapport/testing';
import { WorkerModule } from '../worker.module';

let app: INestApplication;
let db: { url: string; drop: () => Promise<void> };

before(async () => {
  db = await createTestDatabase();
  app = await NestFactory.create(WorkerModule.forRoot(await testConfig(db.url, { ANALYSIS_RETRY_BASE_MS: '20' })), { logger: false });
  await app.init();
});
after(async () => {
  await app?.close();
  await db?.drop();
});

test('the worker app consumes meeting.process and runs every step to a stored analysis', async () => {
  const ds = app.get(DataSource);
  const keys = app.get(DataKeyService);
  const users = new UsersRepository(ds);
  const owner = (await users.create({ email: 'dana@example.com', passwordHash: 'x', retentionDays: 30 }))!;
  await users.update(owner.id, { displayName: 'Dana' });
  await new UserKeysRepository(ds).insert(owner.id, (await keys.newKey()).wrapped);
  const rendered = renderScriptedMeeting([
    { speaker: 'Dana', text: 'Good morning. Um, shall we, uh, go through the, um, plan for the launch?' },
    { speaker: 'Eli', text: 'Yes. The landing page is ready and the emails go out on Monday.' },
    { speaker: 'Dana', text: 'Great. Uh, what, um, is still open on the, uh, pricing side?' },
  ]);
  const meeting = await seedFinishedMeeting({ ds, blobs: app.get<BlobStore>(BLOB_STORE), keys }, { userId: owner.id, title: 'Launch', ...rendered });
  await app.get(AnalysisQueue).enqueueProcess({ meetingId: meeting.id, botId: null, reason: 'bot_done' });
  const runs = new PipelineRunsRepository(ds);
  const end = Date.now() + 30_000;
  let run = await runs.latestForMeeting(meeting.id);
  while (!run || (run.status !== 'completed' && run.status !== 'failed')) {
    assert.ok(Date.now() < end, `run did not finish: ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 50));
    run = await runs.latestForMeeting(meeting.id);
  }
  assert.equal(run.status, 'completed', `${run.errorCode}: ${run.errorMessage}`);
  const analyses = await new AnalysisRepository(ds).analysesOfMeeting(meeting.id);
  assert.deepEqual(analyses.map((a) => [a.userId, a.speakerName]), [[owner.id, 'Dana']]);
  assert.equal((await new AnalysisRepository(ds).listNotificationsForUser(owner.id)).length, 1);
});
