import type { DataSource, EntityManager } from 'typeorm';
import {
  BOT_FINAL_STATUSES,
  BOT_LIVE_STATUSES,
  BotEntity,
  BotEventEntity,
  ConsentNoticeEntity,
  ConsentOptOutEntity,
  ConsentParticipantEntity,
  type BotRowStatus,
  type MeetingPlatformColumn,
} from '../entities';

export interface NewBotInput {
  platform: MeetingPlatformColumn;
  /** Canonical join URL from the link parser. */
  meetingUrl: string;
  platformMeetingId: string;
  dedupeKey: string;
  /** Title for a meeting row created here. */
  title: string;
  joinAt: Date;
  botName: string;
  options: Record<string, unknown>;
}

export type CreateBotResult =
  | { ok: true; bot: BotEntity; meetingId: string; meetingAdopted: boolean }
  | { ok: false; conflict: 'active_bot'; existingBotId: string; meetingId: string };

export type BotClaimResult =
  | { outcome: 'claimed'; bot: BotEntity }
  | { outcome: 'not_due'; joinAt: Date; dueInMs: number }
  | { outcome: 'gone' };

export type LeaveResult =
  | { outcome: 'cancelled'; bot: BotEntity }
  | { outcome: 'leave_requested'; bot: BotEntity }
  | { outcome: 'already_ended'; bot: BotEntity };

export interface BotEventInput {
  code: BotRowStatus;
  subCode: string | null;
  at: Date;
  details?: Record<string, unknown>;
}

export interface ConsentView {
  botId: string;
  channel: string;
  noticeText: string;
  postedAt: Date | null;
  participantsPresent: string[];
  platformDialogs: Array<{ text: string; at: string }>;
  recordingDeleted: boolean;
  lateJoiners: Array<{ name: string; seenAt: Date; notifiedAt: Date | null }>;
  optOuts: Array<{ participantName: string | null; messageText: string; at: Date }>;
}

/** The ledger the bot wrote (consent.json), as the hand-off imports it. */
export interface ConsentImport extends ConsentView {
  meetingId: string;
  userId: string;
}

const FINAL = BOT_FINAL_STATUSES.map((s) => `'${s}'`).join(', ');
const LIVE = BOT_LIVE_STATUSES.map((s) => `'${s}'`).join(', ');
const UNIQUE_VIOLATION = '23505';

/** Rows of an `UPDATE … RETURNING`: TypeORM's postgres driver answers `[rows, affected]` for UPDATE. */
async function updateReturning<T>(m: Pick<EntityManager, 'query'>, sql: string, params: unknown[]): Promise<T[]> {
  const result: unknown = await m.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e.driverError?.code ?? e.code;
  const name = e.driverError?.constraint ?? e.constraint;
  return code === UNIQUE_VIOLATION && name === constraint;
}

/**
 * Every query of the bot control plane. Owner-facing reads take the user id; the dispatch side
 * (scheduler, runner) works on bot ids it was handed by the queue or found by its own sweeps.
 * `bot_events` rows are written only here, together with the status they record.
 */
export class BotsRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Adopts (or creates) the canonical meeting for this link on the join day, then creates the
   * bot — in one transaction, serialised per meeting link by an advisory lock (and the adopted
   * meeting's row lock, which calendar planning takes too) so two simultaneous requests cannot
   * create two meetings or two bots. The meeting adopted is the user's own or one that any
   * user's calendar links to (one canonical meeting, one bot, across users); a caller who is
   * not its owner is linked to it (`meeting_consents`, source `ad_hoc_bot`) so they see it, also
   * when the answer is the conflict with its active bot.
   */
  async createWithMeeting(userId: string, input: NewBotInput): Promise<CreateBotResult> {
    try {
      return await this.ds.transaction(async (m) => {
        await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`bots:${input.dedupeKey}`]);
        const existing: Array<{ id: string; user_id: string }> = await m.query(
          `SELECT mt.id, mt.user_id FROM meetings mt
            WHERE mt.dedupe_key = $2
              AND (mt.user_id = $1 OR EXISTS (SELECT 1 FROM calendar_events ce WHERE ce.meeting_id = mt.id))
              AND (mt.scheduled_start AT TIME ZONE 'UTC')::date = ($3::timestamptz AT TIME ZONE 'UTC')::date
            ORDER BY abs(extract(epoch FROM mt.scheduled_start - $3::timestamptz)), (mt.user_id = $1) DESC, mt.created_at
            LIMIT 1
            FOR UPDATE OF mt`,
          [userId, input.dedupeKey, input.joinAt.toISOString()],
        );
        let meetingId = existing[0]?.id;
        if (existing[0] && existing[0].user_id !== userId) {
          await m.query(
            `INSERT INTO meeting_consents (meeting_id, user_id, source) VALUES ($1, $2, 'ad_hoc_bot')
             ON CONFLICT (meeting_id, user_id) DO NOTHING`,
            [existing[0].id, userId],
          );
        }
        const meetingAdopted = !!meetingId;
        if (!meetingId) {
          const rows: Array<{ id: string }> = await m.query(
            `INSERT INTO meetings (user_id, title, platform, meeting_url, platform_meeting_id, dedupe_key, scheduled_start)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
            [userId, input.title, input.platform, input.meetingUrl, input.platformMeetingId, input.dedupeKey, input.joinAt.toISOString()],
          );
          meetingId = rows[0].id;
        } else {
          // A calendar-synced row may lack the link; fill what is missing, keep what is there.
          await m.query(
            `UPDATE meetings SET platform = coalesce(platform, $2), meeting_url = coalesce(meeting_url, $3),
                    platform_meeting_id = coalesce(platform_meeting_id, $4)
              WHERE id = $1`,
            [meetingId, input.platform, input.meetingUrl, input.platformMeetingId],
          );
        }
        const active = await this.activeBotOfMeeting(m, meetingId);
        if (active) return { ok: false as const, conflict: 'active_bot' as const, existingBotId: active, meetingId };
        const bot = await m.getRepository(BotEntity).save({
          userId,
          meetingId,
          meetingUrl: input.meetingUrl,
          platform: input.platform,
          botName: input.botName,
          joinAt: input.joinAt,
          options: input.options,
          status: 'scheduled' as const,
          subCode: null,
          attempt: 0,
          recordingStored: false,
        });
        await this.insertEvent(m, bot.id, { code: 'scheduled', subCode: null, at: bot.createdAt, details: { joinAt: input.joinAt.toISOString() } });
        return { ok: true as const, bot, meetingId, meetingAdopted };
      });
    } catch (err) {
      // The partial unique index is the last line of defence (e.g. a calendar-created bot).
      if (isUniqueViolation(err, 'bots_one_active_per_meeting')) {
        const rows: Array<{ id: string; meeting_id: string }> = await this.ds.query(
          `SELECT b.id, b.meeting_id FROM bots b JOIN meetings m ON m.id = b.meeting_id
            WHERE m.dedupe_key = $2 AND b.status NOT IN (${FINAL})
              AND (m.user_id = $1 OR EXISTS (SELECT 1 FROM calendar_events ce WHERE ce.meeting_id = m.id))
            ORDER BY b.created_at DESC LIMIT 1`,
          [userId, input.dedupeKey],
        );
        if (rows[0]) {
          // The transaction that would have linked the caller rolled back: link them now.
          await this.ds.query(
            `INSERT INTO meeting_consents (meeting_id, user_id, source)
             SELECT id, $2, 'ad_hoc_bot' FROM meetings WHERE id = $1 AND user_id <> $2
             ON CONFLICT (meeting_id, user_id) DO NOTHING`,
            [rows[0].meeting_id, userId],
          );
          return { ok: false, conflict: 'active_bot', existingBotId: rows[0].id, meetingId: rows[0].meeting_id };
        }
      }
      throw err;
    }
  }

  private async activeBotOfMeeting(m: EntityManager, meetingId: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await m.query(`SELECT id FROM bots WHERE meeting_id = $1 AND status NOT IN (${FINAL}) LIMIT 1`, [meetingId]);
    return rows[0]?.id ?? null;
  }

  private async insertEvent(m: EntityManager, botId: string, e: BotEventInput): Promise<void> {
    await m.query(`INSERT INTO bot_events (bot_id, code, sub_code, at, details) VALUES ($1, $2, $3, $4, $5)`, [
      botId,
      e.code,
      e.subCode,
      e.at.toISOString(),
      JSON.stringify(e.details ?? {}),
    ]);
  }

  /** The user's bots, newest first; `before` is the last row of the previous page. */
  listForUser(userId: string, limit: number, before?: { createdAt: Date; id: string }): Promise<BotEntity[]> {
    const q = this.ds
      .getRepository(BotEntity)
      .createQueryBuilder('b')
      .where('b.user_id = :userId', { userId })
      .orderBy('b.created_at', 'DESC')
      .addOrderBy('b.id', 'DESC')
      .limit(limit);
    if (before) q.andWhere('(b.created_at, b.id) < (:createdAt, :id)', { createdAt: before.createdAt, id: before.id });
    return q.getMany();
  }

  findForUser(userId: string, id: string): Promise<BotEntity | null> {
    return this.ds.getRepository(BotEntity).findOneBy({ id, userId });
  }

  /** Events of one of the user's bots, oldest first; null when the bot is not theirs. */
  async eventsForUser(userId: string, botId: string): Promise<BotEventEntity[] | null> {
    if (!(await this.findForUser(userId, botId))) return null;
    return this.events(botId);
  }

  events(botId: string): Promise<BotEventEntity[]> {
    return this.ds.getRepository(BotEventEntity).find({ where: { botId }, order: { id: 'ASC' } });
  }

  /**
   * A scheduled bot is cancelled on the spot; a live one gets `leave_requested_at` (the runner
   * holding it polls for it, and is also told over pub/sub).
   */
  async requestLeave(userId: string, botId: string): Promise<LeaveResult | null> {
    return this.ds.transaction(async (m) => {
      const rows: BotEntity[] = await m.getRepository(BotEntity).find({ where: { id: botId, userId }, lock: { mode: 'pessimistic_write' } });
      const bot = rows[0];
      if (!bot) return null;
      if (bot.status === 'scheduled') {
        await m.query(`UPDATE bots SET status = 'cancelled', ended_at = now(), updated_at = now() WHERE id = $1`, [botId]);
        await this.insertEvent(m, botId, { code: 'cancelled', subCode: null, at: new Date(), details: { by: 'owner' } });
        return { outcome: 'cancelled', bot: (await m.getRepository(BotEntity).findOneByOrFail({ id: botId })) };
      }
      if ((BOT_FINAL_STATUSES as readonly string[]).includes(bot.status)) return { outcome: 'already_ended', bot };
      await m.query(`UPDATE bots SET leave_requested_at = coalesce(leave_requested_at, now()), updated_at = now() WHERE id = $1`, [botId]);
      return { outcome: 'leave_requested', bot: await m.getRepository(BotEntity).findOneByOrFail({ id: botId }) };
    });
  }

  // ------------------------------------------------------------------ dispatch side

  /** Scheduled bots joining before `until` (only those never enqueued, for the dispatch tick). */
  findScheduledBefore(until: Date, limit: number, opts: { undispatchedOnly?: boolean } = {}): Promise<BotEntity[]> {
    const q = this.ds
      .getRepository(BotEntity)
      .createQueryBuilder('b')
      .where(`b.status = 'scheduled'`)
      .andWhere('b.join_at <= :until', { until })
      .orderBy('b.join_at', 'ASC')
      .limit(limit);
    if (opts.undispatchedOnly) q.andWhere('b.dispatched_at IS NULL');
    return q.getMany();
  }

  async markDispatched(botIds: string[]): Promise<void> {
    if (!botIds.length) return;
    await this.ds.query(`UPDATE bots SET dispatched_at = now() WHERE id = ANY($1::uuid[]) AND status = 'scheduled'`, [botIds]);
  }

  /** The bot a queue job names (no owner: the job was produced from the row itself). */
  findForDispatch(botId: string): Promise<BotEntity | null> {
    return this.ds.getRepository(BotEntity).findOneBy({ id: botId });
  }

  /**
   * Atomically takes a scheduled bot for this runner whatever its join time; null when another
   * runner (or a cancel) won. The runner uses `claimDue`, which also checks the time.
   */
  async claim(botId: string, runnerId: string): Promise<BotEntity | null> {
    const rows = await updateReturning<{ id: string }>(
      this.ds,
      `UPDATE bots SET status = 'joining_call', runner_id = $2, attempt = attempt + 1, started_at = now(),
              heartbeat_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'scheduled'
        RETURNING id`,
      [botId, runnerId],
    );
    if (!rows.length) return null;
    return this.ds.getRepository(BotEntity).findOneByOrFail({ id: botId });
  }

  /**
   * Takes a scheduled bot for this runner only when it is due: `join_at - leadSec <= now()`. A
   * `bot.run` job is queued for the join time known then; when the meeting was rescheduled later
   * since (calendar move), the job fires early and the bot must wait: the answer is `not_due`
   * with how long until it is due (by the database's clock, like the check), so the caller can
   * queue it again. `gone`: cancelled, taken by another runner, or no such bot.
   */
  async claimDue(botId: string, runnerId: string, leadSec: number): Promise<BotClaimResult> {
    const rows = await updateReturning<{ id: string }>(
      this.ds,
      `UPDATE bots SET status = 'joining_call', runner_id = $2, attempt = attempt + 1, started_at = now(),
              heartbeat_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'scheduled' AND join_at - make_interval(secs => $3::double precision) <= now()
        RETURNING id`,
      [botId, runnerId, leadSec],
    );
    if (rows.length) return { outcome: 'claimed', bot: await this.ds.getRepository(BotEntity).findOneByOrFail({ id: botId }) };
    const waiting: Array<{ join_at: Date; due_in_ms: number | string }> = await this.ds.query(
      `SELECT join_at, ceil(extract(epoch FROM join_at - make_interval(secs => $2::double precision) - now()) * 1000) AS due_in_ms
         FROM bots WHERE id = $1 AND status = 'scheduled'`,
      [botId, leadSec],
    );
    const w = waiting[0];
    if (!w) return { outcome: 'gone' };
    return { outcome: 'not_due', joinAt: new Date(w.join_at), dueInMs: Math.max(0, Number(w.due_in_ms)) };
  }

  /**
   * Records one status change (already validated against the transition table by the caller)
   * unless the bot has reached a final status meanwhile (the reaper got there first). Returns
   * whether it was recorded.
   */
  async applyEvent(botId: string, e: BotEventInput): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const final = (BOT_FINAL_STATUSES as readonly string[]).includes(e.code);
      const rows = await updateReturning<{ id: string }>(
        m,
        `UPDATE bots SET status = $2, sub_code = coalesce($3, sub_code), updated_at = now(),
                ended_at = CASE WHEN $4::boolean THEN coalesce(ended_at, $5::timestamptz) ELSE ended_at END
          WHERE id = $1 AND status NOT IN (${FINAL})
          RETURNING id`,
        [botId, e.code, e.subCode, final, e.at.toISOString()],
      );
      if (!rows.length) return false;
      await this.insertEvent(m, botId, e);
      return true;
    });
  }

  /** Heartbeat for the bots this runner holds; returns the ids still held and live. */
  async heartbeat(runnerId: string, botIds: string[]): Promise<Array<{ id: string; leaveRequested: boolean }>> {
    if (!botIds.length) return [];
    const rows = await updateReturning<{ id: string; leave_requested_at: Date | null }>(
      this.ds,
      `UPDATE bots SET heartbeat_at = now()
        WHERE id = ANY($1::uuid[]) AND runner_id = $2 AND status IN (${LIVE})
        RETURNING id, leave_requested_at`,
      [botIds, runnerId],
    );
    return rows.map((r) => ({ id: r.id, leaveRequested: r.leave_requested_at !== null }));
  }

  /** Marks live bots silent since `silentSince` as `fatal/bot_errored`; returns their ids. */
  async reapSilent(silentSince: Date, limit = 100): Promise<Array<{ id: string; runnerId: string | null; meetingId: string }>> {
    return this.ds.transaction(async (m) => {
      const rows = await updateReturning<{ id: string; runner_id: string | null; meeting_id: string; heartbeat_at: Date | null }>(
        m,
        `UPDATE bots SET status = 'fatal', sub_code = 'bot_errored', ended_at = now(), updated_at = now()
          WHERE id IN (
            SELECT id FROM bots WHERE status IN (${LIVE}) AND heartbeat_at < $1 ORDER BY heartbeat_at LIMIT $2 FOR UPDATE SKIP LOCKED
          )
          RETURNING id, runner_id, meeting_id, heartbeat_at`,
        [silentSince.toISOString(), limit],
      );
      for (const r of rows) {
        await this.insertEvent(m, r.id, {
          code: 'fatal',
          subCode: 'bot_errored',
          at: new Date(),
          details: { reason: 'heartbeat_lost', runnerId: r.runner_id, lastHeartbeatAt: r.heartbeat_at ? new Date(r.heartbeat_at).toISOString() : null },
        });
      }
      return rows.map((r) => ({ id: r.id, runnerId: r.runner_id, meetingId: r.meeting_id }));
    });
  }

  /** Bots by id, for the runner's sweep of working folders it finds on disk. */
  findManyForDispatch(botIds: string[]): Promise<BotEntity[]> {
    if (!botIds.length) return Promise.resolve([]);
    return this.ds.getRepository(BotEntity).createQueryBuilder('b').where('b.id IN (:...botIds)', { botIds }).getMany();
  }

  async markRecordingStored(botId: string): Promise<void> {
    await this.ds.query(`UPDATE bots SET recording_stored = true, updated_at = now() WHERE id = $1`, [botId]);
  }

  // ------------------------------------------------------------------ consent ledger

  /** Imports one bot's consent.json; a second import for the same bot is a no-op. */
  async saveConsent(c: ConsentImport): Promise<void> {
    await this.ds.transaction(async (m) => {
      const inserted: Array<{ id: string }> = await m.query(
        `INSERT INTO consent_notices (meeting_id, bot_id, user_id, channel, notice_text, posted_at, participants_present, platform_dialogs, recording_deleted)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (bot_id) DO NOTHING RETURNING id`,
        [
          c.meetingId,
          c.botId,
          c.userId,
          c.channel,
          c.noticeText,
          c.postedAt?.toISOString() ?? null,
          JSON.stringify(c.participantsPresent),
          JSON.stringify(c.platformDialogs),
          c.recordingDeleted,
        ],
      );
      const noticeId = inserted[0]?.id;
      if (!noticeId) return;
      for (const p of c.lateJoiners) {
        await m.getRepository(ConsentParticipantEntity).insert({ noticeId, name: p.name, seenAt: p.seenAt, notifiedAt: p.notifiedAt });
      }
      for (const o of c.optOuts) {
        await m.getRepository(ConsentOptOutEntity).insert({ noticeId, participantName: o.participantName, messageText: o.messageText, at: o.at });
      }
    });
  }

  /**
   * The consent ledger of one of the user's meetings: every notice posted in it, whoever sent the
   * bot; null when the meeting is not theirs.
   */
  async consentForUser(userId: string, meetingId: string): Promise<ConsentView[] | null> {
    const owned: unknown[] = await this.ds.query(`SELECT 1 FROM meetings WHERE id = $1 AND user_id = $2`, [meetingId, userId]);
    if (!owned.length) return null;
    const notices = await this.ds.getRepository(ConsentNoticeEntity).find({ where: { meetingId }, order: { createdAt: 'ASC' } });
    const out: ConsentView[] = [];
    for (const n of notices) {
      const [late, optOuts] = await Promise.all([
        this.ds.getRepository(ConsentParticipantEntity).find({ where: { noticeId: n.id }, order: { seenAt: 'ASC' } }),
        this.ds.getRepository(ConsentOptOutEntity).find({ where: { noticeId: n.id }, order: { at: 'ASC' } }),
      ]);
      out.push({
        botId: n.botId,
        channel: n.channel,
        noticeText: n.noticeText,
        postedAt: n.postedAt,
        participantsPresent: n.participantsPresent,
        platformDialogs: n.platformDialogs,
        recordingDeleted: n.recordingDeleted,
        lateJoiners: late.map((p) => ({ name: p.name, seenAt: p.seenAt, notifiedAt: p.notifiedAt })),
        optOuts: optOuts.map((o) => ({ participantName: o.participantName, messageText: o.messageText, at: o.at })),
      });
    }
    return out;
  }

  /** Sets the meeting's duration from the stored recording. */
  async setMeetingDuration(meetingId: string, seconds: number): Promise<void> {
    await this.ds.query(`UPDATE meetings SET duration = $2 WHERE id = $1`, [meetingId, Math.round(seconds)]);
  }
}
