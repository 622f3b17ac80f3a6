import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '@rapport/common';
import { UsersRepository, type UserRole } from '@rapport/database';
import { IS_PUBLIC, ROLES, type AuthUser } from '../common/auth.decorators';
import { TokenService } from './token.service';

/** Global guard: Bearer access token (not denied, user still exists), then role checks. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly users: UsersRepository,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: AuthUser }>();
    const header = req.headers['authorization'] ?? '';
    const match = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*\.[A-Za-z0-9\-_]*)$/.exec(header);
    if (!match) throw new AppError('unauthorized', 'missing_token', 'Send an access token as "Authorization: Bearer <token>"');
    const claims = this.tokens.verifyAccess(match[1]!);
    if (!claims || (await this.tokens.isDenied(claims.jti))) {
      throw new AppError('unauthorized', 'invalid_token', 'Access token is invalid, expired or revoked; refresh it or sign in again');
    }
    const user = await this.users.findById(claims.id);
    if (!user) throw new AppError('unauthorized', 'invalid_token', 'The account for this token no longer exists');
    // The role in the database wins over a stale claim (a demotion takes effect at once).
    req.user = { ...claims, role: user.role };
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(user.role)) {
      throw new AppError('forbidden', 'forbidden_role', `This action needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
