import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { type HeaderRecord, type KnownGoogleChannel, type WatchChannel, handleGraphNotification, verifyGoogleNotification } from '@rapport/calendar';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG } from '@rapport/core';
import { CalendarsRepository, type CalendarChannelRow, calendarChannelSecret } from '@rapport/database';
import { CALENDAR_JOBS, type CalendarJobs, calendarSyncJob } from '@rapport/queue';
import { CALENDAR_QUEUE } from './calendar-queue';

export interface WebhookAnswer {
  status: number;
  contentType?: 'text/plain';
  body?: string | { code: string; message: string };
}

/**
 * Push notifications: verified here (channel known, token / clientState equal to the channel's
 * derived secret in constant time, Google message numbers only forward), acknowledged at once
 * and turned into debounced queue jobs. Nothing forged reaches the queue.
 */
@Injectable()
export class CalendarWebhooksService {
  private readonly logger = new Logger(CalendarWebhooksService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CalendarsRepository) private readonly calendars: CalendarsRepository,
    @Inject(CALENDAR_QUEUE) private readonly queue: Queue,
  ) {}

  private channel(row: CalendarChannelRow): WatchChannel {
    return { provider: row.provider, id: row.providerChannelId, resourceId: row.resourceId, expiresAt: new Date(row.expiresAt), secret: calendarChannelSecret(this.config.JWT_SECRET, row.id) };
  }

  private async enqueueSync(connectionId: string, reason: CalendarJobs['calendar.sync']['reason']): Promise<void> {
    const job = calendarSyncJob({ connectionId, reason }, this.config.CALENDAR_NOTIFY_DEBOUNCE_MS);
    await this.queue.add(job.name, job.data, job.opts);
  }

  async google(headers: HeaderRecord): Promise<WebhookAnswer> {
    const raw = headers['x-goog-channel-id'];
    const channelId = Array.isArray(raw) ? raw[0] : raw;
    const row = channelId ? await this.calendars.findLiveChannel('google', channelId) : null;
    const verdict = verifyGoogleNotification(headers, () => (row ? ({ channel: this.channel(row), lastMessageNumber: row.lastMessageNumber } satisfies KnownGoogleChannel) : null));
    if (verdict.action === 'reject') {
      this.logger.warn({ reason: verdict.reason, channelId }, 'google notification refused');
      return { status: verdict.status, body: { code: verdict.reason, message: 'notification refused' } };
    }
    if (!row || verdict.messageNumber === null) return { status: 200 };
    // The atomic update is the duplicate filter under concurrency (two deliveries of one message).
    const fresh = await this.calendars.acceptMessageNumber(row.id, verdict.messageNumber);
    if (verdict.action === 'sync' && fresh) {
      await this.enqueueSync(row.connectionId, 'notification');
      return { status: 202 };
    }
    return { status: 200 };
  }

  async graph(query: Record<string, unknown>, body: unknown): Promise<WebhookAnswer> {
    const ids = new Set<string>();
    const value = typeof body === 'object' && body !== null ? (body as { value?: unknown }).value : undefined;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, 1000)) {
        const id = typeof item === 'object' && item !== null ? (item as { subscriptionId?: unknown }).subscriptionId : undefined;
        if (typeof id === 'string') ids.add(id);
      }
    }
    const rows = new Map<string, CalendarChannelRow>();
    for (const id of ids) {
      const row = await this.calendars.findLiveChannel('microsoft', id);
      if (row) rows.set(id, row);
    }
    const outcome = handleGraphNotification({ query, body }, (id) => {
      const row = rows.get(id);
      return row ? { clientState: this.channel(row).secret } : null;
    });
    if (outcome.kind === 'validation') return { status: 200, contentType: 'text/plain', body: outcome.body };
    if (outcome.kind === 'rejected') {
      this.logger.warn({ reason: outcome.reason }, 'graph notification refused');
      return { status: outcome.status, body: { code: outcome.reason, message: 'notification refused' } };
    }
    for (const { subscriptionId, action } of outcome.actions) {
      const connectionId = rows.get(subscriptionId)!.connectionId;
      if (action === 'sync') await this.enqueueSync(connectionId, 'notification');
      else if (action === 'resync') await this.enqueueSync(connectionId, 'missed');
      else {
        await this.queue.add(
          CALENDAR_JOBS['calendar.watch'],
          { connectionId, action: action === 'reauthorize' ? 'renew' : 'recreate' } satisfies CalendarJobs['calendar.watch'],
          { jobId: `${action}:${subscriptionId}:${Math.floor(Date.now() / 60_000)}`, attempts: 5, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: true, removeOnFail: 1000 },
        );
        if (action === 'recreate') await this.enqueueSync(connectionId, 'missed');
      }
    }
    return { status: 202 };
  }
}
