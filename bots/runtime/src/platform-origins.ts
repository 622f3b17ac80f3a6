/**
 * `RAPPORT_PLATFORM_ORIGINS="meet.google.com=http://127.0.0.1:4010,teams.microsoft.com=http://…"`
 * maps a platform host to another origin (path and query kept). It is how tests and demos reach
 * the meeting simulator; the bot code is the same for the real platform.
 */
export type PlatformOriginMap = ReadonlyMap<string, string>;

export class PlatformOriginsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlatformOriginsError';
  }
}

export function parsePlatformOrigins(raw: string | undefined): PlatformOriginMap {
  const map = new Map<string, string>();
  if (!raw || !raw.trim()) return map;
  for (const entry of raw.split(',')) {
    const trimmed = entry.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) throw new PlatformOriginsError(`RAPPORT_PLATFORM_ORIGINS: "${trimmed}" is not host=origin`);
    const host = trimmed.slice(0, eq).trim().toLowerCase();
    let origin: URL;
    try {
      origin = new URL(trimmed.slice(eq + 1).trim());
    } catch {
      throw new PlatformOriginsError(`RAPPORT_PLATFORM_ORIGINS: "${trimmed}" has no valid origin URL`);
    }
    if (origin.protocol !== 'http:' && origin.protocol !== 'https:') {
      throw new PlatformOriginsError(`RAPPORT_PLATFORM_ORIGINS: origin for ${host} must be http(s)`);
    }
    if (!/^[a-z0-9.-]+$/.test(host)) throw new PlatformOriginsError(`RAPPORT_PLATFORM_ORIGINS: bad host "${host}"`);
    map.set(host, origin.origin);
  }
  return map;
}

/** The URL the browser actually opens: the platform host swapped for its mapped origin, if any. */
export function mapPlatformUrl(url: string, origins: PlatformOriginMap): string {
  const parsed = new URL(url);
  const mapped = origins.get(parsed.hostname.toLowerCase());
  if (!mapped) return parsed.toString();
  return new URL(`${parsed.pathname}${parsed.search}${parsed.hash}`, mapped).toString();
}

function hostMatches(hostname: string, pattern: string): boolean {
  if (pattern.startsWith('*.')) return hostname.endsWith(pattern.slice(1));
  return hostname === pattern;
}

/**
 * May the bot's main frame navigate to `url`? Only https on one of the platform's hosts, or a
 * mapped origin for one of them. `about:blank` is allowed (new tabs start there).
 */
export function isNavigationAllowed(url: string, platformHosts: readonly string[], origins: PlatformOriginMap): boolean {
  if (url === 'about:blank') return true;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  for (const [host, origin] of origins) {
    if (parsed.origin === origin && platformHosts.some((p) => hostMatches(host, p))) return true;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  const hostname = parsed.hostname.toLowerCase();
  return platformHosts.some((p) => hostMatches(hostname, p));
}
