import type { DataSource } from 'typeorm';
import { TeamEntity, TeamMembershipEntity, type TeamMemberRole } from '../entities';

export interface TeamMemberView {
  userId: string;
  email: string;
  displayName: string | null;
  role: TeamMemberRole;
  joinedAt: Date;
}

export class TeamsRepository {
  constructor(private readonly ds: DataSource) {}

  async create(name: string): Promise<TeamEntity | null> {
    try {
      return await this.ds.getRepository(TeamEntity).save({ name });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') return null;
      throw err;
    }
  }

  listAll(): Promise<TeamEntity[]> {
    return this.ds.getRepository(TeamEntity).find({ order: { name: 'ASC' } });
  }

  findById(id: string): Promise<TeamEntity | null> {
    return this.ds.getRepository(TeamEntity).findOneBy({ id });
  }

  async delete(id: string): Promise<boolean> {
    return !!(await this.ds.getRepository(TeamEntity).delete({ id })).affected;
  }

  /** Teams the user belongs to, with their role in each. */
  async teamsOfUser(userId: string): Promise<Array<{ team: TeamEntity; role: TeamMemberRole }>> {
    const rows = await this.ds
      .getRepository(TeamMembershipEntity)
      .createQueryBuilder('m')
      .innerJoinAndMapOne('m.team', TeamEntity, 't', 't.id = m.team_id')
      .where('m.user_id = :userId', { userId })
      .orderBy('t.name')
      .getMany();
    return rows.map((r) => ({ team: (r as TeamMembershipEntity & { team: TeamEntity }).team, role: r.role }));
  }

  async upsertMember(teamId: string, userId: string, role: TeamMemberRole): Promise<void> {
    await this.ds.getRepository(TeamMembershipEntity).upsert({ teamId, userId, role }, ['teamId', 'userId']);
  }

  async removeMember(teamId: string, userId: string): Promise<boolean> {
    return !!(await this.ds.getRepository(TeamMembershipEntity).delete({ teamId, userId })).affected;
  }

  async roleIn(teamId: string, userId: string): Promise<TeamMemberRole | null> {
    const row = await this.ds.getRepository(TeamMembershipEntity).findOneBy({ teamId, userId });
    return row?.role ?? null;
  }

  /** Membership list only (who is in the team) — never any member's meeting data. */
  async members(teamId: string): Promise<TeamMemberView[]> {
    return this.ds.query(
      `SELECT u.id AS "userId", u.email, u.display_name AS "displayName", m.role, m.created_at AS "joinedAt"
         FROM team_memberships m JOIN users u ON u.id = m.user_id
        WHERE m.team_id = $1 ORDER BY m.role, u.email`,
      [teamId],
    );
  }
}
