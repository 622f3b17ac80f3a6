import { Injectable } from '@nestjs/common';
import { AppError } from '@rapport/common';
import { AuditRepository, RefreshTokensRepository, TeamsRepository, UsersRepository, type UserEntity } from '@rapport/database';
import { UserDeletionService, UserExportService } from '@rapport/privacy';
import { PasswordService } from '../auth/password.service';
import { TokenService } from '../auth/token.service';
import type { AuthUser } from '../common/auth.decorators';
import type { UpdateMeDto } from './dto/me.dto';

export interface MeView {
  id: string;
  email: string;
  role: string;
  displayName: string | null;
  retentionDays: number | 'keep';
  createdAt: Date;
  teams: Array<{ id: string; name: string; role: string }>;
}

@Injectable()
export class MeService {
  constructor(
    private readonly users: UsersRepository,
    private readonly teams: TeamsRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly audit: AuditRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly deletion: UserDeletionService,
    private readonly exporter: UserExportService,
  ) {}

  async get(userId: string, loaded?: UserEntity): Promise<MeView> {
    const user = loaded?.id === userId ? loaded : await this.mustFind(userId);
    const teams = await this.teams.teamsOfUser(userId);
    return this.view(user, teams.map((t) => ({ id: t.team.id, name: t.team.name, role: t.role })));
  }

  async update(auth: AuthUser, dto: UpdateMeDto): Promise<MeView> {
    const user = await this.mustFind(auth.id);
    const patch: Parameters<UsersRepository['update']>[1] = {};
    if (dto.displayName !== undefined) patch.displayName = dto.displayName.trim() || null;
    if (dto.retentionDays !== undefined) patch.retentionDays = dto.retentionDays === 'keep' ? null : dto.retentionDays;
    const sensitive = dto.newPassword !== undefined || (dto.email !== undefined && dto.email !== user.email);
    if (sensitive) {
      if (!dto.currentPassword || !(await this.passwords.verify(user.passwordHash, dto.currentPassword))) {
        throw new AppError('forbidden', 'current_password_required', 'Changing email or password needs the correct currentPassword');
      }
    }
    if (dto.email !== undefined) patch.email = dto.email;
    if (dto.newPassword !== undefined) patch.passwordHash = await this.passwords.hash(dto.newPassword);
    const result = await this.users.update(auth.id, patch);
    if (result === 'email_taken') throw new AppError('conflict', 'email_taken', 'Another account already uses this email');
    if (dto.newPassword !== undefined) {
      // A new password ends every other session.
      await this.refreshTokens.revokeAllForUser(auth.id);
    }
    await this.audit.record(auth.id, 'profile_updated', { fields: Object.keys(patch).filter((k) => k !== 'passwordHash').concat(dto.newPassword ? ['password'] : []) });
    return this.get(auth.id);
  }

  async export(userId: string): Promise<Record<string, unknown>> {
    await this.audit.record(userId, 'data_exported');
    return this.exporter.export(userId);
  }

  async delete(auth: AuthUser): Promise<void> {
    await this.tokens.deny(auth);
    await this.deletion.deleteUser(auth.id);
  }

  private async mustFind(userId: string): Promise<UserEntity> {
    const user = await this.users.findById(userId);
    if (!user) throw new AppError('not_found', 'user_not_found', 'This account no longer exists');
    return user;
  }

  private view(user: UserEntity, teams: MeView['teams']): MeView {
    return {
      id: user.id,
      email: user.email,
      role: user.role,
      displayName: user.displayName,
      retentionDays: user.retentionDays ?? 'keep',
      createdAt: user.createdAt,
      teams,
    };
  }
}
