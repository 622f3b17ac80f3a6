import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { type PlanAction, type PlanLink, planMeetingBot } from './calendar-planning';

export type CalendarProviderColumn = 'google' | 'microsoft';
export type CalendarConnectionStatus = 'connected' | 'disconnected';
export type EventOverride = 'on' | 'off';

export interface CalendarConnectionRow {
  id: string;
  userId: string;
  provider: CalendarProviderColumn;
  calendarId: string;
  status: CalendarConnectionStatus;
  statusReason: string | null;
  tokens: Buffer | null;
  scopes: string[];
  syncCursor: string | null;
  lastSyncAt: Date | null;
  lastFullSyncAt: Date | null;
  lastSyncError: string | null;
  connectedAt: Date;
  disconnectedAt: Date | null;
}

export interface CalendarChannelRow {
  id: string;
  connectionId: string;
  provider: CalendarProviderColumn;
  providerChannelId: string;
  resourceId: string | null;
  expiresAt: Date;
  lastMessageNumber: number | null;
  stoppedAt: Date | null;
}

/** The parts of a synced event the repository stores (the provider-neutral snapshot, without `raw`). */
export interface EventUpsert {
  providerEventId: string;
  iCalUID: string | null;
  seriesId: string | null;
  title: string;
  start: Date;
  end: Date;
  allDay: boolean;
  isOrganizer: boolean;
  selfResponse: 'accepted' | 'declined' | 'tentative' | 'needsAction';
  cancelled: boolean;
  link: { platform: 'zoom' | 'google_meet' | 'microsoft_teams'; url: string; meetingId: string; dedupeKey: string } | null;
  snapshot: Record<string, unknown>;
}

export interface CoverageVerdict {
  covered: boolean;
  reason: string;
}

export interface CalendarEventView {
  id: string;
  connectionId: string;
  provider: CalendarProviderColumn;
  providerEventId: string;
  iCalUID: string | null;
  seriesId: string | null;
  title: string;
  startsAt: Date;
  endsAt: Date;
  allDay: boolean;
  isOrganizer: boolean;
  selfResponse: string;
  cancelled: boolean;
  platform: string | null;
  meetingUrl: string | null;
  covered: boolean;
  coverageReason: string;
  override: EventOverride | null;
  meetingId: string | null;
  botId: string | null;
  botStatus: string | null;
  botJoinAt: Date | null;
}

export interface StoredEventForDecision {
  id: string;
  providerEventId: string;
  override: EventOverride | null;
  snapshot: Record<string, unknown>;
  covered: boolean;
  coverageReason: string;
  meetingId: string | null;
}

export interface PlanOutcome {
  meetingId: string;
  action: PlanAction;
  /** The bot created, moved or cancelled. */
  botId?: string;
}

const FINAL_BOT = `('done', 'fatal', 'cancelled')`;
const CONNECTION_COLUMNS = `id, user_id AS "userId", provider, calendar_id AS "calendarId", status, status_reason AS "statusReason", tokens, scopes,
  sync_cursor AS "syncCursor", last_sync_at AS "lastSyncAt", last_full_sync_at AS "lastFullSyncAt", last_sync_error AS "lastSyncError",
  connected_at AS "connectedAt", disconnected_at AS "disconnectedAt"`;
const channelColumns = (p: string) =>
  `${p}id, ${p}connection_id AS "connectionId", ${p}provider, ${p}provider_channel_id AS "providerChannelId", ${p}resource_id AS "resourceId",
   ${p}expires_at AS "expiresAt", ${p}last_message_number AS "lastMessageNumber", ${p}stopped_at AS "stoppedAt"`;
const CHANNEL_COLUMNS = channelColumns('');


/** TypeORM answers UPDATE/DELETE … RETURNING with `[rows, affected]` on PostgreSQL, SELECT/INSERT with rows. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

function channelRow(r: CalendarChannelRow & { lastMessageNumber: number | string | null }): CalendarChannelRow {
  return { ...r, lastMessageNumber: r.lastMessageNumber === null ? null : Number(r.lastMessageNumber) };
}

/**
 * Every query of calendar integrations. User-facing reads and writes take the user id; the
 * sync side works on connection ids it was handed by its own queue. Meeting linking and bot
 * planning run in transactions serialised per canonical meeting (advisory lock on its dedupe
 * key and start, then the meeting row lock), so concurrent syncs of two users' calendars for
 * the same meeting converge on one meeting row and at most one active bot.
 */
export class CalendarsRepository {
  constructor(private readonly ds: DataSource) {}

  // ------------------------------------------------------------------ connections

  /**
   * Stores a freshly authorised connection; a live connection for the same user, provider and
   * calendar gets the new tokens instead (reconnect). `sealTokens(id)` encrypts for that row.
   */
  async saveConnection(
    userId: string,
    provider: CalendarProviderColumn,
    calendarId: string,
    scopes: string[],
    sealTokens: (connectionId: string) => Buffer,
  ): Promise<{ connection: CalendarConnectionRow; created: boolean }> {
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`calendar-connect:${userId}:${provider}:${calendarId}`]);
      const live: Array<{ id: string }> = await m.query(
        `SELECT id FROM calendar_connections WHERE user_id = $1 AND provider = $2 AND calendar_id = $3 AND status = 'connected' FOR UPDATE`,
        [userId, provider, calendarId],
      );
      if (live[0]) {
        const id = live[0].id;
        await m.query(`UPDATE calendar_connections SET tokens = $2, scopes = $3, status_reason = NULL, updated_at = now() WHERE id = $1`, [id, sealTokens(id), scopes]);
        return { connection: await this.connectionIn(m, id), created: false };
      }
      const id = randomUUID();
      await m.query(`INSERT INTO calendar_connections (id, user_id, provider, calendar_id, tokens, scopes) VALUES ($1, $2, $3, $4, $5, $6)`, [
        id,
        userId,
        provider,
        calendarId,
        sealTokens(id),
        scopes,
      ]);
      return { connection: await this.connectionIn(m, id), created: true };
    });
  }

  private async connectionIn(m: EntityManager, id: string): Promise<CalendarConnectionRow> {
    const rows: CalendarConnectionRow[] = await m.query(`SELECT ${CONNECTION_COLUMNS} FROM calendar_connections WHERE id = $1`, [id]);
    return rows[0];
  }

  listForUser(userId: string): Promise<CalendarConnectionRow[]> {
    return this.ds.query(`SELECT ${CONNECTION_COLUMNS} FROM calendar_connections WHERE user_id = $1 ORDER BY created_at DESC`, [userId]);
  }

  async findForUser(userId: string, id: string): Promise<CalendarConnectionRow | null> {
    const rows: CalendarConnectionRow[] = await this.ds.query(`SELECT ${CONNECTION_COLUMNS} FROM calendar_connections WHERE id = $1 AND user_id = $2`, [id, userId]);
    return rows[0] ?? null;
  }

  /** The sync side: a connection named by its own queue job. */
  async findById(id: string): Promise<CalendarConnectionRow | null> {
    const rows: CalendarConnectionRow[] = await this.ds.query(`SELECT ${CONNECTION_COLUMNS} FROM calendar_connections WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async saveTokens(id: string, tokens: Buffer, scopes: string[]): Promise<void> {
    await this.ds.query(`UPDATE calendar_connections SET tokens = $2, scopes = $3, updated_at = now() WHERE id = $1 AND tokens IS NOT NULL`, [id, tokens, scopes]);
  }

  /**
   * Marks a connection disconnected with the reason the user will see. Returns the meetings its
   * events link to (to be re-planned: their scheduled bots lose this user's coverage), or null
   * when it was not connected.
   */
  async markDisconnected(id: string, reason: string): Promise<string[] | null> {
    return this.ds.transaction(async (m) => {
      const rows: Array<{ id: string }> = rowsOf(await m.query(
        `UPDATE calendar_connections SET status = 'disconnected', status_reason = $2, disconnected_at = now(), sync_lease_until = NULL, updated_at = now()
          WHERE id = $1 AND status = 'connected' RETURNING id`,
        [id, reason],
      ));
      if (!rows.length) return null;
      const meetings: Array<{ meeting_id: string }> = await m.query(`SELECT DISTINCT meeting_id FROM calendar_events WHERE connection_id = $1 AND meeting_id IS NOT NULL`, [id]);
      return meetings.map((r) => r.meeting_id);
    });
  }

  /** After teardown: the grant is gone, so are its tokens, cursor and events. */
  async dropDisconnectedData(id: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query(`UPDATE calendar_connections SET tokens = NULL, sync_cursor = NULL, updated_at = now() WHERE id = $1 AND status = 'disconnected'`, [id]);
      await m.query(
        `DELETE FROM calendar_events WHERE connection_id = $1 AND EXISTS (SELECT 1 FROM calendar_connections c WHERE c.id = $1 AND c.status = 'disconnected')`,
        [id],
      );
    });
  }

  /** Takes the connection's sync lease; false when another sync holds it or it is not connected. */
  async acquireSyncLease(id: string, leaseMs: number): Promise<boolean> {
    const rows: unknown[] = rowsOf(await this.ds.query(
      `UPDATE calendar_connections SET sync_lease_until = now() + make_interval(secs => $2::double precision / 1000)
        WHERE id = $1 AND status = 'connected' AND (sync_lease_until IS NULL OR sync_lease_until < now()) RETURNING id`,
      [id, leaseMs],
    ));
    return rows.length > 0;
  }

  async releaseSyncLease(id: string): Promise<void> {
    await this.ds.query(`UPDATE calendar_connections SET sync_lease_until = NULL WHERE id = $1`, [id]);
  }

  /** Records a finished sync; the cursor is stored only after every event was processed. */
  async recordSync(id: string, result: { cursor: string; full: boolean }): Promise<void> {
    await this.ds.query(
      `UPDATE calendar_connections SET sync_cursor = $2, last_sync_at = now(), last_sync_error = NULL,
              last_full_sync_at = CASE WHEN $3::boolean THEN now() ELSE last_full_sync_at END, updated_at = now()
        WHERE id = $1 AND status = 'connected'`,
      [id, result.cursor, result.full],
    );
  }

  async recordSyncError(id: string, message: string): Promise<void> {
    await this.ds.query(`UPDATE calendar_connections SET last_sync_error = $2, updated_at = now() WHERE id = $1`, [id, message.slice(0, 500)]);
  }

  /** Connected calendars whose last full (reconcile) sync is older than `before`. */
  async dueForReconcile(before: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.ds.query(
      `SELECT id FROM calendar_connections WHERE status = 'connected' AND (last_full_sync_at IS NULL OR last_full_sync_at < $1)
        ORDER BY last_full_sync_at NULLS FIRST LIMIT $2`,
      [before.toISOString(), limit],
    );
    return rows.map((r) => r.id);
  }

  /** Connected calendars without a live channel (watch creation failed or the channel lapsed). */
  async withoutLiveChannel(now: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.ds.query(
      `SELECT c.id FROM calendar_connections c
        WHERE c.status = 'connected'
          AND NOT EXISTS (SELECT 1 FROM calendar_channels ch WHERE ch.connection_id = c.id AND ch.stopped_at IS NULL AND ch.expires_at > $1)
        LIMIT $2`,
      [now.toISOString(), limit],
    );
    return rows.map((r) => r.id);
  }

  // ------------------------------------------------------------------ channels

  async insertChannel(row: Omit<CalendarChannelRow, 'lastMessageNumber' | 'stoppedAt'>): Promise<void> {
    await this.ds.query(
      `INSERT INTO calendar_channels (id, connection_id, provider, provider_channel_id, resource_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [row.id, row.connectionId, row.provider, row.providerChannelId, row.resourceId, row.expiresAt.toISOString()],
    );
  }

  async updateChannelExpiry(id: string, expiresAt: Date): Promise<void> {
    await this.ds.query(`UPDATE calendar_channels SET expires_at = $2, updated_at = now() WHERE id = $1`, [id, expiresAt.toISOString()]);
  }

  /** A channel by the vendor's id, only while its connection is connected and it is not stopped. */
  async findLiveChannel(provider: CalendarProviderColumn, providerChannelId: string): Promise<CalendarChannelRow | null> {
    const rows: CalendarChannelRow[] = await this.ds.query(
      `SELECT ${channelColumns('ch.')} FROM calendar_channels ch JOIN calendar_connections c ON c.id = ch.connection_id
        WHERE ch.provider = $1 AND ch.provider_channel_id = $2 AND ch.stopped_at IS NULL AND c.status = 'connected'`,
      [provider, providerChannelId],
    );
    return rows[0] ? channelRow(rows[0]) : null;
  }

  /** Accepts a Google message number only if it is above every one accepted so far (atomic). */
  async acceptMessageNumber(channelId: string, messageNumber: number): Promise<boolean> {
    const rows: unknown[] = rowsOf(await this.ds.query(
      `UPDATE calendar_channels SET last_message_number = $2 WHERE id = $1 AND (last_message_number IS NULL OR last_message_number < $2) RETURNING id`,
      [channelId, messageNumber],
    ));
    return rows.length > 0;
  }

  async liveChannels(connectionId: string): Promise<CalendarChannelRow[]> {
    const rows: CalendarChannelRow[] = await this.ds.query(
      `SELECT ${CHANNEL_COLUMNS} FROM calendar_channels WHERE connection_id = $1 AND stopped_at IS NULL ORDER BY expires_at DESC`,
      [connectionId],
    );
    return rows.map(channelRow);
  }

  async markChannelStopped(id: string): Promise<void> {
    await this.ds.query(`UPDATE calendar_channels SET stopped_at = coalesce(stopped_at, now()), updated_at = now() WHERE id = $1`, [id]);
  }

  /** Live channels of connected calendars expiring before `before` (renewal candidates). */
  async channelsExpiringBefore(before: Date, limit: number): Promise<CalendarChannelRow[]> {
    const rows: CalendarChannelRow[] = await this.ds.query(
      `SELECT ${channelColumns('ch.')} FROM calendar_channels ch JOIN calendar_connections c ON c.id = ch.connection_id
        WHERE ch.stopped_at IS NULL AND c.status = 'connected' AND ch.expires_at < $1 ORDER BY ch.expires_at LIMIT $2`,
      [before.toISOString(), limit],
    );
    return rows.map(channelRow);
  }

  /** Forgets channels stopped or expired before `before`. */
  async deleteDeadChannels(before: Date): Promise<number> {
    const rows: unknown[] = rowsOf(await this.ds.query(`DELETE FROM calendar_channels WHERE coalesce(stopped_at, expires_at) < $1 RETURNING id`, [before.toISOString()]));
    return rows.length;
  }

  // ------------------------------------------------------------------ events and meetings

  /**
   * Stores one synced event for the connection's user, decides its coverage with `decide`
   * (given the user's per-event override) and links it to the canonical meeting of its
   * (dedupe key, start). Returns the meetings to re-plan (the one it left and the one it joined).
   */
  async upsertEvent(
    conn: Pick<CalendarConnectionRow, 'id' | 'userId' | 'provider'>,
    e: EventUpsert,
    decide: (override: EventOverride | null) => CoverageVerdict,
  ): Promise<{ eventId: string; meetings: string[] }> {
    return this.ds.transaction(async (m) => {
      const existing: Array<{ id: string; meeting_id: string | null; override: EventOverride | null }> = await m.query(
        `SELECT id, meeting_id, override FROM calendar_events WHERE connection_id = $1 AND provider_event_id = $2 FOR UPDATE`,
        [conn.id, e.providerEventId],
      );
      const before = existing[0];
      const verdict = decide(before?.override ?? null);
      const params = [
        e.iCalUID,
        e.seriesId,
        e.title,
        e.start.toISOString(),
        e.end.toISOString(),
        e.allDay,
        e.isOrganizer,
        e.selfResponse,
        e.cancelled,
        e.link?.platform ?? null,
        e.link?.url ?? null,
        e.link?.meetingId ?? null,
        e.link?.dedupeKey ?? null,
        JSON.stringify(e.snapshot),
        verdict.covered,
        verdict.reason,
      ];
      let eventId: string;
      if (before) {
        eventId = before.id;
        await m.query(
          `UPDATE calendar_events SET ical_uid = $2, series_id = $3, title = $4, starts_at = $5, ends_at = $6, all_day = $7, is_organizer = $8,
                  self_response = $9, cancelled = $10, platform = $11, meeting_url = $12, platform_meeting_id = $13, dedupe_key = $14,
                  snapshot = $15, covered = $16, coverage_reason = $17, updated_at = now()
            WHERE id = $1`,
          [eventId, ...params],
        );
      } else {
        const rows: Array<{ id: string }> = await m.query(
          `INSERT INTO calendar_events (user_id, connection_id, provider, provider_event_id, ical_uid, series_id, title, starts_at, ends_at, all_day,
                  is_organizer, self_response, cancelled, platform, meeting_url, platform_meeting_id, dedupe_key, snapshot, covered, coverage_reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
          [conn.userId, conn.id, conn.provider, e.providerEventId, ...params],
        );
        eventId = rows[0].id;
      }
      const target = e.link && !e.allDay ? await this.canonicalMeeting(m, conn.userId, eventId, before?.meeting_id ?? null, e) : null;
      if (target !== (before?.meeting_id ?? null)) {
        await m.query(`UPDATE calendar_events SET meeting_id = $2 WHERE id = $1`, [eventId, target]);
      }
      const meetings = [...new Set([before?.meeting_id, target].filter((x): x is string => !!x))];
      return { eventId, meetings };
    });
  }

  /**
   * The canonical meeting for (dedupe key, start): an existing one; else the event's current
   * meeting moved there when nobody else links it and no bot has started in it (a reschedule);
   * else a new one owned by this user.
   */
  private async canonicalMeeting(m: EntityManager, userId: string, eventId: string, current: string | null, e: EventUpsert): Promise<string> {
    const link = e.link!;
    const start = e.start.toISOString();
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`calendar-meeting:${link.dedupeKey}|${start}`]);
    const found: Array<{ id: string }> = await m.query(
      `SELECT id FROM meetings WHERE dedupe_key = $1 AND scheduled_start = $2 ORDER BY (id = $3) DESC, created_at LIMIT 1`,
      [link.dedupeKey, start, current],
    );
    if (found[0]) return found[0].id;
    if (current) {
      const movable: unknown[] = await m.query(
        `SELECT 1 FROM meetings mt WHERE mt.id = $1
            AND NOT EXISTS (SELECT 1 FROM calendar_events ce WHERE ce.meeting_id = mt.id AND ce.id <> $2)
            AND NOT EXISTS (SELECT 1 FROM bots b WHERE b.meeting_id = mt.id AND b.status NOT IN ('scheduled', 'cancelled'))
          FOR UPDATE`,
        [current, eventId],
      );
      if (movable.length) {
        await m.query(
          `UPDATE meetings SET scheduled_start = $2, dedupe_key = $3, platform = $4, meeting_url = $5, platform_meeting_id = $6, title = $7 WHERE id = $1`,
          [current, start, link.dedupeKey, link.platform, link.url, link.meetingId, e.title || 'Meeting'],
        );
        return current;
      }
    }
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO meetings (user_id, title, platform, meeting_url, platform_meeting_id, dedupe_key, scheduled_start)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [userId, e.title || 'Meeting', link.platform, link.url, link.meetingId, link.dedupeKey, start],
    );
    return rows[0].id;
  }

  /** Events gone at the provider (deleted, cancelled stubs): kept as cancelled so their bots are cancelled. */
  async markRemoved(connectionId: string, providerEventIds: string[]): Promise<string[]> {
    if (!providerEventIds.length) return [];
    const rows: Array<{ meeting_id: string | null }> = rowsOf(await this.ds.query(
      `UPDATE calendar_events SET cancelled = true, covered = false, coverage_reason = 'cancelled', updated_at = now()
        WHERE connection_id = $1 AND provider_event_id = ANY($2::text[]) RETURNING meeting_id`,
      [connectionId, providerEventIds],
    ));
    return [...new Set(rows.map((r) => r.meeting_id).filter((x): x is string => !!x))];
  }

  /** After a full sync that replaced local state: events in the window the provider no longer lists are removed. */
  async markMissingRemoved(connectionId: string, keptProviderEventIds: string[], window: { timeMin: Date; timeMax: Date }): Promise<string[]> {
    const rows: Array<{ meeting_id: string | null }> = rowsOf(await this.ds.query(
      `UPDATE calendar_events SET cancelled = true, covered = false, coverage_reason = 'cancelled', updated_at = now()
        WHERE connection_id = $1 AND NOT cancelled AND ends_at > $3 AND starts_at < $4 AND NOT (provider_event_id = ANY($2::text[]))
        RETURNING meeting_id`,
      [connectionId, keptProviderEventIds, window.timeMin.toISOString(), window.timeMax.toISOString()],
    ));
    return [...new Set(rows.map((r) => r.meeting_id).filter((x): x is string => !!x))];
  }

  /** The user's upcoming events from connected calendars, with the meeting's bot (active one first). */
  listUpcomingForUser(userId: string, now: Date, limit: number): Promise<CalendarEventView[]> {
    return this.ds.query(
      `SELECT ce.id, ce.connection_id AS "connectionId", ce.provider, ce.provider_event_id AS "providerEventId", ce.ical_uid AS "iCalUID",
              ce.series_id AS "seriesId", ce.title, ce.starts_at AS "startsAt", ce.ends_at AS "endsAt", ce.all_day AS "allDay",
              ce.is_organizer AS "isOrganizer", ce.self_response AS "selfResponse", ce.cancelled, ce.platform, ce.meeting_url AS "meetingUrl",
              ce.covered, ce.coverage_reason AS "coverageReason", ce.override, ce.meeting_id AS "meetingId",
              b.id AS "botId", b.status AS "botStatus", b.join_at AS "botJoinAt"
         FROM calendar_events ce
         JOIN calendar_connections c ON c.id = ce.connection_id AND c.status = 'connected'
         LEFT JOIN LATERAL (
           SELECT id, status, join_at FROM bots WHERE meeting_id = ce.meeting_id
            ORDER BY (status NOT IN ${FINAL_BOT}) DESC, created_at DESC LIMIT 1
         ) b ON true
        WHERE ce.user_id = $1 AND ce.ends_at > $2
        ORDER BY ce.starts_at, ce.id
        LIMIT $3`,
      [userId, now.toISOString(), limit],
    );
  }

  /** The user's upcoming events with what coverage needs, to re-decide after a rules change. */
  upcomingForDecision(userId: string, now: Date, eventId?: string): Promise<StoredEventForDecision[]> {
    return this.ds.query(
      `SELECT ce.id, ce.provider_event_id AS "providerEventId", ce.override, ce.snapshot, ce.covered, ce.coverage_reason AS "coverageReason",
              ce.meeting_id AS "meetingId"
         FROM calendar_events ce JOIN calendar_connections c ON c.id = ce.connection_id AND c.status = 'connected'
        WHERE ce.user_id = $1 AND ce.ends_at > $2 AND NOT ce.cancelled ${eventId ? 'AND ce.id = $3' : ''}`,
      eventId ? [userId, now.toISOString(), eventId] : [userId, now.toISOString()],
    );
  }

  async setDecision(eventId: string, verdict: CoverageVerdict): Promise<void> {
    await this.ds.query(`UPDATE calendar_events SET covered = $2, coverage_reason = $3, updated_at = now() WHERE id = $1`, [eventId, verdict.covered, verdict.reason]);
  }

  /** Sets the user's per-event override; null when the event is not theirs. */
  async setOverride(userId: string, eventId: string, override: EventOverride | null): Promise<{ meetingId: string | null } | null> {
    const rows: Array<{ meeting_id: string | null }> = rowsOf(await this.ds.query(
      `UPDATE calendar_events SET override = $3, updated_at = now() WHERE id = $1 AND user_id = $2 RETURNING meeting_id`,
      [eventId, userId, override],
    ));
    return rows[0] ? { meetingId: rows[0].meeting_id } : null;
  }

  async findEventForUser(userId: string, eventId: string): Promise<{ id: string; meetingId: string | null; hasLink: boolean } | null> {
    const rows: Array<{ id: string; meetingId: string | null; hasLink: boolean }> = await this.ds.query(
      `SELECT id, meeting_id AS "meetingId", dedupe_key IS NOT NULL AS "hasLink" FROM calendar_events WHERE id = $1 AND user_id = $2`,
      [eventId, userId],
    );
    return rows[0] ?? null;
  }

  /** Records "coverage on" as the user's consent for the meeting (re-granting clears a withdrawal). */
  async recordConsent(userId: string, meetingId: string, calendarEventId: string, source: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO meeting_consents (meeting_id, user_id, source, calendar_event_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (meeting_id, user_id) DO UPDATE SET source = EXCLUDED.source, calendar_event_id = EXCLUDED.calendar_event_id, granted_at = now(), withdrawn_at = NULL`,
      [meetingId, userId, source, calendarEventId],
    );
  }

  async withdrawConsent(userId: string, meetingId: string): Promise<void> {
    await this.ds.query(`UPDATE meeting_consents SET withdrawn_at = now() WHERE meeting_id = $1 AND user_id = $2 AND withdrawn_at IS NULL`, [meetingId, userId]);
  }

  consentsForMeeting(meetingId: string): Promise<Array<{ userId: string; source: string; grantedAt: Date; withdrawnAt: Date | null }>> {
    return this.ds.query(
      `SELECT user_id AS "userId", source, granted_at AS "grantedAt", withdrawn_at AS "withdrawnAt" FROM meeting_consents WHERE meeting_id = $1 ORDER BY granted_at`,
      [meetingId],
    );
  }

  /** Meetings a user is linked to through their calendar (their own view of shared meetings). */
  async meetingIdsLinkedToUser(userId: string): Promise<string[]> {
    const rows: Array<{ meeting_id: string }> = await this.ds.query(
      `SELECT DISTINCT meeting_id FROM calendar_events WHERE user_id = $1 AND meeting_id IS NOT NULL`,
      [userId],
    );
    return rows.map((r) => r.meeting_id);
  }

  /** Events linked to a meeting whose start (or end) lies ahead; used by the sweep to re-plan. */
  async meetingsStartingBetween(from: Date, to: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.ds.query(
      `SELECT id FROM meetings WHERE dedupe_key IS NOT NULL AND scheduled_start >= $1 AND scheduled_start < $2
          AND EXISTS (SELECT 1 FROM calendar_events ce WHERE ce.meeting_id = meetings.id) ORDER BY scheduled_start LIMIT $3`,
      [from.toISOString(), to.toISOString(), limit],
    );
    return rows.map((r) => r.id);
  }

  /** Deletes events that ended before `before` (their meetings stay). */
  async deleteEndedEvents(before: Date): Promise<number> {
    const rows: unknown[] = rowsOf(await this.ds.query(`DELETE FROM calendar_events WHERE ends_at < $1 RETURNING id`, [before.toISOString()]));
    return rows.length;
  }

  // ------------------------------------------------------------------ bot planning

  /**
   * Brings one canonical meeting's bot in line with its linked events (see `planMeetingBot`),
   * in one transaction holding the meeting row: creates the bot (status `scheduled`, the
   * dispatcher takes it from there), moves a still-scheduled bot, or cancels it. Bots past
   * `scheduled` are never touched. Every change is logged in `bot_events`.
   */
  async planMeeting(meetingId: string, opts: { leadSec: number; now?: Date; botName: string; allowedPlatforms: readonly string[] }): Promise<PlanOutcome> {
    const now = opts.now ?? new Date();
    return this.ds.transaction(async (m) => {
      const meetings: Array<{ id: string; user_id: string; scheduled_start: Date | null; meeting_url: string | null; platform: string | null }> = await m.query(
        `SELECT id, user_id, scheduled_start, meeting_url, platform FROM meetings WHERE id = $1 FOR UPDATE`,
        [meetingId],
      );
      const meeting = meetings[0];
      if (!meeting || !meeting.scheduled_start || !meeting.meeting_url || !meeting.platform) {
        return { meetingId, action: { kind: 'none' as const, reason: 'not_covered' as const } };
      }
      const links: Array<{ user_id: string; covered: boolean; cancelled: boolean; ends_at: Date }> = await m.query(
        `SELECT ce.user_id, ce.covered, ce.cancelled, ce.ends_at FROM calendar_events ce
           JOIN calendar_connections c ON c.id = ce.connection_id AND c.status = 'connected'
          WHERE ce.meeting_id = $1 ORDER BY ce.created_at`,
        [meetingId],
      );
      const bots: Array<{ id: string; user_id: string; status: string; join_at: Date }> = await m.query(
        `SELECT id, user_id, status, join_at FROM bots WHERE meeting_id = $1 AND status NOT IN ${FINAL_BOT} ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
        [meetingId],
      );
      const planLinks: PlanLink[] = links.map((l) => ({ userId: l.user_id, covered: l.covered && opts.allowedPlatforms.includes(meeting.platform!), cancelled: l.cancelled, endsAt: new Date(l.ends_at) }));
      const bot = bots[0];
      const action = planMeetingBot({
        meetingOwnerId: meeting.user_id,
        start: new Date(meeting.scheduled_start),
        links: planLinks,
        activeBot: bot ? { id: bot.id, userId: bot.user_id, status: bot.status, joinAt: new Date(bot.join_at) } : null,
        leadSec: opts.leadSec,
        now,
      });
      switch (action.kind) {
        case 'create': {
          const { botName, options } = await this.botSettingsOf(m, action.userId, opts.botName);
          const rows: Array<{ id: string; created_at: Date }> = await m.query(
            `INSERT INTO bots (user_id, meeting_id, meeting_url, platform, bot_name, join_at, options, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'scheduled') RETURNING id, created_at`,
            [action.userId, meetingId, meeting.meeting_url, meeting.platform, botName, action.joinAt.toISOString(), JSON.stringify(options)],
          );
          // The same first log row as an ad hoc bot's (BotsRepository.createWithMeeting), at the row's creation.
          await this.botEvent(m, rows[0].id, 'scheduled', { joinAt: action.joinAt.toISOString(), by: 'calendar' }, new Date(rows[0].created_at));
          return { meetingId, action, botId: rows[0].id };
        }
        case 'move':
          // dispatched_at is cleared: a dispatch enqueued for the old time must not start it early.
          await m.query(`UPDATE bots SET join_at = $2, dispatched_at = NULL, updated_at = now() WHERE id = $1 AND status = 'scheduled'`, [action.botId, action.joinAt.toISOString()]);
          await this.botEvent(m, action.botId, 'scheduled', { joinAt: action.joinAt.toISOString(), by: 'calendar', rescheduled: true });
          return { meetingId, action, botId: action.botId };
        case 'cancel':
          await m.query(`UPDATE bots SET status = 'cancelled', ended_at = now(), updated_at = now() WHERE id = $1 AND status = 'scheduled'`, [action.botId]);
          await this.botEvent(m, action.botId, 'cancelled', { by: 'calendar', reason: action.reason });
          return { meetingId, action, botId: action.botId };
        case 'none':
          return { meetingId, action };
      }
    });
  }

  private async botEvent(m: EntityManager, botId: string, code: 'scheduled' | 'cancelled', details: Record<string, unknown>, at?: Date): Promise<void> {
    await m.query(`INSERT INTO bot_events (bot_id, code, sub_code, at, details) VALUES ($1, $2, NULL, coalesce($4::timestamptz, now()), $3)`, [
      botId,
      code,
      JSON.stringify(details),
      at?.toISOString() ?? null,
    ]);
  }

  /**
   * The bot's name and options from the user's preferences (`user_preferences`): their bot name
   * (else `defaultBotName`) and their consent notice merged into the options the bot process
   * parses (`botOptionsSchema`, strict: nothing else goes in). No notice keeps the default one.
   */
  private async botSettingsOf(m: EntityManager, userId: string, defaultBotName: string): Promise<{ botName: string; options: Record<string, unknown> }> {
    const rows: Array<{ bot_name: string | null; consent_notice: string | null }> = await m.query(
      `SELECT bot_name, consent_notice FROM user_preferences WHERE user_id = $1`,
      [userId],
    );
    const prefs = rows[0];
    return {
      botName: prefs?.bot_name?.trim() || defaultBotName,
      options: prefs?.consent_notice?.trim() ? { consent: { noticeText: prefs.consent_notice.trim() } } : {},
    };
  }

  // ------------------------------------------------------------------ coverage settings

  async settingsFor(userId: string): Promise<{ user: Record<string, unknown> | null; team: { teamId: string; rules: Record<string, unknown> } | null }> {
    const [user, team] = await Promise.all([
      this.ds.query(`SELECT rules FROM calendar_settings WHERE user_id = $1`, [userId]) as Promise<Array<{ rules: Record<string, unknown> }>>,
      // Team defaults come from the user's oldest team membership that has settings.
      this.ds.query(
        `SELECT s.team_id AS "teamId", s.rules FROM team_memberships tm JOIN calendar_settings s ON s.team_id = tm.team_id
          WHERE tm.user_id = $1 ORDER BY tm.created_at, tm.team_id LIMIT 1`,
        [userId],
      ) as Promise<Array<{ teamId: string; rules: Record<string, unknown> }>>,
    ]);
    return { user: user[0]?.rules ?? null, team: team[0] ?? null };
  }

  async saveUserSettings(userId: string, rules: Record<string, unknown>): Promise<void> {
    await this.ds.query(
      `INSERT INTO calendar_settings (user_id, rules) VALUES ($1, $2)
       ON CONFLICT (user_id) WHERE user_id IS NOT NULL DO UPDATE SET rules = EXCLUDED.rules, updated_at = now()`,
      [userId, JSON.stringify(rules)],
    );
  }

  async saveTeamSettings(teamId: string, rules: Record<string, unknown>): Promise<void> {
    await this.ds.query(
      `INSERT INTO calendar_settings (team_id, rules) VALUES ($1, $2)
       ON CONFLICT (team_id) WHERE team_id IS NOT NULL DO UPDATE SET rules = EXCLUDED.rules, updated_at = now()`,
      [teamId, JSON.stringify(rules)],
    );
  }

  /** Members of a team (whose coverage changes when the team defaults do). */
  async teamMemberIds(teamId: string): Promise<string[]> {
    const rows: Array<{ user_id: string }> = await this.ds.query(`SELECT user_id FROM team_memberships WHERE team_id = $1`, [teamId]);
    return rows.map((r) => r.user_id);
  }

  async userEmail(userId: string): Promise<string | null> {
    const rows: Array<{ email: string }> = await this.ds.query(`SELECT email FROM users WHERE id = $1`, [userId]);
    return rows[0]?.email ?? null;
  }
}
