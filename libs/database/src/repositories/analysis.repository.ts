import type { DataSource, EntityManager } from 'typeorm';
import {
  MeetingAnalysisEntity,
  MeetingEntity,
  MeetingTranscriptEntity,
  RecordingEntity,
  MeetingSpeakerEntity,
  NotificationEntity,
  PracticeModuleEntity,
  type PracticeDifficulty,
  type PracticeModuleType,
  type PracticeStatus,
} from '../entities';

/**
 * SQL condition: the user (a non-owner) is linked to the meeting and so sees their own view of
 * it (the meeting, its bot status, their own analysis; never the owner's transcript or
 * recording): they confirmed being one of its speakers, an event of their calendar links to it,
 * or they asked for a bot in it and found it already covered (a `meeting_consents` row).
 * `meeting` and `user` are SQL expressions (a column or a parameter).
 */
export function linkedToUser(meeting: string, user: string): string {
  return `(EXISTS (SELECT 1 FROM meeting_speakers ls WHERE ls.meeting_id = ${meeting} AND ls.user_id = ${user} AND ls.confirmed)
        OR EXISTS (SELECT 1 FROM calendar_events lce WHERE lce.meeting_id = ${meeting} AND lce.user_id = ${user})
        OR EXISTS (SELECT 1 FROM meeting_consents lmc WHERE lmc.meeting_id = ${meeting} AND lmc.user_id = ${user}))`;
}

export interface SpeakerInput {
  label: string;
  displayName: string;
  talkTimeSec: number;
}

export interface MeetingOwner {
  id: string;
  email: string;
  displayName: string | null;
}

export interface AnalysisInput {
  userId: string;
  speakerName: string;
  communicationScore: number;
  improvementAreas: unknown[];
  recommendations: string[];
  metrics: Record<string, unknown>;
}

export interface PracticeModuleInput {
  moduleType: PracticeModuleType;
  title: string;
  exercises: unknown[];
  estimatedDuration: number;
  difficulty: PracticeDifficulty;
}

export interface MeetingListItem {
  id: string;
  title: string;
  duration: number | null;
  createdAt: Date;
  isOwner: boolean;
  myScore: number | null;
  pipelineStatus: string | null;
}

export type ClaimResult = 'claimed' | 'not_found' | 'taken';

const norm = (s: string | null | undefined) => (s ?? '').trim().toLowerCase().replace(/\s+/g, ' ');

/** Whether a speaker's display name is this person (display name, email or its local part). */
export function nameMatchesUser(speakerName: string, user: { email: string; displayName: string | null }): boolean {
  const n = norm(speakerName);
  if (!n) return false;
  const email = norm(user.email);
  const local = email.split('@')[0]!.replace(/[._-]+/g, ' ');
  return n === norm(user.displayName) || n === email || n === local;
}

/**
 * Speakers, per-user analyses, practice modules and notifications. Writes that a pipeline step
 * replaces take the step's EntityManager so the whole replacement commits or none of it does.
 */
export class AnalysisRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  /**
   * Replaces a meeting's speakers. Claims survive a re-run by display name; the owner is
   * proposed (not confirmed) for the first speaker whose name matches theirs.
   */
  async replaceSpeakers(m: EntityManager, meetingId: string, owner: MeetingOwner, speakers: SpeakerInput[]): Promise<MeetingSpeakerEntity[]> {
    const repo = m.getRepository(MeetingSpeakerEntity);
    const previous = await repo.findBy({ meetingId });
    const byName = new Map(previous.filter((p) => p.userId).map((p) => [norm(p.displayName), p]));
    await repo.delete({ meetingId });
    const taken = new Set<string>();
    const rows = speakers.map((s) => {
      const prev = byName.get(norm(s.displayName));
      let userId: string | null = null;
      let confirmed = false;
      if (prev?.userId && !taken.has(prev.userId)) {
        userId = prev.userId;
        confirmed = prev.confirmed;
      }
      if (userId) taken.add(userId);
      return { meetingId, speakerLabel: s.label, displayName: s.displayName, talkTimeSec: s.talkTimeSec, userId, confirmed };
    });
    if (!taken.has(owner.id)) {
      const match = rows.find((r) => !r.userId && nameMatchesUser(r.displayName, owner));
      if (match) match.userId = owner.id;
    }
    if (rows.length) await repo.insert(rows);
    return repo.find({ where: { meetingId }, order: { speakerLabel: 'ASC' } });
  }

  listSpeakers(meetingId: string): Promise<MeetingSpeakerEntity[]> {
    return this.ds.getRepository(MeetingSpeakerEntity).find({ where: { meetingId }, order: { speakerLabel: 'ASC' } });
  }

  /** "That's me": the user becomes this speaker (and stops being any other of the meeting). */
  claimSpeaker(meetingId: string, label: string, userId: string): Promise<ClaimResult> {
    return this.ds.transaction(async (m) => {
      const repo = m.getRepository(MeetingSpeakerEntity);
      const row = await repo.createQueryBuilder('s').setLock('pessimistic_write').where('s.meeting_id = :meetingId AND s.speaker_label = :label', { meetingId, label }).getOne();
      if (!row) return 'not_found';
      if (row.confirmed && row.userId !== userId) return 'taken';
      await m.query(`UPDATE meeting_speakers SET user_id = NULL, confirmed = false, updated_at = now() WHERE meeting_id = $1 AND user_id = $2 AND speaker_label <> $3`, [meetingId, userId, label]);
      await repo.update({ meetingId, speakerLabel: label }, { userId, confirmed: true });
      return 'claimed';
    });
  }

  /**
   * Upserts one analysis per user (unique meeting_id, user_id) and removes the analyses (and
   * their practice modules) of users no longer mapped to a speaker. Returns id by user.
   */
  async replaceAnalyses(m: EntityManager, meetingId: string, rows: AnalysisInput[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const r of rows) {
      const [{ id }] = (await m.query(
        `INSERT INTO meeting_analyses (meeting_id, user_id, speaker_name, communication_score, improvement_areas, recommendations, metrics)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6::text[], $7::jsonb)
         ON CONFLICT (meeting_id, user_id) DO UPDATE SET
           speaker_name = EXCLUDED.speaker_name, communication_score = EXCLUDED.communication_score,
           improvement_areas = EXCLUDED.improvement_areas, recommendations = EXCLUDED.recommendations,
           metrics = EXCLUDED.metrics, created_at = now()
         RETURNING id`,
        [meetingId, r.userId, r.speakerName, r.communicationScore, JSON.stringify(r.improvementAreas), r.recommendations, JSON.stringify(r.metrics)],
      )) as Array<{ id: string }>;
      ids.set(r.userId, id);
    }
    const keep = [...ids.values()];
    await m.query(
      `DELETE FROM practice_modules WHERE source_analysis_id IN (SELECT id FROM meeting_analyses WHERE meeting_id = $1 AND NOT (id = ANY($2::uuid[])))`,
      [meetingId, keep],
    );
    await m.query(`DELETE FROM meeting_analyses WHERE meeting_id = $1 AND NOT (id = ANY($2::uuid[]))`, [meetingId, keep]);
    return ids;
  }

  analysesOfMeeting(meetingId: string): Promise<MeetingAnalysisEntity[]> {
    return this.ds.getRepository(MeetingAnalysisEntity).find({ where: { meetingId }, order: { userId: 'ASC' } });
  }

  findAnalysisForUser(userId: string, meetingId: string): Promise<MeetingAnalysisEntity | null> {
    return this.ds.getRepository(MeetingAnalysisEntity).findOneBy({ userId, meetingId });
  }

  /**
   * Replaces the practice modules built from one analysis. Progress (status, attempts) carries
   * over to the new module of the same type, so a re-analysis does not reset someone's work.
   */
  async replacePracticeModules(m: EntityManager, analysisId: string, userId: string, modules: PracticeModuleInput[]): Promise<number> {
    const repo = m.getRepository(PracticeModuleEntity);
    const old = await repo.findBy({ sourceAnalysisId: analysisId, userId });
    const progress = new Map(old.map((o) => [o.moduleType, o]));
    await repo.delete({ sourceAnalysisId: analysisId, userId });
    if (!modules.length) return 0;
    await repo.save(
      modules.map((mod) => {
        const p = progress.get(mod.moduleType);
        return repo.create({
          userId,
          sourceAnalysisId: analysisId,
          ...mod,
          status: p?.status ?? 'not_started',
          attempts: p?.attempts ?? 0,
          completedAt: p?.completedAt ?? null,
        });
      }),
    );
    return modules.length;
  }

  listPracticeForUser(userId: string, limit = 100): Promise<PracticeModuleEntity[]> {
    return this.ds.getRepository(PracticeModuleEntity).find({ where: { userId }, order: { createdAt: 'DESC', moduleType: 'ASC' }, take: limit });
  }

  practiceOfAnalysis(userId: string, analysisId: string): Promise<PracticeModuleEntity[]> {
    return this.ds.getRepository(PracticeModuleEntity).find({ where: { userId, sourceAnalysisId: analysisId }, order: { moduleType: 'ASC' } });
  }

  /** Applies a progress update atomically; null when the module is not the user's. */
  async updatePracticeProgress(
    userId: string,
    id: string,
    change: { status?: Exclude<PracticeStatus, 'not_started'>; attemptIncrement?: number },
  ): Promise<PracticeModuleEntity | null> {
    const rows = (await this.ds.query(
      `UPDATE practice_modules SET
         status = CASE
           WHEN $3::practice_status IS NOT NULL AND NOT (status = 'completed' AND $3::practice_status = 'started') THEN $3::practice_status
           WHEN $4::int > 0 AND status = 'not_started' THEN 'started'::practice_status
           ELSE status END,
         attempts = attempts + $4::int,
         completed_at = CASE WHEN $3::practice_status = 'completed' THEN COALESCE(completed_at, now()) ELSE completed_at END
       WHERE id = $1 AND user_id = $2
       RETURNING id`,
      [id, userId, change.status ?? null, change.attemptIncrement ?? 0],
    )) as [Array<{ id: string }>, number];
    if (!rows[0].length) return null;
    return this.ds.getRepository(PracticeModuleEntity).findOneBy({ id, userId });
  }

  async upsertNotification(m: EntityManager, n: { userId: string; meetingId: string; kind: string; payload: Record<string, unknown> }): Promise<void> {
    await m.query(
      `INSERT INTO notifications (user_id, meeting_id, kind, payload) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (user_id, meeting_id, kind) DO UPDATE SET payload = EXCLUDED.payload, read_at = NULL, created_at = now()`,
      [n.userId, n.meetingId, n.kind, JSON.stringify(n.payload)],
    );
  }

  listNotificationsForUser(userId: string, limit = 50): Promise<NotificationEntity[]> {
    return this.ds.getRepository(NotificationEntity).find({ where: { userId }, order: { createdAt: 'DESC' }, take: limit });
  }

  async markNotificationRead(userId: string, id: string): Promise<boolean> {
    const res = await this.ds.getRepository(NotificationEntity).createQueryBuilder().update().set({ readAt: () => 'now()' }).where('id = :id AND user_id = :userId', { id, userId }).execute();
    return !!res.affected;
  }

  /** System-level read for the pipeline (jobs carry only ids; the owner comes from the row). */
  meetingById(meetingId: string): Promise<MeetingEntity | null> {
    return this.ds.getRepository(MeetingEntity).findOneBy({ id: meetingId });
  }

  recordingOf(meetingId: string): Promise<RecordingEntity | null> {
    return this.ds.getRepository(RecordingEntity).findOneBy({ meetingId });
  }

  findRecordingForUser(userId: string, meetingId: string): Promise<RecordingEntity | null> {
    return this.ds.getRepository(RecordingEntity).findOneBy({ userId, meetingId });
  }

  transcriptOf(meetingId: string): Promise<MeetingTranscriptEntity | null> {
    return this.ds.getRepository(MeetingTranscriptEntity).findOneBy({ meetingId });
  }

  async saveTranscript(m: EntityManager, row: Pick<MeetingTranscriptEntity, 'meetingId' | 'userId' | 'ciphertext' | 'source'>): Promise<void> {
    await m.query(
      `INSERT INTO meeting_transcripts (meeting_id, user_id, ciphertext, source) VALUES ($1, $2, $3, $4)
       ON CONFLICT (meeting_id) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, source = EXCLUDED.source, created_at = now()`,
      [row.meetingId, row.userId, row.ciphertext, row.source],
    );
  }

  async setMeetingDurationIfUnknown(meetingId: string, seconds: number): Promise<void> {
    await this.ds.query(`UPDATE meetings SET duration = $2 WHERE id = $1 AND duration IS NULL`, [meetingId, Math.max(0, Math.round(seconds))]);
  }

  /** The meeting, when the user owns it or is a confirmed speaker of it. */
  async findAccessibleMeeting(userId: string, meetingId: string): Promise<{ meeting: MeetingEntity; isOwner: boolean } | null> {
    const meeting = await this.ds.getRepository(MeetingEntity).findOneBy({ id: meetingId });
    if (!meeting) return null;
    if (meeting.userId === userId) return { meeting, isOwner: true };
    const linked: unknown[] = await this.ds.query(`SELECT 1 WHERE ${linkedToUser('$1', '$2')}`, [meetingId, userId]);
    return linked.length ? { meeting, isOwner: false } : null;
  }

  /** Meetings the user owns or is linked to (see `linkedToUser`), newest first, with their score. */
  async listMeetingsForUser(userId: string, limit: number, before?: { createdAt: Date; id: string }): Promise<MeetingListItem[]> {
    return this.ds.query(
      `SELECT m.id, m.title, m.duration, m.created_at AS "createdAt", (m.user_id = $1) AS "isOwner",
              a.communication_score AS "myScore", r.status AS "pipelineStatus"
         FROM meetings m
         LEFT JOIN meeting_analyses a ON a.meeting_id = m.id AND a.user_id = $1
         LEFT JOIN LATERAL (SELECT status FROM pipeline_runs pr WHERE pr.meeting_id = m.id ORDER BY pr.created_at DESC LIMIT 1) r ON true
        WHERE (m.user_id = $1 OR ${linkedToUser('m.id', '$1')})
          AND ($2::timestamptz IS NULL OR (m.created_at, m.id) < ($2::timestamptz, $3::uuid))
        ORDER BY m.created_at DESC, m.id DESC
        LIMIT $4`,
      [userId, before?.createdAt.toISOString() ?? null, before?.id ?? '00000000-0000-0000-0000-000000000000', limit],
    );
  }
}
