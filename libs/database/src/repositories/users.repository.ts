import type { DataSource, EntityManager } from 'typeorm';
import { UserEntity, type UserRole } from '../entities';

export interface NewUser {
  email: string;
  passwordHash: string;
  role?: UserRole;
  retentionDays: number | null;
}

export class UsersRepository {
  constructor(private readonly ds: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.ds.manager).getRepository(UserEntity);
  }

  /** Returns null when the email is taken (unique violation), so callers answer 409. */
  async create(user: NewUser, m?: EntityManager): Promise<UserEntity | null> {
    const rows = await this.repo(m)
      .createQueryBuilder()
      .insert()
      .values({ email: user.email, passwordHash: user.passwordHash, role: user.role ?? 'individual', retentionDays: user.retentionDays })
      .orIgnore()
      .returning('*')
      .execute();
    if (!rows.identifiers.length || !rows.identifiers[0]) return null;
    return this.repo(m).findOneByOrFail({ id: (rows.identifiers[0] as { id: string }).id });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.repo().findOneBy({ id });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.repo().findOneBy({ email });
  }

  async update(id: string, patch: Partial<Pick<UserEntity, 'email' | 'passwordHash' | 'displayName' | 'retentionDays' | 'role'>>): Promise<'ok' | 'email_taken' | 'not_found'> {
    try {
      const res = await this.repo().update({ id }, patch);
      return res.affected ? 'ok' : 'not_found';
    } catch (err) {
      if ((err as { code?: string }).code === '23505') return 'email_taken';
      throw err;
    }
  }

  async delete(id: string, m?: EntityManager): Promise<boolean> {
    const res = await this.repo(m).delete({ id });
    return !!res.affected;
  }
}
