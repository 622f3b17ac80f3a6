import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Bull from 'bull';
import type { AppConfig } from '@rapport/config';
import { EmailNotificationsRepository, PipelineRunsRepository, UserKeysRepository, UsersRepository, type PipelineRunEntity } from '@rapport/database';
import { createStandalonePipeline, renderScriptedMeeting, seedFinishedMeeting, type RenderedMeeting, type StandalonePipeline } from '@rapport/pipeline';
import { QUEUES, bullOptions } from '@rapport/queue';
import { createTestDatabase, testConfig } from '@rapport/testing';
import { EmailProducer, EmailSender } from './email-notifications';
import { createMailer, type SmtpMailer } from './mailer';
import { startFakeSmtp, type FakeSmtp } from './testing/fake-smtp';

const PUBLIC_URL = 'https://rapport.example.com';
const SCRIPT = [
  { speaker: 'Alice Example', text: 'Um, so, I think we should, uh, look at the budget first.', voice: 'en+f3' },
  { speaker: 'Bob Builder', text: 'Sure. What numbers do you have so far?', voice: 'en+m3' },
  { speaker: 'Alice Example', text: 'Twelve euros per unit, and, uh, the case is another three.', voice: 'en+f3' },
];

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('email notifications over SMTP: report ready (once, if wanted) and the weekly digest', () => {
  let db: { url: string; drop: () => Promise<void> };
  let config: AppConfig;
  let smtp: FakeSmtp;
  let p: StandalonePipeline;
  let queue: Bull.Queue;
  let mailer: SmtpMailer;
  let producer: EmailProducer;
  let sender: EmailSender;
  let runs: PipelineRunsRepository;
  let rendered: RenderedMeeting;
  const users: Record<string, string> = {};

  const finishedRun = (meetingId: string, notId: string | null = null) =>
    until<PipelineRunEntity>('the analysis', async () => {
      const r = await runs.latestForMeeting(meetingId);
      return r && r.id !== notId && (r.status === 'completed' || r.status === 'failed') ? r : null;
    });
  const emailJob = async (id: string) => until('the email job', async () => queue.getJob(id));

  before(async () => {
    rendered = renderScriptedMeeting(SCRIPT);
    smtp = await startFakeSmtp();
    db = await createTestDatabase();
    config = await testConfig(db.url, { ANALYSIS_RETRY_BASE_MS: '20', SMTP_URL: smtp.url, MAIL_FROM: 'Rapport <rapport@example.com>', PUBLIC_URL });
    queue = new Bull(QUEUES.email, bullOptions(config));
    await queue.obliterate({ force: true });
    mailer = createMailer(config)!;
    p = await createStandalonePipeline(config, { emails: { reportReady: (u, m) => producer.reportReady(u, m) } });
    const repo = new EmailNotificationsRepository(p.ds);
    producer = new EmailProducer(queue, repo, 20);
    sender = new EmailSender(repo, mailer, config.PUBLIC_URL);
    runs = new PipelineRunsRepository(p.ds);
    for (const [name, email] of [
      ['Alice Example', 'alice@example.com'],
      ['Bob Builder', 'bob@example.com'],
    ]) {
      const repoU = new UsersRepository(p.ds);
      const u = (await repoU.create({ email: email!, passwordHash: 'x', retentionDays: 30 }))!;
      await repoU.update(u.id, { displayName: name! });
      await new UserKeysRepository(p.ds).insert(u.id, (await p.keys.newKey()).wrapped);
      users[name!] = u.id;
    }
    // Bob switched "Report ready" off.
    await p.ds.query(`INSERT INTO user_preferences (user_id, notify_report_ready) VALUES ($1, false)`, [users['Bob Builder']]);
    p.work(1);
    void queue.process('*', 1, (job) => sender.handle(job));
  });
  after(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await p.close();
    mailer.close();
    await smtp.close();
    await db.drop();
  });

  test('the owner gets one "report ready" email with the score and a link; a re-analysis sends no second one', async () => {
    const m = await seedFinishedMeeting(p, { userId: users['Alice Example']!, title: 'Budget sync', ...rendered });
    await p.queue.enqueueProcess({ meetingId: m.id, botId: null, reason: 'bot_done' });
    const run = await finishedRun(m.id);
    assert.equal(run.status, 'completed', `${run.errorCode}: ${run.errorMessage}`);
    const mail = await until('the email', async () => smtp.received.find((r) => r.to.includes('alice@example.com')));
    const [score] = (await p.ds.query(`SELECT communication_score AS s FROM meeting_analyses WHERE meeting_id = $1 AND user_id = $2`, [m.id, users['Alice Example']])) as Array<{ s: number }>;
    assert.equal(mail.from, 'rapport@example.com');
    assert.equal(mail.subject, `Your report for “Budget sync” is ready: ${score!.s}/100`);
    assert.match(mail.text, /^Hi Alice Example,/);
    assert.ok(mail.text.includes(`${PUBLIC_URL}/meeting?id=${m.id}`));
    assert.ok(mail.html.includes(`href="${PUBLIC_URL}/meeting?id=${m.id}"`));
    const [n] = (await p.ds.query(`SELECT emailed_at FROM notifications WHERE meeting_id = $1 AND user_id = $2`, [m.id, users['Alice Example']])) as Array<{ emailed_at: Date | null }>;
    assert.ok(n!.emailed_at, 'recorded as sent');

    // Analyse again: the notification is refreshed, the email job finds it already sent.
    await p.queue.queueRun(runs, { meetingId: m.id, userId: users['Alice Example']!, reason: 'reanalyze', retranscribe: false });
    await finishedRun(m.id, run.id);
    assert.deepEqual(await sender.reportReady({ userId: users['Alice Example']!, meetingId: m.id }), { skipped: 'already_sent' });
    assert.equal(smtp.received.filter((r) => r.subject.includes('Budget sync')).length, 1);
  });

  test('"Report ready" switched off: no email; a temporary SMTP refusal is retried, a permanent one is not', async () => {
    const bobs = await seedFinishedMeeting(p, { userId: users['Bob Builder']!, title: 'Bob only', ...rendered });
    await p.queue.enqueueProcess({ meetingId: bobs.id, botId: null, reason: 'bot_done' });
    await finishedRun(bobs.id);
    const bobJob = await emailJob(`report_ready:${users['Bob Builder']}:${bobs.id}`);
    assert.deepEqual(await bobJob.finished(), { skipped: 'not_wanted' });
    assert.equal(smtp.received.filter((r) => r.to.includes('bob@example.com')).length, 0);

    smtp.failNext({ code: 451, message: '4.3.0 Try again later' });
    const retried = await seedFinishedMeeting(p, { userId: users['Alice Example']!, title: 'Retried', ...rendered });
    await p.queue.enqueueProcess({ meetingId: retried.id, botId: null, reason: 'bot_done' });
    const job = await emailJob(`report_ready:${users['Alice Example']}:${retried.id}`);
    assert.deepEqual(await job.finished(), { sent: true });
    assert.equal((await queue.getJob(job.id!))!.attemptsMade, 1, 'one failed attempt before');
    assert.equal(smtp.received.filter((r) => r.subject.includes('Retried')).length, 1);

    smtp.failNext({ code: 550, message: '5.1.1 Mailbox unavailable' });
    const refused = await seedFinishedMeeting(p, { userId: users['Alice Example']!, title: 'Refused', ...rendered });
    await p.queue.enqueueProcess({ meetingId: refused.id, botId: null, reason: 'bot_done' });
    const failed = await emailJob(`report_ready:${users['Alice Example']}:${refused.id}`);
    await assert.rejects(failed.finished(), /550/);
    const after = (await queue.getJob(failed.id!))!;
    assert.equal(await after.getState(), 'failed');
    assert.equal(after.attemptsMade, 1, 'not retried');
    const [n] = (await p.ds.query(`SELECT emailed_at FROM notifications WHERE meeting_id = $1`, [refused.id])) as Array<{ emailed_at: Date | null }>;
    assert.equal(n!.emailed_at, null);
  });

  test('the weekly digest goes to those who asked, with the week figures, once', async () => {
    await p.ds.query(`INSERT INTO user_preferences (user_id, notify_weekly_digest) VALUES ($1, true) ON CONFLICT (user_id) DO UPDATE SET notify_weekly_digest = true`, [users['Alice Example']]);
    const now = new Date();
    const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)));
    const weekStart = monday.toISOString().slice(0, 10);
    const scores = (await p.ds.query(
      `SELECT a.communication_score AS s FROM meeting_analyses a JOIN meetings m ON m.id = a.meeting_id WHERE a.user_id = $1 AND m.created_at >= $2::date`,
      [users['Alice Example'], weekStart],
    )) as Array<{ s: number }>;
    assert.ok(scores.length >= 3, 'Alice’s meetings of the tests above');
    const avg = Math.round(scores.reduce((t, r) => t + r.s, 0) / scores.length);

    assert.deepEqual(await producer.weeklyDigests(weekStart), { queued: 1 }, 'Alice only: Bob did not ask');
    const digest = await until('the digest', async () => smtp.received.find((r) => r.subject.startsWith('Your week with Rapport')));
    assert.deepEqual(digest.to, ['alice@example.com']);
    assert.equal(digest.subject, `Your week with Rapport: ${scores.length} meetings, average ${avg}/100`);
    assert.match(digest.text, new RegExp(`Your week from ${weekStart}:`));
    assert.match(digest.text, /Practice: 0 modules completed, \d+ waiting\./);

    // The scheduler running twice that Monday queues nothing new; a direct resend is refused.
    await producer.weeklyDigests(weekStart);
    assert.deepEqual(await sender.weeklyDigest({ userId: users['Alice Example']!, weekStart }), { skipped: 'already_sent' });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(smtp.received.filter((r) => r.subject.startsWith('Your week with Rapport')).length, 1);
  });
});
