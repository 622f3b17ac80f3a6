import type { DataSource } from 'typeorm';
import { IsNull } from 'typeorm';
import { RefreshTokenEntity } from '../entities';

export class RefreshTokensRepository {
  constructor(private readonly ds: DataSource) {}

  private get repo() {
    return this.ds.getRepository(RefreshTokenEntity);
  }

  async insert(row: Pick<RefreshTokenEntity, 'userId' | 'familyId' | 'tokenHash' | 'expiresAt' | 'userAgent' | 'ip'>): Promise<void> {
    await this.repo.insert(row);
  }

  findByHash(tokenHash: Buffer): Promise<RefreshTokenEntity | null> {
    return this.repo.findOneBy({ tokenHash });
  }

  /** Atomically claims a token for rotation; false when it was already used (a replay). */
  async claim(id: string): Promise<boolean> {
    const res = await this.repo.update({ id, usedAt: IsNull(), revokedAt: IsNull() }, { usedAt: new Date() });
    return !!res.affected;
  }

  async revokeFamily(familyId: string): Promise<number> {
    const res = await this.repo.update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return res.affected ?? 0;
  }

  async revokeAllForUser(userId: string): Promise<number> {
    const res = await this.repo.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return res.affected ?? 0;
  }

  async deleteExpiredBefore(cutoff: Date): Promise<number> {
    const res = await this.repo.createQueryBuilder().delete().where('expires_at < :cutoff', { cutoff }).execute();
    return res.affected ?? 0;
  }
}
