import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface MeetingRow {
  id: string;
  title: string;
  platform: string | null;
  duration: number | null;
  createdAt: Date;
  isOwner: boolean;
  myScore: number | null;
  botId: string | null;
  botStatus: string | null;
  botSubCode: string | null;
  botUpdatedAt: Date | null;
  /** Latest analysis run: queued, running, completed or failed; null before the first. */
  pipelineStatus: string | null;
  /** When the latest analysis run finished (completed or failed); null while it runs. */
  pipelineFinishedAt: Date | null;
}

export interface AnalysisRow {
  id: string;
  speakerName: string | null;
  score: number;
  improvementAreas: unknown;
  recommendations: string[];
  metrics: Record<string, unknown>;
}

export interface SpeakerRow {
  label: string;
  name: string;
  userId: string | null;
  talkTimeSec: number;
}

export interface ConsentRow {
  id: string;
  channel: string;
  noticeText: string;
  postedAt: Date | null;
  recordingDeleted: boolean;
  participantsPresent: unknown;
}

export interface TrendRow {
  meetingId: string;
  title: string;
  date: Date;
  score: number;
  metrics: Record<string, unknown>;
}

export interface PracticeRow {
  id: string;
  moduleType: string;
  title: string;
  difficulty: string;
  estimatedDuration: number;
  status: string;
  attempts: number;
  completedAt: Date | null;
  createdAt: Date;
  exercises: unknown;
  sourceMeetingId: string | null;
}

export interface PreferencesRow {
  botName: string | null;
  consentNotice: string | null;
  notifyReportReady: boolean;
  notifyWeeklyDigest: boolean;
  onboardedAt: Date | null;
}

export interface MembershipRow {
  teamId: string;
  teamName: string;
  role: 'lead' | 'member';
  shareIndividualMetrics: boolean;
}

/**
 * Meetings visible to a user: the ones they own and the ones they are linked to — a confirmed
 * speaker, an event of their calendar, or a bot request that found the meeting covered (the
 * same rule as the REST meetings API, `linkedToUser` / AnalysisRepository.findAccessibleMeeting).
 */
const VISIBLE = `(SELECT id FROM meetings WHERE user_id = $1
   UNION SELECT meeting_id FROM meeting_speakers WHERE user_id = $1 AND confirmed
   UNION SELECT meeting_id FROM calendar_events WHERE user_id = $1 AND meeting_id IS NOT NULL
   UNION SELECT meeting_id FROM meeting_consents WHERE user_id = $1)`;

/** The meeting's bot (whoever sent it: one bot serves everyone linked), the active one first. */
const MEETING_BOT = `LEFT JOIN LATERAL (
           SELECT id, status, sub_code, updated_at FROM bots
            WHERE meeting_id = m.id ORDER BY (status NOT IN ('done', 'fatal', 'cancelled')) DESC, created_at DESC LIMIT 1) b ON true`;

/** One meeting row as the dashboard lists it: my score, the meeting's bot, its latest pipeline run ($1 = me). */
const MEETING_ROW_FROM = `SELECT m.id, m.title, m.platform::text AS platform, m.duration, m.created_at AS "createdAt",
              (m.user_id = $1) AS "isOwner", a.communication_score AS "myScore",
              b.id AS "botId", b.status::text AS "botStatus", b.sub_code AS "botSubCode", b.updated_at AS "botUpdatedAt",
              r.status AS "pipelineStatus", r.finished_at AS "pipelineFinishedAt"
         FROM meetings m
         LEFT JOIN meeting_analyses a ON a.meeting_id = m.id AND a.user_id = $1
         ${MEETING_BOT}
         LEFT JOIN LATERAL (
           SELECT status, finished_at FROM pipeline_runs WHERE meeting_id = m.id ORDER BY created_at DESC LIMIT 1) r ON true`;

/**
 * Every read the dashboard's GraphQL queries make. The caller's id is the first parameter of
 * each query, so no method can return another person's rows.
 */
@Injectable()
export class DashboardRepository {
  constructor(private readonly ds: DataSource) {}

  listMeetings(userId: string, limit: number, before: Date | null): Promise<MeetingRow[]> {
    return this.ds.query(
      `${MEETING_ROW_FROM}
        WHERE m.id IN ${VISIBLE} AND ($3::timestamptz IS NULL OR m.created_at < $3)
        ORDER BY m.created_at DESC
        LIMIT $2`,
      [userId, limit, before?.toISOString() ?? null],
    );
  }

  async findMeeting(userId: string, meetingId: string): Promise<MeetingRow | null> {
    const rows: MeetingRow[] = await this.ds.query(
      `${MEETING_ROW_FROM}
        WHERE m.id = $2 AND m.id IN ${VISIBLE}`,
      [userId, meetingId],
    );
    return rows[0] ?? null;
  }

  async myAnalysis(userId: string, meetingId: string): Promise<AnalysisRow | null> {
    const rows: AnalysisRow[] = await this.ds.query(
      `SELECT id, speaker_name AS "speakerName", communication_score AS score, improvement_areas AS "improvementAreas",
              recommendations, metrics
         FROM meeting_analyses WHERE user_id = $1 AND meeting_id = $2`,
      [userId, meetingId],
    );
    return rows[0] ?? null;
  }

  /** Talk time of every speaker; only for meetings the caller can see (checked in the query). */
  speakers(userId: string, meetingId: string): Promise<SpeakerRow[]> {
    return this.ds.query(
      `SELECT speaker_label AS label, display_name AS name, user_id AS "userId", talk_time_sec AS "talkTimeSec"
         FROM meeting_speakers
        WHERE meeting_id = $2 AND meeting_id IN ${VISIBLE}
        ORDER BY talk_time_sec DESC, speaker_label`,
      [userId, meetingId],
    );
  }

  /**
   * The consent ledger is the meeting owner's: every notice any bot posted in the meeting, whoever
   * sent that bot (an invitee's bot serves the owner's canonical meeting too).
   */
  consent(ownerId: string, meetingId: string): Promise<ConsentRow[]> {
    return this.ds.query(
      `SELECT n.id, n.channel, n.notice_text AS "noticeText", n.posted_at AS "postedAt", n.recording_deleted AS "recordingDeleted",
              n.participants_present AS "participantsPresent"
         FROM consent_notices n JOIN meetings m ON m.id = n.meeting_id
        WHERE m.user_id = $1 AND n.meeting_id = $2 ORDER BY n.created_at`,
      [ownerId, meetingId],
    );
  }

  consentParticipants(noticeIds: string[]): Promise<Array<{ noticeId: string; name: string; seenAt: Date; notifiedAt: Date | null }>> {
    if (!noticeIds.length) return Promise.resolve([]);
    return this.ds.query(
      `SELECT notice_id AS "noticeId", name, seen_at AS "seenAt", notified_at AS "notifiedAt" FROM consent_participants WHERE notice_id = ANY($1::uuid[]) ORDER BY seen_at`,
      [noticeIds],
    );
  }

  consentOptOuts(noticeIds: string[]): Promise<Array<{ noticeId: string; participantName: string | null; message: string; at: Date }>> {
    if (!noticeIds.length) return Promise.resolve([]);
    return this.ds.query(
      `SELECT notice_id AS "noticeId", participant_name AS "participantName", message_text AS message, at
         FROM consent_opt_outs WHERE notice_id = ANY($1::uuid[]) ORDER BY at`,
      [noticeIds],
    );
  }

  async artefacts(ownerId: string, meetingId: string): Promise<{ hasTranscript: boolean; hasRecording: boolean }> {
    const rows: Array<{ t: boolean; r: boolean }> = await this.ds.query(
      `SELECT EXISTS (SELECT 1 FROM meeting_transcripts WHERE meeting_id = $2 AND user_id = $1) AS t,
              EXISTS (SELECT 1 FROM recordings WHERE meeting_id = $2 AND user_id = $1) AS r`,
      [ownerId, meetingId],
    );
    return { hasTranscript: !!rows[0]?.t, hasRecording: !!rows[0]?.r };
  }

  trends(userId: string, since: Date): Promise<TrendRow[]> {
    return this.ds.query(
      `SELECT m.id AS "meetingId", m.title, m.created_at AS date, a.communication_score AS score, a.metrics
         FROM meeting_analyses a JOIN meetings m ON m.id = a.meeting_id
        WHERE a.user_id = $1 AND m.created_at >= $2
        ORDER BY m.created_at`,
      [userId, since.toISOString()],
    );
  }

  practiceModules(userId: string): Promise<PracticeRow[]> {
    return this.ds.query(
      `SELECT p.id, p.module_type::text AS "moduleType", p.title, p.difficulty::text AS difficulty,
              p.estimated_duration AS "estimatedDuration", p.status::text AS status, p.attempts,
              p.completed_at AS "completedAt", p.created_at AS "createdAt", p.exercises, a.meeting_id AS "sourceMeetingId"
         FROM practice_modules p LEFT JOIN meeting_analyses a ON a.id = p.source_analysis_id
        WHERE p.user_id = $1
        ORDER BY (p.status = 'completed'), p.created_at DESC`,
      [userId],
    );
  }

  async preferences(userId: string): Promise<PreferencesRow | null> {
    const rows: PreferencesRow[] = await this.ds.query(
      `SELECT bot_name AS "botName", consent_notice AS "consentNotice", notify_report_ready AS "notifyReportReady",
              notify_weekly_digest AS "notifyWeeklyDigest", onboarded_at AS "onboardedAt"
         FROM user_preferences WHERE user_id = $1`,
      [userId],
    );
    return rows[0] ?? null;
  }

  /** Upsert of the given fields only; `undefined` leaves a field as it is, `null` resets it. */
  async savePreferences(userId: string, patch: Partial<PreferencesRow>): Promise<void> {
    const cols: Record<keyof PreferencesRow, string> = {
      botName: 'bot_name',
      consentNotice: 'consent_notice',
      notifyReportReady: 'notify_report_ready',
      notifyWeeklyDigest: 'notify_weekly_digest',
      onboardedAt: 'onboarded_at',
    };
    const entries = (Object.keys(cols) as Array<keyof PreferencesRow>).filter((k) => patch[k] !== undefined);
    const names = entries.map((k) => cols[k]);
    const values = entries.map((k) => patch[k]);
    const placeholders = entries.map((_, i) => `$${i + 2}`);
    const updates = names.map((n) => `${n} = EXCLUDED.${n}`).concat('updated_at = now()');
    await this.ds.query(
      `INSERT INTO user_preferences (user_id${names.map((n) => `, ${n}`).join('')})
       VALUES ($1${placeholders.map((p) => `, ${p}`).join('')})
       ON CONFLICT (user_id) DO UPDATE SET ${updates.join(', ')}`,
      [userId, ...values],
    );
  }

  memberships(userId: string): Promise<MembershipRow[]> {
    return this.ds.query(
      `SELECT t.id AS "teamId", t.name AS "teamName", m.role::text AS role, m.share_individual_metrics AS "shareIndividualMetrics"
         FROM team_memberships m JOIN teams t ON t.id = m.team_id
        WHERE m.user_id = $1 ORDER BY t.name`,
      [userId],
    );
  }

  async setShareIndividualMetrics(userId: string, teamId: string, share: boolean): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [, affected] = (await this.ds.query(
      `UPDATE team_memberships SET share_individual_metrics = $3 WHERE user_id = $1 AND team_id = $2`,
      [userId, teamId, share],
    )) as [unknown[], number];
    return affected > 0;
  }
}
