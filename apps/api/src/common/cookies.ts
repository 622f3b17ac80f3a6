import type { CookieOptions, Request } from 'express';

/**
 * One cookie of the request, or null (Express parses no cookies by itself). A value that is not
 * valid percent-encoding reads as absent rather than throwing.
 */
export function readCookie(req: Pick<Request, 'headers'>, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0 || part.slice(0, i).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Options of every cookie the API sets: HttpOnly (no page script reads it), SameSite=Strict,
 * Secure when the public URL is https, scoped to `path`, for `maxAgeMs`.
 */
export function credentialCookie(publicUrl: string, path: string, maxAgeMs: number): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: publicUrl.startsWith('https:'), path, maxAge: maxAgeMs };
}
