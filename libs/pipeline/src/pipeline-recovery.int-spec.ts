import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppConfig } from '@rapport/config';
import { PipelineRunsRepository, UserKeysRepository, UsersRepository, type PipelineRunEntity } from '@rapport/database';
import { createTestDatabase, testConfig } from '@rapport/testing';
import { STEP_JOB, stepJobId } from './analysis-queue';
import { PipelineRecovery } from './pipeline-recovery';
import { createStandalonePipeline, renderScriptedMeeting, seedFinishedMeeting, type RenderedMeeting, type StandalonePipeline } from './index';

const SCRIPT = [
  { speaker: 'Alice Example', text: 'Shall we start with the budget for next quarter?', voice: 'en+f3' },
  { speaker: 'Bob Builder', text: 'Sure, the hardware is twelve euros per unit.', voice: 'en+m3' },
  { speaker: 'Alice Example', text: 'Then we are over the target. What can we drop?', voice: 'en+f3' },
];
const DAY = 86_400_000;

async function waitForFinished(runs: PipelineRunsRepository, id: string, timeoutMs = 30_000): Promise<PipelineRunEntity> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await runs.findById(id);
    if (r && (r.status === 'completed' || r.status === 'failed')) return r;
    if (Date.now() > end) throw new Error(`run ${id} did not finish: ${JSON.stringify(r)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe('pipeline recovery: runs whose jobs were lost are resumed, hopeless ones failed', () => {
  let db: { url: string; drop: () => Promise<void> };
  let config: AppConfig;
  let p: StandalonePipeline;
  let runs: PipelineRunsRepository;
  let rendered: RenderedMeeting;
  let alice: string;

  before(async () => {
    rendered = renderScriptedMeeting(SCRIPT);
    db = await createTestDatabase();
    config = await testConfig(db.url, { ANALYSIS_RETRY_BASE_MS: '20' });
    // No worker yet: the jobs stay where the test puts them.
    p = await createStandalonePipeline(config);
    await p.queue.queue.empty();
    runs = new PipelineRunsRepository(p.ds);
    const users = new UsersRepository(p.ds);
    const u = (await users.create({ email: 'alice@example.com', passwordHash: 'x', retentionDays: 30 }))!;
    await users.update(u.id, { displayName: 'Alice Example' });
    await new UserKeysRepository(p.ds).insert(u.id, (await p.keys.newKey()).wrapped);
    alice = u.id;
  });
  after(async () => {
    await p.queue.queue.obliterate({ force: true });
    await p.close();
    await db.drop();
  });

  test('lost trigger job, step job failed as stalled, run too old: resumed, resumed, failed; live jobs left alone', async () => {
    const recovery = (idleMs: number) => new PipelineRecovery(runs, p.queue, { idleMs, giveUpMs: DAY });

    // 1. Queued for analysis, and Redis then loses the job.
    const m1 = await seedFinishedMeeting(p, { userId: alice, title: 'Lost trigger', ...rendered });
    const queued = await p.queue.queueRun(runs, { meetingId: m1.id, userId: alice, reason: 'reanalyze', retranscribe: false });
    assert.deepEqual(await recovery(60_000).recover(), { checked: 0, alive: 0, resumed: [], gaveUp: [] }, 'nothing is idle for a minute yet');
    assert.equal((await recovery(0).recover()).alive, 1, 'its job still waits: left alone');
    await (await p.queue.queue.getJob(queued.jobId))!.remove();

    // 2. Running at finalize when Bull failed its job (a worker that crashed on it too often).
    const m2 = await seedFinishedMeeting(p, { userId: alice, title: 'Stalled step', ...rendered });
    const stalled = await runs.start({ meetingId: m2.id, userId: alice, botId: null, reason: 'bot_done', triggerJobId: null });
    await runs.markRunning(stalled.id, 'finalize', 1);
    await p.queue.enqueueStep('finalize', { runId: stalled.id, meetingId: m2.id });
    const taken = await p.queue.queue.getNextJob();
    assert.equal(taken?.id, stepJobId(stalled.id, 'finalize'));
    // Bull fails a job that stalled too often for good, whatever attempts it had left.
    await taken.discard();
    await taken.moveToFailed({ message: 'job stalled more than allowable limit' }, true);
    await taken.releaseLock(); // the crashed worker's lock has long expired
    assert.equal(await taken.getState(), 'failed');

    // 3. Queued two days ago and never got anywhere.
    const m3 = await seedFinishedMeeting(p, { userId: alice, title: 'Hopeless', ...rendered });
    const old = await runs.start({ meetingId: m3.id, userId: alice, botId: null, reason: 'bot_done', triggerJobId: null });
    await p.ds.query(`UPDATE pipeline_runs SET created_at = now() - interval '2 days', updated_at = now() - interval '2 days' WHERE id = $1`, [old.id]);

    const report = await recovery(0).recover();
    assert.equal(report.checked, 3);
    assert.equal(report.alive, 0);
    assert.deepEqual(
      report.resumed.map((r) => [r.runId, r.step]).sort(),
      [
        [queued.runId, 'finalize'],
        [stalled.id, 'finalize'],
      ].sort(),
    );
    assert.deepEqual(report.gaveUp, [old.id]);
    const gaveUp = (await runs.findById(old.id))!;
    assert.equal(gaveUp.status, 'failed');
    assert.equal(gaveUp.errorCode, 'stalled');

    // A second pass finds the resumed runs' jobs waiting and queues nothing twice.
    const again = await recovery(0).recover();
    assert.deepEqual([again.alive, again.resumed.length, again.gaveUp.length], [2, 0, 0]);
    const waiting = await p.queue.queue.getWaiting();
    assert.deepEqual(waiting.map((j) => j.name).sort(), [STEP_JOB.finalize, STEP_JOB.finalize]);

    // Workers come back: both runs finish, each with one transcript and one analysis.
    p.work(1);
    for (const id of [queued.runId, stalled.id]) {
      const run = await waitForFinished(runs, id);
      assert.equal(run.status, 'completed', `${run.errorCode}: ${run.errorMessage}`);
    }
    for (const m of [m1, m2]) {
      const [row] = (await p.ds.query(
        `SELECT (SELECT count(*) FROM meeting_transcripts WHERE meeting_id = $1)::int AS transcripts,
                (SELECT count(*) FROM meeting_analyses WHERE meeting_id = $1 AND user_id = $2)::int AS analyses`,
        [m.id, alice],
      )) as Array<{ transcripts: number; analyses: number }>;
      assert.deepEqual(row, { transcripts: 1, analyses: 1 });
    }
    assert.equal((await recovery(0).recover()).checked, 0, 'nothing left unfinished');
  });
});
