import type { CookieOptions, Request } from 'express';
import type { AppConfig } from '@rapport/config';
import { credentialCookie, readCookie } from '../common/cookies';

/**
 * Browser sessions keep the refresh token in an HttpOnly cookie that page scripts cannot read,
 * scoped to the auth endpoints and SameSite=Strict. A client asks for it with the header
 * `X-Rapport-Session: cookie` on login and refresh; the cookie is only ever read when that header
 * is present, which a cross-site form cannot send (and a cross-origin fetch with it needs a CORS
 * preflight this API does not grant): a second guard against CSRF besides SameSite. API clients
 * that send no header keep getting the refresh token in the body.
 */
export const REFRESH_COOKIE = 'rapport_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';
export const SESSION_MODE_HEADER = 'x-rapport-session';

export function wantsCookieSession(req: Pick<Request, 'headers'>): boolean {
  return req.headers[SESSION_MODE_HEADER] === 'cookie';
}

export function refreshCookieFrom(req: Pick<Request, 'headers'>): string | null {
  return wantsCookieSession(req) ? readCookie(req, REFRESH_COOKIE) : null;
}

export function refreshCookieOptions(config: AppConfig): CookieOptions {
  return credentialCookie(config.PUBLIC_URL, REFRESH_COOKIE_PATH, config.REFRESH_TTL_DAYS * 86_400_000);
}
