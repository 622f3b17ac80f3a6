import { registrableDomain } from './platforms';

/**
 * Security gateways and redirectors rewrite links in invitations. Each unwrapper recognises its
 * wrapper by registrable domain + exact host/path and returns the wrapped URL, or null when the
 * URL is not that wrapper. Hand-written: no maintained npm library decodes these wrappers.
 */
type Unwrapper = (url: URL) => string | null;

/** Outlook Safe Links: `https://<region>.safelinks.protection.outlook.com/?url=<encoded>&data=…`. */
const safeLinks: Unwrapper = (url) => {
  if (registrableDomain(url.hostname) !== 'outlook.com') return null;
  const host = url.hostname;
  if (host !== 'safelinks.protection.outlook.com' && !host.endsWith('.safelinks.protection.outlook.com')) return null;
  return url.searchParams.get('url');
};

/** Google redirector: `https://www.google.com/url?q=<encoded>&sa=…`. */
const googleRedirect: Unwrapper = (url) => {
  if (url.hostname !== 'www.google.com' && url.hostname !== 'google.com') return null;
  if (url.pathname !== '/url') return null;
  return url.searchParams.get('q') ?? url.searchParams.get('url');
};

/** Proofpoint URL Defense v2: `https://urldefense.proofpoint.com/v2/url?u=<'-'→'%', '_'→'/'>&d=…`. */
const proofpointV2: Unwrapper = (url) => {
  if (url.hostname !== 'urldefense.proofpoint.com' || url.pathname !== '/v2/url') return null;
  const u = url.searchParams.get('u');
  if (!u) return null;
  return safeDecode(u.replace(/-/g, '%').replace(/_/g, '/'));
};

/**
 * Proofpoint URL Defense v3: `https://urldefense.com/v3/__<url>__;<base64url bytes>!!<sig>$`.
 * Characters Proofpoint could not leave in place are replaced by `*` (one char) or `**X` (a run
 * whose length X encodes), taken in order from the base64url-decoded bytes after `__;`.
 * This follows Proofpoint's published reference decoder.
 */
const V3_RUN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function decodeProofpointV3(raw: string): string | null {
  const match = /\/v3\/__(.+?)__;([^!]*)!/.exec(raw);
  if (!match) return null;
  const encodedUrl = safeDecode(match[1]);
  const bytes = Buffer.from(match[2], 'base64url').toString('utf8');
  const chars = Array.from(bytes);
  let marker = 0;
  let out = '';
  for (let i = 0; i < encodedUrl.length; i++) {
    const c = encodedUrl[i];
    if (c !== '*') {
      out += c;
      continue;
    }
    if (encodedUrl[i + 1] === '*' && i + 2 < encodedUrl.length) {
      const runLength = V3_RUN_CHARS.indexOf(encodedUrl[i + 2]) + 2;
      if (runLength < 2) return null;
      out += chars.slice(marker, marker + runLength).join('');
      marker += runLength;
      i += 2;
    } else {
      if (marker >= chars.length) return null;
      out += chars[marker];
      marker += 1;
    }
  }
  return out;
}

const proofpointV3: Unwrapper = (url) => {
  if (url.hostname !== 'urldefense.com' || !url.pathname.startsWith('/v3/__')) return null;
  return decodeProofpointV3(url.href);
};

const UNWRAPPERS: readonly Unwrapper[] = [safeLinks, googleRedirect, proofpointV2, proofpointV3];

/** `decodeURIComponent` that returns its input when the input is not valid percent-encoding. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Peels wrappers off a URL, several layers deep (a Safe Link around a Proofpoint link happens).
 * A URL whose scheme is itself percent-encoded (`https%3A%2F%2F…`) is decoded first.
 * Returns the innermost URL string, and how many wrappers were removed.
 */
export function unwrapUrl(input: string, maxDepth = 5): { url: string; layers: number } {
  let current = input.trim();
  let layers = 0;
  for (let depth = 0; depth < maxDepth; depth++) {
    current = decodeEncodedScheme(current);
    let parsed: URL;
    try {
      parsed = new URL(current);
    } catch {
      break;
    }
    let inner: string | null = null;
    for (const unwrap of UNWRAPPERS) {
      inner = unwrap(parsed);
      if (inner) break;
    }
    if (!inner) break;
    current = inner.trim();
    layers += 1;
  }
  return { url: current, layers };
}

/** `https%3A%2F%2Fzoom.us%2Fj%2F1` → `https://zoom.us/j/1` (up to three rounds of encoding). */
function decodeEncodedScheme(value: string): string {
  let current = value;
  for (let i = 0; i < 3 && /^[a-z][a-z0-9+.-]*%3a/i.test(current); i++) {
    const decoded = safeDecode(current);
    if (decoded === current) break;
    current = decoded;
  }
  return current;
}
