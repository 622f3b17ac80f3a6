import type { DataSource } from 'typeorm';
import type { BlobStore } from '@rapport/storage';
import { blobKeys } from '@rapport/storage';

/**
 * Delete-all-my-data. Order matters: the data key goes first (crypto-shredding: anything
 * missed, e.g. a backup or a stray replica, can no longer be decrypted), then blobs, then
 * rows (every user-owned table cascades from users). Safe to re-run after a crash.
 */
export class UserDeletionService {
  constructor(
    private readonly ds: DataSource,
    private readonly blobs: BlobStore,
  ) {}

  async deleteUser(userId: string): Promise<{ blobsDeleted: number }> {
    await this.ds.query('DELETE FROM user_keys WHERE user_id = $1', [userId]);
    const blobsDeleted = await this.blobs.deletePrefix(blobKeys.userPrefix(userId));
    await this.ds.transaction(async (m) => {
      await m.query('DELETE FROM users WHERE id = $1', [userId]);
      // A record that a deletion happened, without anything that identifies the person.
      await m.query(`INSERT INTO audit_log (user_id, action, details) VALUES (NULL, 'user_deleted', '{}'::jsonb)`);
    });
    return { blobsDeleted };
  }
}
