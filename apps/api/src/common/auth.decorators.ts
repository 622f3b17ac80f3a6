import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { UserEntity, UserRole } from '@rapport/database';

export { IS_PUBLIC, Public } from '@rapport/core';
export const ROLES = 'rapport:roles';
/** Only these global roles may call the endpoint. */
export const Roles = (...roles: UserRole[]) => SetMetadata(ROLES, roles);

export const MEDIA_COOKIE = 'rapport_media';
export const ACCEPTS_MEDIA_COOKIE = 'rapport:accepts-media-cookie';
/**
 * Without an Authorization header, the endpoint also accepts the media cookie minted for the
 * meeting in its `:id` parameter (for <audio>, which cannot send a Bearer token).
 */
export const AcceptsMediaCookie = () => SetMetadata(ACCEPTS_MEDIA_COOKIE, true);

export interface AuthUser {
  id: string;
  role: UserRole;
  jti: string;
  /** Access-token expiry, epoch seconds. */
  exp: number;
  /** The account row the guard loaded for this request (saves handlers a lookup). */
  account?: UserEntity;
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const req = ctx.switchToHttp().getRequest<{ user?: AuthUser }>();
  if (!req.user) throw new Error('CurrentUser used on a public route');
  return req.user;
});

export function clientIp(req: { ip?: string; socket?: { remoteAddress?: string } }): string {
  return req.ip ?? req.socket?.remoteAddress ?? 'unknown';
}
