import { Inject, Logger } from '@nestjs/common';
import { InjectQueue, Process, Processor } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG, jobsProcessed } from '@rapport/core';
import { CalendarsRepository } from '@rapport/database';
import { CALENDAR_JOBS, type CalendarJobs, QUEUES, calendarSyncJob } from '@rapport/queue';
import { CalendarProviders } from '@rapport/core';
import { CalendarSyncService, RetryLaterError } from './calendar-sync.service';

const DAY_MS = 86_400_000;
/** Syncs of different calendars run side by side; one calendar's syncs never overlap (the lease). */
const SYNC_CONCURRENCY = 8;

/**
 * The calendar queue's consumer. A vendor's "wait" (429/503 + Retry-After, a sync already
 * running) completes this job and enqueues the same work again after that delay, since Bull's
 * own backoff cannot honour Retry-After; any other error fails the attempt and Bull retries
 * with backoff.
 */
@Processor(QUEUES.calendar)
export class CalendarProcessor {
  private readonly logger = new Logger(CalendarProcessor.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CalendarSyncService) private readonly sync: CalendarSyncService,
    @Inject(CalendarsRepository) private readonly calendars: CalendarsRepository,
    @Inject(CalendarProviders) private readonly providers: CalendarProviders,
    @InjectQueue(QUEUES.calendar) private readonly queue: Queue,
  ) {}

  private async deferred<T>(job: Job, run: () => Promise<T>): Promise<T | { deferredMs: number }> {
    try {
      const result = await run();
      jobsProcessed.inc({ queue: QUEUES.calendar, job: job.name, outcome: 'completed' });
      return result;
    } catch (err) {
      if (!(err instanceof RetryLaterError)) {
        jobsProcessed.inc({ queue: QUEUES.calendar, job: job.name, outcome: 'failed' });
        throw err;
      }
      await this.queue.add(job.name, job.data, { jobId: `retry:${String(job.id)}:${Date.now()}`, delay: err.delayMs, attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: true, removeOnFail: 1000 });
      jobsProcessed.inc({ queue: QUEUES.calendar, job: job.name, outcome: 'deferred' });
      this.logger.log({ jobId: job.id, delayMs: err.delayMs, reason: err.message }, 'calendar job deferred');
      return { deferredMs: err.delayMs };
    }
  }

  @Process({ name: CALENDAR_JOBS['calendar.sync'], concurrency: SYNC_CONCURRENCY })
  syncJob(job: Job<CalendarJobs['calendar.sync']>) {
    return this.deferred(job, () => this.sync.sync(job.data.connectionId, { full: job.data.full }));
  }

  @Process({ name: CALENDAR_JOBS['calendar.watch'], concurrency: 4 })
  watchJob(job: Job<CalendarJobs['calendar.watch']>) {
    return this.deferred(job, () => this.sync.watch(job.data.connectionId, job.data.action));
  }

  @Process(CALENDAR_JOBS['calendar.teardown'])
  teardownJob(job: Job<CalendarJobs['calendar.teardown']>) {
    return this.deferred(job, () => this.sync.teardown(job.data.connectionId));
  }

  @Process({ name: CALENDAR_JOBS['calendar.redecide'], concurrency: 4 })
  redecideJob(job: Job<CalendarJobs['calendar.redecide']>) {
    return this.deferred(job, () => this.sync.redecide(job.data.userIds, job.data.eventId));
  }

  /** Daily reconcile per connection, channel renewal before expiry, channels for calendars without one, clean-up. */
  @Process(CALENDAR_JOBS['calendar.sweep'])
  async sweepJob(job: Job<CalendarJobs['calendar.sweep']>) {
    const now = Date.now();
    const day = Math.floor(now / DAY_MS);
    let reconciles = 0;
    for (const connectionId of await this.calendars.dueForReconcile(new Date(now - DAY_MS), 1000)) {
      const { name, data, opts } = calendarSyncJob({ connectionId, reason: 'reconcile', full: true }, 0, now);
      await this.queue.add(name, data, { ...opts, jobId: `reconcile:${connectionId}:${day}` });
      reconciles++;
    }
    let renewals = 0;
    const hour = Math.floor(now / 3_600_000);
    for (const row of await this.calendars.channelsExpiringBefore(new Date(now + 3 * DAY_MS), 1000)) {
      const provider = this.providers.get(row.provider);
      if (!provider.needsRenewal({ provider: row.provider, id: row.providerChannelId, resourceId: row.resourceId, expiresAt: new Date(row.expiresAt), secret: '' }, new Date(now))) continue;
      await this.queue.add(CALENDAR_JOBS['calendar.watch'], { connectionId: row.connectionId, action: 'renew' }, { jobId: `renew:${row.connectionId}:${hour}`, attempts: 5, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: true, removeOnFail: 1000 });
      renewals++;
    }
    let ensured = 0;
    for (const connectionId of await this.calendars.withoutLiveChannel(new Date(now), 1000)) {
      await this.queue.add(CALENDAR_JOBS['calendar.watch'], { connectionId, action: 'ensure' }, { jobId: `ensure:${connectionId}:${hour}`, attempts: 5, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: true, removeOnFail: 1000 });
      ensured++;
    }
    const channelsForgotten = await this.calendars.deleteDeadChannels(new Date(now - DAY_MS));
    const eventsForgotten = await this.calendars.deleteEndedEvents(new Date(now - 2 * DAY_MS));
    jobsProcessed.inc({ queue: QUEUES.calendar, job: job.name, outcome: 'completed' });
    return { reconciles, renewals, ensured, channelsForgotten, eventsForgotten };
  }
}
