import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { AppError } from '@rapport/common';
import { DataKeyService } from '@rapport/crypto';
import { AuditRepository, RefreshTokensRepository, UserKeysRepository, UsersRepository, type UserEntity, type UserRole } from '@rapport/database';
import { Inject } from '@nestjs/common';
import { APP_CONFIG } from '@rapport/core';
import type { AppConfig } from '@rapport/config';
import type { AuthUser } from '../common/auth.decorators';
import { LoginRateLimiter } from './login-rate-limiter.service';
import { PasswordService } from './password.service';
import { TokenService } from './token.service';
import type { TokenPairDto } from './dto/auth.dto';

interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

const INVALID_CREDENTIALS = () => new AppError('unauthorized', 'invalid_credentials', 'Email or password is incorrect');
const INVALID_REFRESH = () => new AppError('unauthorized', 'invalid_refresh_token', 'Refresh token is invalid, expired or revoked; sign in again');

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly audit: AuditRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly limiter: LoginRateLimiter,
    private readonly dataKeys: DataKeyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates the user and their wrapped data key in one transaction. */
  async register(email: string, password: string, role: UserRole = 'individual'): Promise<UserEntity> {
    const passwordHash = await this.passwords.hash(password);
    const { wrapped } = await this.dataKeys.newKey();
    const user = await this.ds.transaction(async (m) => {
      const created = await this.users.create({ email, passwordHash, role, retentionDays: this.config.DEFAULT_RETENTION_DAYS }, m);
      if (!created) return null;
      await new UserKeysRepository(this.ds).insert(created.id, wrapped, m);
      return created;
    });
    if (!user) throw new AppError('conflict', 'email_taken', 'An account with this email already exists; sign in instead');
    await this.audit.record(user.id, 'user_registered');
    return user;
  }

  async login(email: string, password: string, client: ClientInfo): Promise<TokenPairDto> {
    await this.limiter.consume(client.ip, email);
    const user = await this.users.findByEmail(email);
    const ok = await this.passwords.verify(user?.passwordHash ?? null, password);
    if (!user || !ok) {
      if (user) await this.audit.record(user.id, 'login_failed', {}, client.ip);
      throw INVALID_CREDENTIALS();
    }
    await this.limiter.reset(email);
    await this.audit.record(user.id, 'login', {}, client.ip);
    return this.issue(user.id, user.role, randomUUID(), client);
  }

  /**
   * Rotation: each refresh token is single-use. A token presented again after rotation means
   * it was copied — the whole family (every descendant of that login) is revoked.
   */
  async refresh(refreshToken: string, client: ClientInfo): Promise<TokenPairDto> {
    const row = await this.refreshTokens.findByHash(this.tokens.hashRefresh(refreshToken));
    if (!row) throw INVALID_REFRESH();
    if (row.revokedAt || row.expiresAt.getTime() <= Date.now()) throw INVALID_REFRESH();
    if (row.usedAt || !(await this.refreshTokens.claim(row.id))) {
      const revoked = await this.refreshTokens.revokeFamily(row.familyId);
      await this.audit.record(row.userId, 'refresh_token_reuse_detected', { familyRevoked: revoked }, client.ip);
      this.logger.warn({ userId: row.userId, familyId: row.familyId }, 'Refresh token reuse: family revoked');
      throw INVALID_REFRESH();
    }
    const user = await this.users.findById(row.userId);
    if (!user) throw INVALID_REFRESH();
    return this.issue(user.id, user.role, row.familyId, client);
  }

  /** Denies the access token's jti until it expires and revokes the refresh family. */
  async logout(user: AuthUser, refreshToken: string | undefined): Promise<void> {
    await this.tokens.deny(user);
    if (refreshToken) {
      const row = await this.refreshTokens.findByHash(this.tokens.hashRefresh(refreshToken));
      if (row && row.userId === user.id) await this.refreshTokens.revokeFamily(row.familyId);
    }
    await this.audit.record(user.id, 'logout');
  }

  private async issue(userId: string, role: UserRole, familyId: string, client: ClientInfo): Promise<TokenPairDto> {
    const access = this.tokens.signAccess(userId, role);
    const refresh = this.tokens.newRefreshToken();
    await this.refreshTokens.insert({ userId, familyId, tokenHash: refresh.hash, expiresAt: refresh.expiresAt, ip: client.ip, userAgent: client.userAgent?.slice(0, 300) ?? null });
    return { accessToken: access.token, refreshToken: refresh.token, expiresIn: access.expiresIn, tokenType: 'Bearer' };
  }
}
