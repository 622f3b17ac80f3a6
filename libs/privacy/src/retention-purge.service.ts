import type { AuditRepository, MeetingsRepository } from '@rapport/database';
import type { BlobStore } from '@rapport/storage';
import { blobKeys } from '@rapport/storage';

export interface PurgeResult {
  meetingsDeleted: number;
  blobsDeleted: number;
}

/**
 * Deletes meetings older than their owner's retention period, with their recordings,
 * transcripts and analyses (rows cascade from meetings; blobs are removed first so a crash
 * in between leaves a row pointing at nothing rather than an orphaned recording).
 */
export class RetentionPurgeService {
  constructor(
    private readonly meetings: MeetingsRepository,
    private readonly audit: AuditRepository,
    private readonly blobs: BlobStore,
  ) {}

  async purge(now: Date = new Date(), batchSize = 200): Promise<PurgeResult> {
    const result: PurgeResult = { meetingsDeleted: 0, blobsDeleted: 0 };
    const perUser = new Map<string, number>();
    for (;;) {
      const batch = await this.meetings.findPastRetention(now, batchSize);
      if (!batch.length) break;
      for (const m of batch) {
        result.blobsDeleted += await this.blobs.deletePrefix(blobKeys.meetingPrefix(m.userId, m.id));
        if (await this.meetings.deleteById(m.id)) {
          result.meetingsDeleted++;
          perUser.set(m.userId, (perUser.get(m.userId) ?? 0) + 1);
        }
      }
      if (batch.length < batchSize) break;
    }
    for (const [userId, count] of perUser) {
      await this.audit.record(userId, 'retention_purge', { meetingsDeleted: count });
    }
    return result;
  }
}
