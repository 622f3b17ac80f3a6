import { Injectable } from '@nestjs/common';
import { AppError } from '@rapport/common';
import { AuditRepository, TeamsRepository, UsersRepository, type TeamMemberRole, type UserRole } from '@rapport/database';
import type { AuthUser } from '../common/auth.decorators';

/** Admins manage teams and roles; leads see who is in their teams (never members' data). */
@Injectable()
export class TeamsService {
  constructor(
    private readonly teams: TeamsRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
  ) {}

  async create(admin: AuthUser, name: string) {
    const team = await this.teams.create(name);
    if (!team) throw new AppError('conflict', 'team_name_taken', `A team named "${name}" already exists`);
    await this.audit.record(admin.id, 'team_created', { teamId: team.id });
    return team;
  }

  async list(user: AuthUser) {
    if (user.role === 'admin') return (await this.teams.listAll()).map((t) => ({ ...t, myRole: null }));
    return (await this.teams.teamsOfUser(user.id)).map((t) => ({ ...t.team, myRole: t.role }));
  }

  async members(user: AuthUser, teamId: string) {
    await this.mustFindTeam(teamId);
    if (user.role !== 'admin' && (await this.teams.roleIn(teamId, user.id)) !== 'lead') {
      throw new AppError('forbidden', 'not_team_lead', 'Only admins and leads of this team can list its members');
    }
    return this.teams.members(teamId);
  }

  async addMember(admin: AuthUser, teamId: string, email: string, role: TeamMemberRole) {
    await this.mustFindTeam(teamId);
    const member = await this.users.findByEmail(email);
    if (!member) throw new AppError('not_found', 'user_not_found', `No user with email ${email}; they must sign up first`);
    await this.teams.upsertMember(teamId, member.id, role);
    // A team lead needs the global team_lead role to reach the lead dashboards.
    if (role === 'lead' && member.role === 'individual') await this.users.update(member.id, { role: 'team_lead' });
    await this.audit.record(admin.id, 'team_member_set', { teamId, memberId: member.id, role });
    return this.teams.members(teamId);
  }

  async removeMember(admin: AuthUser, teamId: string, userId: string) {
    await this.mustFindTeam(teamId);
    if (!(await this.teams.removeMember(teamId, userId))) throw new AppError('not_found', 'member_not_found', 'That user is not in this team');
    await this.audit.record(admin.id, 'team_member_removed', { teamId, memberId: userId });
  }

  async deleteTeam(admin: AuthUser, teamId: string) {
    if (!(await this.teams.delete(teamId))) throw new AppError('not_found', 'team_not_found', 'No such team');
    await this.audit.record(admin.id, 'team_deleted', { teamId });
  }

  async setRole(admin: AuthUser, userId: string, role: UserRole) {
    if (admin.id === userId && role !== 'admin') throw new AppError('bad_request', 'cannot_demote_self', 'Admins cannot remove their own admin role; ask another admin');
    const res = await this.users.update(userId, { role });
    if (res === 'not_found') throw new AppError('not_found', 'user_not_found', 'No such user');
    await this.audit.record(admin.id, 'role_changed', { userId, role });
    return { id: userId, role };
  }

  private async mustFindTeam(teamId: string) {
    const team = await this.teams.findById(teamId);
    if (!team) throw new AppError('not_found', 'team_not_found', 'No such team');
    return team;
  }
}
