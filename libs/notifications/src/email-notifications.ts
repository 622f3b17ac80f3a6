import type { Job, JobOptions, Queue } from 'bull';
import type { EmailNotificationsRepository } from '@rapport/database';
import { EMAIL_JOBS, type EmailJobs } from '@rapport/queue';
import { MailError, type Mailer } from './mailer';
import { digestHasNews, reportReadyEmail, weeklyDigestEmail } from './templates';

const JOB_OPTIONS: JobOptions = { attempts: 6, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: 1000, removeOnFail: 5000 };

/** The Monday (UTC) of the week before `now`'s week: what a Monday-morning digest covers. */
export function previousWeekStart(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - sinceMonday - 7);
  return d.toISOString().slice(0, 10);
}

/**
 * Queues email jobs (the pipeline's notify step, the scheduler's weekly run). Only built when
 * SMTP is configured; without it notifications stay in the app.
 */
export class EmailProducer {
  constructor(
    private readonly queue: Queue,
    private readonly repo: EmailNotificationsRepository,
    private readonly retryBaseMs = 30_000,
  ) {}

  private options(jobId: string): JobOptions {
    return { ...JOB_OPTIONS, backoff: { type: 'exponential', delay: this.retryBaseMs }, jobId };
  }

  async reportReady(userId: string, meetingId: string): Promise<void> {
    const data: EmailJobs['email.report_ready'] = { userId, meetingId };
    await this.queue.add(EMAIL_JOBS['email.report_ready'], data, this.options(`report_ready:${userId}:${meetingId}`));
  }

  /** One digest job per user who asked for it; the job id makes a second run of the week a no-op. */
  async weeklyDigests(weekStart: string): Promise<{ queued: number }> {
    let queued = 0;
    let after: string | null = null;
    for (;;) {
      const ids = await this.repo.digestRecipients(after, 500);
      if (!ids.length) return { queued };
      for (const userId of ids) {
        const data: EmailJobs['email.weekly_digest'] = { userId, weekStart };
        await this.queue.add(EMAIL_JOBS['email.weekly_digest'], data, this.options(`digest:${userId}:${weekStart}`));
        queued++;
      }
      after = ids.at(-1)!;
    }
  }
}

export type EmailOutcome = { sent: true } | { skipped: 'not_found' | 'already_sent' | 'not_wanted' | 'nothing_to_report' };

/**
 * Sends the email a job names, reading everything at send time (the database is the truth: a
 * preference switched off after queuing wins). At least once: the send is recorded after it
 * succeeds, so a crash in between may repeat it, a retry or a re-analysis does not.
 */
export class EmailSender {
  constructor(
    private readonly repo: EmailNotificationsRepository,
    private readonly mailer: Mailer,
    private readonly publicUrl: string,
  ) {}

  async reportReady({ userId, meetingId }: EmailJobs['email.report_ready']): Promise<EmailOutcome> {
    const t = await this.repo.reportReadyTarget(userId, meetingId);
    if (!t) return { skipped: 'not_found' };
    if (t.emailedAt) return { skipped: 'already_sent' };
    if (!t.wantsEmail) return { skipped: 'not_wanted' };
    await this.mailer.send(
      reportReadyEmail({ to: t.email, name: t.displayName, meetingId, title: t.title, score: t.score, topArea: t.topArea, practiceModules: t.practiceModules, publicUrl: this.publicUrl }),
    );
    await this.repo.markEmailed(t.notificationId);
    return { sent: true };
  }

  async weeklyDigest({ userId, weekStart }: EmailJobs['email.weekly_digest']): Promise<EmailOutcome> {
    const who = await this.repo.recipient(userId);
    if (!who) return { skipped: 'not_found' };
    if (!who.wantsDigest) return { skipped: 'not_wanted' };
    if (await this.repo.digestSent(userId, weekStart)) return { skipped: 'already_sent' };
    const figures = await this.repo.digestFigures(userId, weekStart);
    const summary = { weekStart, ...figures };
    if (!digestHasNews(summary)) return { skipped: 'nothing_to_report' };
    await this.mailer.send(weeklyDigestEmail(who.email, who.displayName, summary, this.publicUrl));
    await this.repo.recordDigest(userId, weekStart);
    return { sent: true };
  }

  /** Bull handler for the email queue: a permanent SMTP refusal is not retried. */
  async handle(job: Job): Promise<EmailOutcome> {
    try {
      if (job.name === EMAIL_JOBS['email.report_ready']) return await this.reportReady(job.data as EmailJobs['email.report_ready']);
      if (job.name === EMAIL_JOBS['email.weekly_digest']) return await this.weeklyDigest(job.data as EmailJobs['email.weekly_digest']);
      await job.discard();
      throw new MailError(`No handler for job "${job.name}" on the email queue`, false);
    } catch (err) {
      if (err instanceof MailError && !err.transient) await job.discard();
      throw err;
    }
  }
}
