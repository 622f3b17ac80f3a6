import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AppError } from '@rapport/common';
import { UsersRepository, type UserRole } from '@rapport/database';
import { ACCEPTS_MEDIA_COOKIE, IS_PUBLIC, MEDIA_COOKIE, ROLES, type AuthUser } from '../common/auth.decorators';
import { readCookie } from '../common/cookies';
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
    const type = ctx.getType<'http' | 'graphql'>();
    if (type !== 'http' && type !== 'graphql') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    type Req = { headers: Record<string, string | undefined>; params?: Record<string, string>; user?: AuthUser };
    // GraphQL resolvers get the HTTP request through the context Apollo builds (`{ req }`).
    const req = type === 'graphql' ? GqlExecutionContext.create(ctx).getContext<{ req: Req }>().req : ctx.switchToHttp().getRequest<Req>();
    const header = req.headers['authorization'] ?? '';
    const match = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*\.[A-Za-z0-9\-_]*)$/.exec(header);
    let claims: AuthUser | null;
    if (match) {
      claims = this.tokens.verifyAccess(match[1]!);
    } else if (!header && type === 'http' && this.reflector.getAllAndOverride<boolean>(ACCEPTS_MEDIA_COOKIE, targets)) {
      const media = readCookie(req, MEDIA_COOKIE);
      if (!media) throw new AppError('unauthorized', 'missing_token', 'Send an access token as "Authorization: Bearer <token>", or open a media session first');
      claims = this.tokens.verifyMedia(media, (req.params?.id ?? '').toLowerCase());
    } else {
      throw new AppError('unauthorized', 'missing_token', 'Send an access token as "Authorization: Bearer <token>"');
    }
    const invalid = () => new AppError('unauthorized', 'invalid_token', 'Access token is invalid, expired or revoked; refresh it or sign in again');
    if (!claims) throw invalid();
    // Deny-list and account lookups are independent: run them together.
    const [denied, user] = await Promise.all([this.tokens.isDenied(claims.jti), this.users.findById(claims.id)]);
    if (denied) throw invalid();
    if (!user) throw new AppError('unauthorized', 'invalid_token', 'The account for this token no longer exists');
    // The role in the database wins over a stale claim (a demotion takes effect at once).
    req.user = { ...claims, role: user.role, account: user };
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(user.role)) {
      throw new AppError('forbidden', 'forbidden_role', `This action needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
