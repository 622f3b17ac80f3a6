import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import type Redis from 'ioredis';
import {
  type CalendarConnectionContext,
  CalendarError,
  type CalendarEventSnapshot,
  type CoverageRules,
  type OAuthTokens,
  type SyncResult,
  type WatchChannel,
  decideCoverage,
  defaultSyncWindow,
  syncCalendar,
} from '@rapport/calendar';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG, REDIS } from '@rapport/core';
import { DataKeyService, decryptJson, encryptJson } from '@rapport/crypto';
import {
  CalendarsRepository,
  type CalendarChannelRow,
  type CalendarConnectionRow,
  type CoverageVerdict,
  type EventOverride,
  type EventUpsert,
  type PlanOutcome,
  calendarChannelSecret,
  mergeCoverageRules,
} from '@rapport/database';
import { type BotJobs, QUEUES, botChannels } from '@rapport/queue';
import { CalendarProviders } from '@rapport/core';

/** A vendor asked us to wait (429/503 with Retry-After) or was briefly unreachable: the job is re-enqueued with this delay. */
export class RetryLaterError extends Error {
  constructor(
    readonly delayMs: number,
    message: string,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

const SYNC_LEASE_MS = 5 * 60_000;
const BOT_NAME = 'Rapport Notetaker';

export interface SyncSummary {
  kind: 'full' | 'incremental' | 'skipped';
  events: number;
  removed: number;
  meetingsPlanned: number;
  bots: { created: number; moved: number; cancelled: number };
}

export const tokenContext = (connectionId: string) => `calendar-token:${connectionId}`;

/**
 * The sync side of calendar integrations: pulls changes with the stored cursor (full window
 * sync on first use, on a dead cursor and for the daily reconcile), stores every occurrence
 * with its coverage decision, links it to the canonical meeting and re-plans that meeting's
 * bot. Also owns watch channels / subscriptions and the teardown after a disconnect.
 * Vendor errors arrive already mapped by the adapters: `auth_revoked` disconnects with the
 * reason, `temporary` becomes a RetryLaterError carrying the vendor's Retry-After.
 */
@Injectable()
export class CalendarSyncService {
  private readonly logger = new Logger(CalendarSyncService.name);
  private readonly allowedPlatforms: string[];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CalendarsRepository) private readonly calendars: CalendarsRepository,
    @Inject(DataKeyService) private readonly keys: DataKeyService,
    @Inject(CalendarProviders) private readonly providers: CalendarProviders,
    @InjectQueue(QUEUES.bots) private readonly botQueue: Queue<BotJobs['bot.run']>,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.allowedPlatforms = config.CALENDAR_BOT_PLATFORMS.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }

  // ------------------------------------------------------------------ tokens

  private async context(conn: CalendarConnectionRow): Promise<CalendarConnectionContext> {
    if (!conn.tokens) throw new Error(`connection ${conn.id} has no tokens`);
    const key = await this.keys.keyFor(conn.userId);
    const tokens = decryptJson<OAuthTokens>(key, conn.tokens, tokenContext(conn.id));
    const email = await this.calendars.userEmail(conn.userId);
    return {
      calendarId: conn.calendarId,
      tokens,
      ...(email ? { selfEmail: email } : {}),
      // Microsoft rotates the refresh token on every use: persist each one before relying on it.
      onTokens: async (fresh) => {
        await this.calendars.saveTokens(conn.id, encryptJson(key, fresh, tokenContext(conn.id)), fresh.scopes);
      },
    };
  }

  // ------------------------------------------------------------------ sync

  async sync(connectionId: string, opts: { full?: boolean } = {}): Promise<SyncSummary> {
    const skipped: SyncSummary = { kind: 'skipped', events: 0, removed: 0, meetingsPlanned: 0, bots: { created: 0, moved: 0, cancelled: 0 } };
    const conn = await this.calendars.findById(connectionId);
    if (!conn || conn.status !== 'connected' || !conn.tokens) return skipped;
    if (!(await this.calendars.acquireSyncLease(conn.id, SYNC_LEASE_MS))) {
      // Another sync of this calendar is running; this change is picked up by a sync right after it.
      throw new RetryLaterError(Math.max(1000, this.config.CALENDAR_NOTIFY_DEBOUNCE_MS), 'sync already running');
    }
    try {
      const provider = this.providers.get(conn.provider);
      const ctx = await this.context(conn);
      const window = defaultSyncWindow(new Date(), 1, this.config.CALENDAR_SYNC_WINDOW_DAYS);
      let result: SyncResult;
      try {
        result = opts.full
          ? { ...(await provider.listEvents(ctx, { cursor: null, window })), resetLocalState: true }
          : await syncCalendar(provider, ctx, { cursor: conn.syncCursor, window });
      } catch (err) {
        await this.onVendorError(conn, err);
        throw err;
      }
      const summary = await this.apply(conn, result);
      await this.calendars.recordSync(conn.id, { cursor: result.cursor, full: result.kind === 'full' });
      return summary;
    } finally {
      await this.calendars.releaseSyncLease(conn.id);
    }
  }

  /** Stores what a sync returned and re-plans every meeting it touched. */
  private async apply(conn: CalendarConnectionRow, result: SyncResult): Promise<SyncSummary> {
    const rules = await this.rulesFor(conn.userId);
    const meetings = new Set<string>();
    for (const event of result.events) {
      const { meetings: touched } = await this.calendars.upsertEvent(conn, toUpsert(event), (override) => this.decide(event, rules, override));
      for (const id of touched) meetings.add(id);
    }
    for (const id of await this.calendars.markRemoved(conn.id, result.removed.map((r) => r.providerEventId))) meetings.add(id);
    if (result.resetLocalState && result.window) {
      const kept = result.events.map((e) => e.providerEventId);
      for (const id of await this.calendars.markMissingRemoved(conn.id, kept, result.window)) meetings.add(id);
    }
    const outcomes = await this.planMeetings([...meetings]);
    return { kind: result.kind, events: result.events.length, removed: result.removed.length, meetingsPlanned: meetings.size, bots: count(outcomes) };
  }

  /** The user's effective rules as `decideCoverage` takes them. */
  async rulesFor(userId: string): Promise<CoverageRules> {
    const [settings, email] = await Promise.all([this.calendars.settingsFor(userId), this.calendars.userEmail(userId)]);
    const merged = mergeCoverageRules(settings.team?.rules, settings.user);
    const ownDomain = email ? email.slice(email.lastIndexOf('@') + 1) : null;
    return {
      mode: merged.mode,
      userDomains: [...new Set([...(ownDomain ? [ownDomain] : []), ...merged.internalDomains])],
      skipTitlePatterns: merged.skipTitlePatterns,
      seriesOverrides: merged.seriesOverrides,
    };
  }

  /** `decideCoverage` plus the user's per-event override and the platforms bots exist for. */
  decide(event: CalendarEventSnapshot, rules: CoverageRules, override: EventOverride | null): CoverageVerdict {
    const decision = decideCoverage(event, override ? { ...rules, eventOverrides: { [event.providerEventId]: override === 'on' } } : rules);
    if (decision.covered && event.meetingLink && !this.allowedPlatforms.includes(event.meetingLink.platform)) {
      return { covered: false, reason: 'platform_not_supported' };
    }
    return decision;
  }

  /** Re-plans meetings; bots whose time moved or that were cancelled lose their queued run, new ones ring the dispatcher. */
  async planMeetings(meetingIds: string[]): Promise<PlanOutcome[]> {
    const out: PlanOutcome[] = [];
    for (const meetingId of meetingIds) {
      const outcome = await this.calendars.planMeeting(meetingId, { leadSec: this.config.CALENDAR_JOIN_LEAD_SEC, botName: BOT_NAME, allowedPlatforms: this.allowedPlatforms });
      out.push(outcome);
      if ((outcome.action.kind === 'move' || outcome.action.kind === 'cancel') && outcome.botId) await this.dropQueuedRun(outcome.botId);
      if (outcome.action.kind === 'create' && outcome.botId) {
        await this.redis.publish(botChannels(this.config.REDIS_PREFIX).created, outcome.botId).catch(() => undefined);
      }
    }
    return out;
  }

  /** A `bot.run` already queued for the old time must not start the bot (the dispatcher enqueues it again for the new one). */
  private async dropQueuedRun(botId: string): Promise<void> {
    try {
      const job = await this.botQueue.getJob(botId);
      if (!job) return;
      const state = await job.getState();
      if (state === 'delayed' || state === 'waiting' || state === 'paused') await job.remove();
    } catch (err) {
      this.logger.warn({ err, botId }, 'could not drop the queued run of a re-planned bot');
    }
  }

  /** Re-decides coverage of users' upcoming events after a rules/override change and re-plans. */
  async redecide(userIds: string[], eventId?: string): Promise<Array<{ eventId: string } & CoverageVerdict>> {
    const out: Array<{ eventId: string } & CoverageVerdict> = [];
    const meetings = new Set<string>();
    for (const userId of userIds) {
      const rules = await this.rulesFor(userId);
      for (const row of await this.calendars.upcomingForDecision(userId, new Date(), eventId)) {
        const verdict = this.decide(row.snapshot as unknown as CalendarEventSnapshot, rules, row.override);
        if (verdict.covered !== row.covered || verdict.reason !== row.coverageReason) await this.calendars.setDecision(row.id, verdict);
        if (row.meetingId) meetings.add(row.meetingId);
        out.push({ eventId: row.id, ...verdict });
      }
    }
    await this.planMeetings([...meetings]);
    return out;
  }

  // ------------------------------------------------------------------ errors

  /** Maps an adapter error to what happens to the connection; the caller rethrows. */
  private async onVendorError(conn: CalendarConnectionRow, err: unknown): Promise<void> {
    if (!(err instanceof CalendarError)) return;
    if (err.code === 'auth_revoked') {
      await this.disconnect(conn.id, `auth_revoked: ${err.vendorCode ?? err.message}`);
      return;
    }
    await this.calendars.recordSyncError(conn.id, `${err.code}: ${err.message}`);
    if (err.code === 'temporary') {
      throw new RetryLaterError(err.retryAfterMs ?? 30_000, err.message);
    }
  }

  /** A revoked/expired grant: disconnected with the reason, its bots re-planned (cancelled unless someone else covers). */
  async disconnect(connectionId: string, reason: string): Promise<void> {
    const meetings = await this.calendars.markDisconnected(connectionId, reason);
    if (!meetings) return;
    this.logger.warn({ connectionId, reason }, 'calendar disconnected');
    await this.planMeetings(meetings);
    // Channels cannot be stopped without a grant; they lapse at the vendor and are forgotten here.
    for (const ch of await this.calendars.liveChannels(connectionId)) await this.calendars.markChannelStopped(ch.id);
  }

  // ------------------------------------------------------------------ watch channels / subscriptions

  private watchChannel(row: CalendarChannelRow): WatchChannel {
    return { provider: row.provider, id: row.providerChannelId, resourceId: row.resourceId, expiresAt: new Date(row.expiresAt), secret: calendarChannelSecret(this.config.JWT_SECRET, row.id) };
  }

  private async openChannel(conn: CalendarConnectionRow, ctx: CalendarConnectionContext): Promise<CalendarChannelRow> {
    const id = randomUUID();
    const address = this.providers.webhookUrl(conn.provider);
    const channel = await this.providers.get(conn.provider).startWatch(ctx, {
      address,
      ...(conn.provider === 'microsoft' ? { lifecycleAddress: address } : { channelId: id }),
      secret: calendarChannelSecret(this.config.JWT_SECRET, id),
    });
    const row = { id, connectionId: conn.id, provider: conn.provider, providerChannelId: channel.id, resourceId: channel.resourceId, expiresAt: channel.expiresAt };
    await this.calendars.insertChannel(row);
    return { ...row, lastMessageNumber: null, stoppedAt: null };
  }

  /**
   * `ensure`: open a channel unless a live one is not yet due for renewal. `renew`: Google opens
   * a new channel and stops the old one (no renewal call exists); Graph PATCHes the expiry
   * (which also reauthorizes) and reads it back, recreating on 404. `recreate`: the vendor
   * removed the subscription; open a new one.
   */
  async watch(connectionId: string, action: 'ensure' | 'renew' | 'recreate'): Promise<{ opened: number; renewed: number; stopped: number }> {
    const result = { opened: 0, renewed: 0, stopped: 0 };
    const conn = await this.calendars.findById(connectionId);
    if (!conn || conn.status !== 'connected' || !conn.tokens) return result;
    const provider = this.providers.get(conn.provider);
    try {
      const ctx = await this.context(conn);
      const live = await this.calendars.liveChannels(conn.id);
      if (action === 'recreate') {
        for (const row of live) {
          await provider.stopWatch(ctx, this.watchChannel(row)).catch(() => undefined);
          await this.calendars.markChannelStopped(row.id);
          result.stopped++;
        }
        await this.openChannel(conn, ctx);
        result.opened++;
        return result;
      }
      if (action === 'ensure') {
        if (live.some((row) => !provider.needsRenewal(this.watchChannel(row)))) return result;
        if (live.length === 0) {
          await this.openChannel(conn, ctx);
          result.opened++;
          return result;
        }
      }
      for (const row of live) {
        const old = this.watchChannel(row);
        if (conn.provider === 'google') {
          await this.openChannel(conn, ctx);
          result.opened++;
          await provider.stopWatch(ctx, old);
          await this.calendars.markChannelStopped(row.id);
          result.stopped++;
          continue;
        }
        try {
          const renewed = await provider.renewWatch(ctx, old, { address: this.providers.webhookUrl(conn.provider), secret: old.secret });
          await this.calendars.updateChannelExpiry(row.id, renewed.expiresAt);
          result.renewed++;
        } catch (err) {
          if (!(err instanceof CalendarError) || err.code !== 'not_found') throw err;
          await this.calendars.markChannelStopped(row.id);
          await this.openChannel(conn, ctx);
          result.opened++;
        }
      }
      if (live.length === 0) {
        await this.openChannel(conn, ctx);
        result.opened++;
      }
      return result;
    } catch (err) {
      await this.onVendorError(conn, err);
      throw err;
    }
  }

  // ------------------------------------------------------------------ teardown

  /** After a disconnect: stop channels, revoke the grant where the vendor can, drop tokens and events. */
  async teardown(connectionId: string): Promise<{ revokedAtProvider: boolean; channelsStopped: number }> {
    const conn = await this.calendars.findById(connectionId);
    if (!conn || conn.status !== 'disconnected') return { revokedAtProvider: false, channelsStopped: 0 };
    let revokedAtProvider = false;
    let channelsStopped = 0;
    if (conn.tokens) {
      const provider = this.providers.get(conn.provider);
      const ctx = await this.context(conn);
      for (const row of await this.calendars.liveChannels(conn.id)) {
        try {
          await provider.stopWatch(ctx, this.watchChannel(row));
          channelsStopped++;
        } catch (err) {
          // A dead grant cannot stop channels; they lapse at the vendor.
          this.logger.warn({ err, connectionId, channelId: row.id }, 'stopping a channel failed');
        }
        await this.calendars.markChannelStopped(row.id);
      }
      try {
        revokedAtProvider = (await provider.revoke(ctx.tokens)).revokedAtProvider;
      } catch (err) {
        if (err instanceof CalendarError && err.code === 'temporary') throw new RetryLaterError(err.retryAfterMs ?? 30_000, err.message);
        this.logger.warn({ err, connectionId }, 'revoking the grant failed');
      }
    }
    await this.calendars.dropDisconnectedData(conn.id);
    return { revokedAtProvider, channelsStopped };
  }
}

function toUpsert(e: CalendarEventSnapshot): EventUpsert {
  const { raw: _raw, ...snapshot } = e;
  return {
    providerEventId: e.providerEventId,
    iCalUID: e.iCalUID,
    seriesId: e.seriesMasterId,
    title: e.title,
    start: new Date(e.start),
    end: new Date(e.end),
    allDay: e.allDay,
    isOrganizer: e.isOrganizer,
    selfResponse: e.selfResponse,
    cancelled: e.cancelled,
    link: e.meetingLink ? { platform: e.meetingLink.platform, url: e.meetingLink.url, meetingId: e.meetingLink.meetingId, dedupeKey: e.meetingLink.dedupeKey } : null,
    snapshot: snapshot as unknown as Record<string, unknown>,
  };
}

function count(outcomes: PlanOutcome[]): SyncSummary['bots'] {
  return {
    created: outcomes.filter((o) => o.action.kind === 'create').length,
    moved: outcomes.filter((o) => o.action.kind === 'move').length,
    cancelled: outcomes.filter((o) => o.action.kind === 'cancel').length,
  };
}
