import type { DataSource, EntityManager } from 'typeorm';
import type { UserKeyStore, WrappedKey } from '@rapport/crypto';
import { UserKeyEntity } from '../entities';

/** Stores wrapped per-user data keys (implements the crypto lib's UserKeyStore port). */
export class UserKeysRepository implements UserKeyStore {
  constructor(private readonly ds: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.ds.manager).getRepository(UserKeyEntity);
  }

  async insert(userId: string, key: WrappedKey, m?: EntityManager): Promise<void> {
    await this.repo(m).insert({ userId, masterKeyId: key.masterKeyId, wrappedKey: key.wrapped });
  }

  async find(userId: string): Promise<WrappedKey | null> {
    const row = await this.repo().findOneBy({ userId });
    return row ? { masterKeyId: row.masterKeyId, wrapped: row.wrappedKey } : null;
  }

  async delete(userId: string, m?: EntityManager): Promise<void> {
    await this.repo(m).delete({ userId });
  }

  /** Keys not yet wrapped by `currentKeyId`, a page at a time (for master-key rotation). */
  async listNotWrappedBy(currentKeyId: string, limit: number): Promise<Array<{ userId: string; key: WrappedKey }>> {
    const rows = await this.repo()
      .createQueryBuilder('k')
      .where('k.master_key_id <> :id', { id: currentKeyId })
      .orderBy('k.user_id')
      .limit(limit)
      .getMany();
    return rows.map((r) => ({ userId: r.userId, key: { masterKeyId: r.masterKeyId, wrapped: r.wrappedKey } }));
  }

  /** Compare-and-set so a concurrent rotation cannot overwrite a newer wrap. */
  async replace(userId: string, from: WrappedKey, to: WrappedKey): Promise<boolean> {
    const res = await this.repo()
      .createQueryBuilder()
      .update()
      .set({ masterKeyId: to.masterKeyId, wrappedKey: to.wrapped, rotatedAt: () => 'now()' })
      .where('user_id = :userId AND master_key_id = :mk AND wrapped_key = :w', { userId, mk: from.masterKeyId, w: from.wrapped })
      .execute();
    return !!res.affected;
  }

  async countByMasterKey(): Promise<Record<string, number>> {
    const rows: Array<{ id: string; n: string }> = await this.repo()
      .createQueryBuilder('k')
      .select('k.master_key_id', 'id')
      .addSelect('count(*)', 'n')
      .groupBy('k.master_key_id')
      .getRawMany();
    return Object.fromEntries(rows.map((r) => [r.id, Number(r.n)]));
  }
}
