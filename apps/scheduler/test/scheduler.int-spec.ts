import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@rapport/config';
import { MAINTENANCE_SCHEDULE, QUEUES } from '@rapport/queue';
import { createTestDatabase, testConfig } from '@rapport/testing';
import { SchedulerModule } from '../src/scheduler.module';

let app: INestApplication;
let drop: () => Promise<void>;
let config: AppConfig;

before(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  config = await testConfig(db.url);
  app = await NestFactory.create(SchedulerModule.forRoot(config), { logger: false });
  await app.init();
});

after(async () => {
  const queue = app.get<Queue>(getQueueToken(QUEUES.maintenance));
  await queue.obliterate({ force: true });
  await app.close();
  await drop();
});

test('registers the daily maintenance jobs once, however often it boots', async () => {
  const queue = app.get<Queue>(getQueueToken(QUEUES.maintenance));
  // A second scheduler replica booting registers the same schedules again.
  const second = await NestFactory.create(SchedulerModule.forRoot(config), { logger: false });
  await second.init();
  await second.close();
  const repeatable = await queue.getRepeatableJobs();
  assert.deepEqual(repeatable.map((j) => `${j.name} ${j.cron}`).sort(), Object.entries(MAINTENANCE_SCHEDULE).map(([n, c]) => `${n} ${c}`).sort());
});

test('the retention job purges expired meetings when it runs', async () => {
  const ds = app.get(DataSource);
  const [user] = await ds.query(`INSERT INTO users (email, password_hash, retention_days) VALUES ('s@example.com', 'x', 7) RETURNING id`);
  const [old] = await ds.query(`INSERT INTO meetings (user_id, title, created_at) VALUES ($1, 'old', now() - interval '8 days') RETURNING id`, [user.id]);
  const [fresh] = await ds.query(`INSERT INTO meetings (user_id, title, created_at) VALUES ($1, 'fresh', now() - interval '6 days') RETURNING id`, [user.id]);
  const queue = app.get<Queue>(getQueueToken(QUEUES.maintenance));
  const job = await queue.add('retention.purge', { requestedAt: new Date().toISOString() });
  const result = await job.finished();
  assert.equal(result.meetingsDeleted, 1);
  const left = (await ds.query('SELECT id FROM meetings')).map((r: { id: string }) => r.id);
  assert.deepEqual(left, [fresh.id]);
  assert.ok(!left.includes(old.id));
});
