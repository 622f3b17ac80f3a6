import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Bull from 'bull';
import type { DataSource } from 'typeorm';
import type Redis from 'ioredis';
import type { AppConfig } from '@rapport/config';
import { BotsRepository, UsersRepository, createDataSource } from '@rapport/database';
import { QUEUES, bullOptions, type BotJobs } from '@rapport/queue';
import { createTestDatabase, testConfig } from '@rapport/testing';
import { BotRunnerService } from './bot-runner.service';
import type { HandoffService } from './handoff.service';

/**
 * The runner's claim against PostgreSQL and a real Bull queue on Redis: a `bot.run` job queued
 * for the old time of a meeting the calendar moved later must not start the bot; the run is
 * queued again for the new time.
 */
describe('bot runner: a bot rescheduled later is not started by its early job', () => {
  let db: { url: string; drop: () => Promise<void> };
  let ds: DataSource;
  let config: AppConfig;
  let queue: Bull.Queue<BotJobs['bot.run']>;
  let bots: BotsRepository;
  let runner: BotRunnerService;
  let userId: string;
  let workDir: string;

  before(async () => {
    db = await createTestDatabase();
    workDir = mkdtempSync(join(tmpdir(), 'rapport-runner-'));
    config = await testConfig(db.url, { BOT_JOIN_LEAD_SEC: '60', BOT_WORK_DIR: workDir });
    ds = createDataSource({ url: db.url, poolSize: 4 });
    await ds.initialize();
    bots = new BotsRepository(ds);
    queue = new Bull<BotJobs['bot.run']>(QUEUES.bots, bullOptions(config));
    const user = await new UsersRepository(ds).create({ email: 'runner@example.com', passwordHash: 'x', retentionDays: 90 });
    assert.ok(user);
    userId = user.id;
    // Only the claim path is exercised: no child process, hand-off or pub/sub is reached.
    runner = new BotRunnerService(config, bots, {} as unknown as HandoffService, queue, {} as unknown as Redis);
  });

  after(async () => {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await ds.destroy();
    await db.drop();
    rmSync(workDir, { recursive: true, force: true });
  });

  test('the early job leaves the bot scheduled and queues bot.run again, delayed to join_at - lead', async () => {
    const created = await bots.createWithMeeting(userId, {
      platform: 'google_meet',
      meetingUrl: 'https://meet.google.com/run-ner-tst',
      platformMeetingId: 'run-ner-tst',
      dedupeKey: 'meet:run-ner-tst',
      title: 'Google Meet run-ner-tst',
      joinAt: new Date(Date.now() + 30_000),
      botName: 'Rapport Notetaker',
      options: {},
    });
    assert.ok(created.ok);
    const botId = created.bot.id;
    // The job was queued for the old time; then the calendar moved the meeting 15 minutes later.
    const [moved] = (await ds.query(`UPDATE bots SET join_at = join_at + interval '15 minutes' WHERE id = $1 RETURNING join_at`, [botId])) as [Array<{ join_at: Date }>, number];
    const newJoinAt = new Date(moved[0]!.join_at);

    const before = Date.now();
    const result = await runner.runJob({ name: 'bot.run', data: { botId } });
    assert.deepEqual(result, { botId, outcome: 'not_due' });

    const row = await bots.findForDispatch(botId);
    assert.equal(row?.status, 'scheduled', 'not started early');
    assert.equal(row?.attempt, 0);
    assert.equal(row?.runnerId, null);
    assert.deepEqual((await bots.events(botId)).map((e) => e.code), ['scheduled']);
    assert.deepEqual(runner.heldBots(), []);

    const again = await queue.getJob(`${botId}@${newJoinAt.getTime()}`);
    assert.ok(again, 'bot.run queued again for the new time');
    assert.equal(again.name, 'bot.run');
    assert.deepEqual(again.data, { botId });
    assert.equal(await again.getState(), 'delayed');
    const firesAt = again.timestamp + Number(again.opts.delay);
    const dueAt = newJoinAt.getTime() - 60_000;
    assert.ok(Math.abs(firesAt - dueAt) < 5_000, `fires at ${new Date(firesAt).toISOString()}, due ${new Date(dueAt).toISOString()} (queued ${before})`);

    // A second early run (another stale job) changes nothing.
    assert.deepEqual(await runner.runJob({ name: 'bot.run', data: { botId } }), { botId, outcome: 'not_due' });
    assert.equal((await queue.getJobCounts()).delayed, 1, 'deferring twice for the same time collapses into one job');
  });

  test('a cancelled bot is skipped, nothing is queued', async () => {
    const created = await bots.createWithMeeting(userId, {
      platform: 'google_meet',
      meetingUrl: 'https://meet.google.com/can-cel-led',
      platformMeetingId: 'can-cel-led',
      dedupeKey: 'meet:can-cel-led',
      title: 'Google Meet can-cel-led',
      joinAt: new Date(Date.now() + 600_000),
      botName: 'Rapport Notetaker',
      options: {},
    });
    assert.ok(created.ok);
    await bots.requestLeave(userId, created.bot.id);
    const delayedBefore = (await queue.getJobCounts()).delayed;
    assert.deepEqual(await runner.runJob({ name: 'bot.run', data: { botId: created.bot.id } }), { botId: created.bot.id, outcome: 'not_claimed' });
    assert.equal((await queue.getJobCounts()).delayed, delayedBefore);
  });
});
