import type { DataSource, EntityManager } from 'typeorm';
import { MeetingAnalysisEntity, MeetingEntity, MeetingTranscriptEntity, PracticeModuleEntity, RecordingEntity } from '../entities';

export interface ExpiredMeeting {
  id: string;
  userId: string;
  storageKey: string | null;
}

export class MeetingsRepository {
  constructor(private readonly ds: DataSource) {}

  create(userId: string, title: string, duration: number | null = null, createdAt?: Date): Promise<MeetingEntity> {
    return this.ds.getRepository(MeetingEntity).save({ userId, title, duration, ...(createdAt ? { createdAt } : {}) });
  }

  listForUser(userId: string, limit = 100, before?: Date): Promise<MeetingEntity[]> {
    const q = this.ds
      .getRepository(MeetingEntity)
      .createQueryBuilder('m')
      .where('m.user_id = :userId', { userId })
      .orderBy('m.created_at', 'DESC')
      .limit(limit);
    if (before) q.andWhere('m.created_at < :before', { before });
    return q.getMany();
  }

  /** The meeting's owner: whose key its recording and transcript are encrypted with. Null if deleted. */
  async ownerOf(meetingId: string): Promise<string | null> {
    const row = await this.ds.getRepository(MeetingEntity).findOne({ where: { id: meetingId }, select: { userId: true } });
    return row?.userId ?? null;
  }

  findForUser(userId: string, id: string): Promise<MeetingEntity | null> {
    return this.ds.getRepository(MeetingEntity).findOneBy({ id, userId });
  }

  /** Meetings older than their owner's retention period (users with "keep" are skipped). */
  findPastRetention(now: Date, limit: number): Promise<ExpiredMeeting[]> {
    return this.ds.query(
      `SELECT m.id, m.user_id AS "userId", r.storage_key AS "storageKey"
         FROM meetings m
         JOIN users u ON u.id = m.user_id
         LEFT JOIN recordings r ON r.meeting_id = m.id
        WHERE u.retention_days IS NOT NULL
          AND m.created_at < $1::timestamptz - make_interval(days => u.retention_days)
        ORDER BY m.created_at
        LIMIT $2`,
      [now.toISOString(), limit],
    );
  }

  async deleteById(id: string, m?: EntityManager): Promise<boolean> {
    return !!(await (m ?? this.ds.manager).getRepository(MeetingEntity).delete({ id })).affected;
  }

  recordingsOfUser(userId: string): Promise<RecordingEntity[]> {
    return this.ds.getRepository(RecordingEntity).findBy({ userId });
  }

  async saveTranscript(row: Pick<MeetingTranscriptEntity, 'meetingId' | 'userId' | 'ciphertext' | 'source'>): Promise<void> {
    await this.ds.getRepository(MeetingTranscriptEntity).upsert(row, ['meetingId']);
  }

  findTranscriptForUser(userId: string, meetingId: string): Promise<MeetingTranscriptEntity | null> {
    return this.ds.getRepository(MeetingTranscriptEntity).findOneBy({ userId, meetingId });
  }

  async saveRecording(row: Pick<RecordingEntity, 'meetingId' | 'userId' | 'storageKey' | 'contentType' | 'byteSize' | 'durationSec'>): Promise<void> {
    await this.ds.getRepository(RecordingEntity).upsert(row, ['meetingId']);
  }

  /** Everything about a user's meetings for the data export (ciphertexts are decrypted by the caller). */
  async exportForUser(userId: string) {
    const [meetings, transcripts, recordings, analyses, practice] = await Promise.all([
      this.ds.getRepository(MeetingEntity).find({ where: { userId }, order: { createdAt: 'ASC' } }),
      this.ds.getRepository(MeetingTranscriptEntity).findBy({ userId }),
      this.ds.getRepository(RecordingEntity).findBy({ userId }),
      this.ds.getRepository(MeetingAnalysisEntity).find({ where: { userId }, order: { createdAt: 'ASC' } }),
      this.ds.getRepository(PracticeModuleEntity).find({ where: { userId }, order: { createdAt: 'ASC' } }),
    ]);
    return { meetings, transcripts, recordings, analyses, practice };
  }
}
