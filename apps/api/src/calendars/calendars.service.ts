import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import type Redis from 'ioredis';
import { CalendarError, type CalendarProviderName } from '@rapport/calendar';
import { AppError } from '@rapport/common';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG, REDIS } from '@rapport/core';
import { DataKeyService, encryptJson } from '@rapport/crypto';
import {
  CalendarsRepository,
  type CalendarConnectionRow,
  type CalendarEventView as EventRow,
  coverageRulesSchema,
  mergeCoverageRules,
  TeamsRepository,
} from '@rapport/database';
import { CALENDAR_JOBS, type CalendarJobs, calendarSyncJob } from '@rapport/queue';
import { CalendarProviders } from '@rapport/core';
import { CALENDAR_QUEUE } from './calendar-queue';
import type { CalendarConnectionView, CalendarEventView, CalendarSettingsView, CoverageRulesDto } from './dto/calendar.dto';
import { OAuthStateSigner } from './oauth-state';

/** How long PUT settings / PATCH event wait for the re-plan before answering with what is stored. */
const REPLAN_WAIT_MS = 10_000;

const LABEL: Record<CalendarProviderName, string> = { google: 'Google', microsoft: 'Microsoft' };

export function toConnectionView(c: CalendarConnectionRow): CalendarConnectionView {
  return {
    id: c.id,
    provider: c.provider,
    calendarId: c.calendarId,
    status: c.status,
    statusReason: c.statusReason,
    scopes: c.scopes,
    lastSyncAt: c.lastSyncAt ? new Date(c.lastSyncAt).toISOString() : null,
    lastSyncError: c.lastSyncError,
    connectedAt: new Date(c.connectedAt).toISOString(),
    disconnectedAt: c.disconnectedAt ? new Date(c.disconnectedAt).toISOString() : null,
  };
}

function toEventView(e: EventRow): CalendarEventView {
  const active = e.botStatus !== null && !['done', 'fatal', 'cancelled'].includes(e.botStatus);
  return {
    id: e.id,
    connectionId: e.connectionId,
    provider: e.provider,
    title: e.title,
    startsAt: new Date(e.startsAt).toISOString(),
    endsAt: new Date(e.endsAt).toISOString(),
    iCalUID: e.iCalUID,
    seriesId: e.seriesId,
    selfResponse: e.selfResponse,
    isOrganizer: e.isOrganizer,
    platform: e.platform,
    meetingUrl: e.meetingUrl,
    covered: e.covered,
    coverageReason: e.coverageReason,
    override: e.override,
    meetingId: e.meetingId,
    botPlanned: active,
    botId: e.botId,
    botStatus: e.botStatus,
    botJoinAt: e.botJoinAt ? new Date(e.botJoinAt).toISOString() : null,
  };
}

/**
 * The user's side of calendar integrations: connect (signed, single-use OAuth state), the
 * callback storing encrypted tokens, listing, disconnect, coverage settings and per-event
 * overrides. Syncing, watch channels and revocation run in the scheduler; this service
 * enqueues them.
 */
@Injectable()
export class CalendarsService {
  private readonly logger = new Logger(CalendarsService.name);
  private readonly state: OAuthStateSigner;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CalendarsRepository) private readonly calendars: CalendarsRepository,
    @Inject(TeamsRepository) private readonly teams: TeamsRepository,
    @Inject(DataKeyService) private readonly keys: DataKeyService,
    @Inject(CalendarProviders) private readonly providers: CalendarProviders,
    @Inject(CALENDAR_QUEUE) private readonly queue: Queue,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.state = new OAuthStateSigner(config.JWT_SECRET);
  }

  private assertConfigured(provider: CalendarProviderName): void {
    const id = provider === 'google' ? this.config.GOOGLE_CLIENT_ID : this.config.MS_CLIENT_ID;
    if (!id) throw new AppError('unavailable', 'calendar_provider_not_configured', `${LABEL[provider]} calendars are not configured on this server`);
  }

  connect(userId: string, provider: CalendarProviderName): { authorizationUrl: string } {
    this.assertConfigured(provider);
    const { state } = this.state.sign(userId, provider);
    return { authorizationUrl: this.providers.get(provider).buildAuthUrl({ state }) };
  }

  /**
   * Completes the consent flow: the state must verify (signature, provider, expiry) and not
   * have been used; the code is exchanged (granted scopes checked by the adapter), the tokens
   * encrypted with the user's key, and the first sync and the watch channel are enqueued.
   */
  async callback(provider: CalendarProviderName, q: { code?: string; state?: string; error?: string }): Promise<CalendarConnectionRow> {
    this.assertConfigured(provider);
    if (!q.state) throw new AppError('bad_request', 'missing_oauth_state', 'state: missing; start again from "connect calendar"');
    const check = this.state.verify(q.state, provider);
    if (!check.ok) throw new AppError('forbidden', 'invalid_oauth_state', `state: ${check.reason.replace('_', ' ')}; start again from "connect calendar"`);
    const fresh = await this.redis.set(`${this.config.REDIS_PREFIX}:calendar-oauth-state:${check.payload.nonce}`, '1', 'PX', 15 * 60_000, 'NX');
    if (fresh !== 'OK') throw new AppError('forbidden', 'invalid_oauth_state', 'state: already used; start again from "connect calendar"');
    if (q.error) throw new AppError('bad_request', 'oauth_denied', `${LABEL[provider]} did not grant access (${q.error.slice(0, 100)})`);
    if (!q.code) throw new AppError('bad_request', 'missing_oauth_code', 'code: missing');
    let tokens;
    try {
      tokens = await this.providers.get(provider).exchangeCode(q.code);
    } catch (err) {
      if (err instanceof CalendarError && err.code === 'auth_revoked') {
        const code = err.vendorCode === 'scope_not_granted' ? 'scope_not_granted' : 'oauth_exchange_refused';
        throw new AppError('bad_request', code, `${LABEL[provider]} refused the connection: ${err.message}. Reconnect and allow calendar access.`);
      }
      if (err instanceof CalendarError && err.code === 'temporary') throw new AppError('unavailable', 'calendar_provider_unavailable', `${LABEL[provider]} is not answering; try again`);
      throw err;
    }
    const userId = check.payload.userId;
    const key = await this.keys.keyFor(userId);
    const { connection, created } = await this.calendars.saveConnection(userId, provider, 'primary', tokens.scopes, (id) => encryptJson(key, tokens, `calendar-token:${id}`));
    const first = calendarSyncJob({ connectionId: connection.id, reason: 'connect', full: true }, 0);
    await this.queue.add(first.name, first.data, first.opts);
    await this.queue.add(CALENDAR_JOBS['calendar.watch'], { connectionId: connection.id, action: 'ensure' } satisfies CalendarJobs['calendar.watch'], {
      jobId: `ensure:${connection.id}:connect:${Date.now()}`,
      attempts: 5,
      backoff: { type: 'exponential', delay: 10_000 },
      removeOnComplete: true,
      removeOnFail: 1000,
    });
    this.logger.log({ connectionId: connection.id, provider, created }, 'calendar connected');
    return connection;
  }

  async list(userId: string): Promise<CalendarConnectionView[]> {
    return (await this.calendars.listForUser(userId)).map(toConnectionView);
  }

  /**
   * Disconnects at once (the connection stops counting, its pending bots are re-planned, i.e.
   * cancelled unless another invitee covers the meeting), then the scheduler revokes the grant,
   * stops channels and drops tokens and events.
   */
  async disconnect(userId: string, id: string): Promise<CalendarConnectionView> {
    const conn = await this.calendars.findForUser(userId, id);
    if (!conn) throw new AppError('not_found', 'calendar_not_found', 'No such calendar connection');
    const meetings = await this.calendars.markDisconnected(id, 'user_disconnected');
    if (meetings) {
      for (const meetingId of meetings) await this.calendars.planMeeting(meetingId, this.planOptions());
    }
    await this.queue.add(CALENDAR_JOBS['calendar.teardown'], { connectionId: id } satisfies CalendarJobs['calendar.teardown'], {
      jobId: `teardown:${id}`,
      attempts: 8,
      backoff: { type: 'exponential', delay: 10_000 },
      removeOnComplete: true,
      removeOnFail: 1000,
    });
    return toConnectionView((await this.calendars.findForUser(userId, id))!);
  }

  private planOptions() {
    return {
      leadSec: this.config.CALENDAR_JOIN_LEAD_SEC,
      botName: 'Rapport Notetaker',
      allowedPlatforms: this.config.CALENDAR_BOT_PLATFORMS.split(',').map((s) => s.trim()),
    };
  }

  // ------------------------------------------------------------------ coverage

  async settings(userId: string): Promise<CalendarSettingsView> {
    const s = await this.calendars.settingsFor(userId);
    const effective = mergeCoverageRules(s.team?.rules, s.user);
    return { rules: s.user as CoverageRulesDto | null, teamDefaults: s.team ? { teamId: s.team.teamId, rules: s.team.rules as CoverageRulesDto } : null, effective };
  }

  private validRules(body: CoverageRulesDto): Record<string, unknown> {
    const parsed = coverageRulesSchema.safeParse(body);
    if (!parsed.success) {
      const fields: Record<string, string[]> = {};
      for (const i of parsed.error.issues) (fields[i.path.join('.') || 'body'] ??= []).push(i.message);
      const message = Object.entries(fields)
        .map(([f, m]) => `${f}: ${m.join(', ')}`)
        .join('; ');
      throw new AppError('bad_request', 'validation_failed', message, { fields });
    }
    return parsed.data;
  }

  async saveSettings(userId: string, body: CoverageRulesDto): Promise<CalendarSettingsView> {
    await this.calendars.saveUserSettings(userId, this.validRules(body));
    await this.redecide({ userIds: [userId] });
    return this.settings(userId);
  }

  /** Team defaults: team leads of that team and admins only. */
  async saveTeamSettings(userId: string, role: string, teamId: string, body: CoverageRulesDto): Promise<{ teamId: string; rules: Record<string, unknown> }> {
    if (!(await this.teams.findById(teamId))) throw new AppError('not_found', 'team_not_found', 'No such team');
    if (role !== 'admin' && (await this.teams.roleIn(teamId, userId)) !== 'lead') {
      throw new AppError('forbidden', 'not_team_lead', 'Only a lead of this team (or an admin) can set its calendar defaults');
    }
    const rules = this.validRules(body);
    await this.calendars.saveTeamSettings(teamId, rules);
    await this.redecide({ userIds: await this.calendars.teamMemberIds(teamId) });
    return { teamId, rules };
  }

  async events(userId: string, limit = 100): Promise<CalendarEventView[]> {
    return (await this.calendars.listUpcomingForUser(userId, new Date(), limit)).map(toEventView);
  }

  /** Per-event override; "on" is recorded as the user's consent to recording that meeting. */
  async setOverride(userId: string, eventId: string, override: 'on' | 'off' | null): Promise<CalendarEventView> {
    const event = await this.calendars.findEventForUser(userId, eventId);
    if (!event) throw new AppError('not_found', 'calendar_event_not_found', 'No such calendar event');
    if (override === 'on' && !event.hasLink) throw new AppError('bad_request', 'no_meeting_link', 'override: this event has no meeting link a bot could join');
    await this.calendars.setOverride(userId, eventId, override);
    if (event.meetingId) {
      if (override === 'on') await this.calendars.recordConsent(userId, event.meetingId, eventId, 'calendar_override_on');
      else await this.calendars.withdrawConsent(userId, event.meetingId);
    }
    await this.redecide({ userIds: [userId], eventId });
    const view = (await this.events(userId, 500)).find((e) => e.id === eventId);
    if (!view) throw new AppError('not_found', 'calendar_event_not_found', 'The event has ended');
    return view;
  }

  /** Coverage is decided where events are synced (the scheduler); wait briefly so the answer shows the new plan. */
  private async redecide(data: CalendarJobs['calendar.redecide']): Promise<void> {
    const job = await this.queue.add(CALENDAR_JOBS['calendar.redecide'], data, { attempts: 3, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: 100, removeOnFail: 1000 });
    await Promise.race([job.finished().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, REPLAN_WAIT_MS).unref())]);
  }
}
