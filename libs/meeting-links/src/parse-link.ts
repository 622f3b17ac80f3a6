import { decodeHTMLStrict } from 'entities';
import { type MeetingPlatform, platformOfHost } from './platforms';
import { safeDecode, unwrapUrl } from './unwrap';

export interface ParsedMeetingLink {
  platform: MeetingPlatform;
  /** Zoom meeting number, Meet code (`abc-defg-hij`), Teams thread id (`19:meeting_…@thread.v2`) or Teams `/meet/` id. */
  meetingId: string;
  /** Canonical join URL: Zoom/Meet rebuilt without tracking params; Teams exactly as issued (only unwrapped). */
  url: string;
  /** `zoom:<number>`, `meet:<code>`, `teams:<threadId>` or `teams:meet:<id>`: one bot per key. */
  dedupeKey: string;
}

export type MeetingLinkRejection =
  | 'not_a_url'
  | 'unsupported_scheme'
  | 'not_a_meeting_host'
  | 'credentials_or_port_in_url'
  | 'embedded_url'
  | 'not_a_meeting_path'
  | 'zoom_personal_link_unresolvable'
  | 'zoom_meeting_number_invalid'
  | 'meet_code_unavailable'
  | 'teams_thread_id_invalid'
  | 'teams_context_invalid';

export type MeetingLinkAnalysis =
  | { ok: true; link: ParsedMeetingLink }
  | { ok: false; reason: MeetingLinkRejection; url: string };

const REJECTION_TEXT: Record<MeetingLinkRejection, string> = {
  not_a_url: 'not a URL',
  unsupported_scheme: 'only https (and zoommtg:) meeting links are accepted',
  not_a_meeting_host: 'the host is not Zoom, Google Meet or Microsoft Teams (checked by registrable domain)',
  credentials_or_port_in_url: 'meeting links never carry credentials or a port',
  embedded_url: 'the link embeds another URL (an open redirect or a wrapper we cannot decode)',
  not_a_meeting_path: 'the link is on a meeting platform but is not a meeting join link',
  zoom_personal_link_unresolvable: 'Zoom personal (/my/) links carry no meeting number',
  zoom_meeting_number_invalid: 'Zoom meeting numbers are 9 to 11 digits',
  meet_code_unavailable: 'Google Meet lookup/nickname links carry no meeting code',
  teams_thread_id_invalid: 'the Teams link has no valid meeting thread id',
  teams_context_invalid: 'the Teams meetup-join link has no valid context (tenant id)',
};

export function describeRejection(reason: MeetingLinkRejection): string {
  return REJECTION_TEXT[reason];
}

/** Characters that end a URL pasted into prose but never end a real join link. */
const TRAILING_JUNK = /[>.,;:!?'"\]]+$/;

/** Strips prose punctuation and unbalanced closing brackets/braces from a candidate URL. */
export function trimCandidate(raw: string): string {
  let s = raw.trim();
  for (;;) {
    const before = s;
    s = s.replace(TRAILING_JUNK, '');
    if (s.endsWith(')') && count(s, '(') < count(s, ')')) s = s.slice(0, -1);
    if (s.endsWith('}') && count(s, '{') < count(s, '}')) s = s.slice(0, -1);
    if (s === before) return s;
  }
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/** Parses one URL (wrapped, encoded or not) into a meeting link, or explains why it is not one. */
export function analyzeMeetingLink(input: string): MeetingLinkAnalysis {
  const cleaned = trimCandidate(decodeHTMLStrict(input.trim()));
  const { url: unwrapped } = unwrapUrl(cleaned);
  const raw = trimCandidate(unwrapped);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not_a_url', url: raw };
  }
  const reject = (reason: MeetingLinkRejection): MeetingLinkAnalysis => ({ ok: false, reason, url: raw });

  if (url.protocol === 'zoommtg:' || url.protocol === 'zoomus:') return parseZoomDeepLink(url, raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return reject('unsupported_scheme');
  if (url.username || url.password || url.port) return reject('credentials_or_port_in_url');
  const platform = platformOfHost(url.hostname);
  if (!platform) return reject('not_a_meeting_host');
  // Whatever is left after unwrapping must not smuggle another URL (open-redirect parameters).
  if (/(?:\bhttps?:\/\/|\bjavascript:)/i.test(safeDecode(safeDecode(raw.slice(url.protocol.length + 2))))) {
    return reject('embedded_url');
  }
  switch (platform) {
    case 'zoom':
      return parseZoom(url, raw);
    case 'google_meet':
      return parseMeet(url, raw);
    case 'microsoft_teams':
      return parseTeams(url, raw);
  }
}

export function parseMeetingLink(url: string): ParsedMeetingLink | null {
  const result = analyzeMeetingLink(url);
  return result.ok ? result.link : null;
}

// ---------------------------------------------------------------- Zoom

const ZOOM_NUMBER = /^\d{9,11}$/;
/** Zoom's encoded passcode; anything after it (`>`, `&amp`, junk) is dropped. Attendee's sanitizer. */
const ZOOM_PWD = /^[A-Za-z0-9]+(?:\.\d+)?/;
const ZOOM_TK = /^[A-Za-z0-9_.-]+/;

function parseZoom(url: URL, raw: string): MeetingLinkAnalysis {
  const segments = url.pathname.split('/').filter(Boolean);
  const reject = (reason: MeetingLinkRejection): MeetingLinkAnalysis => ({ ok: false, reason, url: raw });
  let kind: 'j' | 'w' | null = null;
  let id: string | undefined;
  const [first, second, third] = segments;
  if ((first === 'j' || first === 's') && second) {
    // `/s/` is the host's start link (it may carry a ZAK): a bot joins the same meeting via `/j/`.
    kind = 'j';
    id = second;
  } else if (first === 'w' && second) {
    kind = 'w';
    id = second;
  } else if (first === 'wc' && second === 'join' && third) {
    kind = 'j';
    id = third;
  } else if (first === 'wc' && second && third === 'join') {
    kind = 'j';
    id = second;
  } else if (first === 'my') {
    return reject('zoom_personal_link_unresolvable');
  }
  if (!kind || id === undefined) return reject('not_a_meeting_path');
  if (!ZOOM_NUMBER.test(id)) return reject('zoom_meeting_number_invalid');
  const pwd = url.searchParams.get('pwd')?.match(ZOOM_PWD)?.[0];
  const tk = url.searchParams.get('tk')?.match(ZOOM_TK)?.[0];
  return zoomLink(url.hostname, kind, id, pwd, tk);
}

function parseZoomDeepLink(url: URL, raw: string): MeetingLinkAnalysis {
  // zoommtg://zoom.us/join?confno=<id>&pwd=<pwd>: the desktop client's deep link.
  const host = url.hostname.toLowerCase();
  if (platformOfHost(host) !== 'zoom') return { ok: false, reason: 'not_a_meeting_host', url: raw };
  const id = url.searchParams.get('confno') ?? '';
  if (!ZOOM_NUMBER.test(id)) return { ok: false, reason: 'zoom_meeting_number_invalid', url: raw };
  const pwd = url.searchParams.get('pwd')?.match(ZOOM_PWD)?.[0];
  const tk = url.searchParams.get('tk')?.match(ZOOM_TK)?.[0];
  return zoomLink(host, 'j', id, pwd, tk);
}

function zoomLink(host: string, kind: 'j' | 'w', id: string, pwd?: string, tk?: string): MeetingLinkAnalysis {
  const canonical = new URL(`https://${host.toLowerCase()}/${kind}/${id}`);
  if (pwd) canonical.searchParams.set('pwd', pwd);
  if (tk) canonical.searchParams.set('tk', tk);
  return {
    ok: true,
    link: { platform: 'zoom', meetingId: id, url: canonical.toString(), dedupeKey: `zoom:${id}` },
  };
}

// ---------------------------------------------------------------- Google Meet

const MEET_CODE = /^[a-z]{3}-[a-z]{4}-[a-z]{3}$/;
const MEET_CODE_UNDASHED = /^[a-z]{10}$/;

function parseMeet(url: URL, raw: string): MeetingLinkAnalysis {
  const segments = url.pathname.split('/').filter(Boolean);
  // `/lookup/<nickname>` (Classroom, legacy nicknames) resolves only for signed-in members of the
  // owner's domain and yields no code to de-duplicate on, so it is refused rather than guessed.
  if (segments[0] === 'lookup') return { ok: false, reason: 'meet_code_unavailable', url: raw };
  const candidate = (segments[0] === '_meet' ? segments[1] : segments.length === 1 ? segments[0] : undefined)?.toLowerCase();
  let code: string | null = null;
  if (candidate && MEET_CODE.test(candidate)) code = candidate;
  else if (candidate && MEET_CODE_UNDASHED.test(candidate)) {
    code = `${candidate.slice(0, 3)}-${candidate.slice(3, 7)}-${candidate.slice(7)}`;
  }
  if (!code) return { ok: false, reason: 'not_a_meeting_path', url: raw };
  return {
    ok: true,
    link: { platform: 'google_meet', meetingId: code, url: `https://meet.google.com/${code}`, dedupeKey: `meet:${code}` },
  };
}

// ---------------------------------------------------------------- Microsoft Teams

const TEAMS_THREAD = /^19:[A-Za-z0-9_\-.=+]+@thread\.(?:v2|tacv2|skype)$/;
const TEAMS_MEET_ID = /^\d{9,20}$/;

interface TeamsRoute {
  path: string;
  params: URLSearchParams;
}

/**
 * Teams puts the route either in the path (`/l/meetup-join/…`) or in the fragment
 * (`/_#/l/meetup-join/…`, `/v2/?meetingjoin=true#/l/meetup-join/…`), and the launcher carries it
 * in `?url=`. Reading it never changes the URL we hand back: Teams validates join URLs
 * (MC1120871) and third parties must not rewrite them.
 */
function teamsRoute(url: URL): TeamsRoute {
  if (url.pathname === '/dl/launcher/launcher.html') {
    const inner = url.searchParams.get('url');
    if (inner) {
      try {
        return teamsRoute(new URL(inner, url.origin));
      } catch {
        // fall through to the outer URL
      }
    }
  }
  if (url.hash.startsWith('#/')) {
    const fragment = url.hash.slice(1);
    const q = fragment.indexOf('?');
    return {
      path: q < 0 ? fragment : fragment.slice(0, q),
      params: new URLSearchParams(q < 0 ? '' : fragment.slice(q + 1)),
    };
  }
  return { path: url.pathname, params: url.searchParams };
}

/** Decodes `19%3ameeting_…%40thread.v2`, also when it was encoded twice. */
function decodeThread(segment: string): string {
  let current = segment;
  for (let i = 0; i < 3 && current.includes('%'); i++) {
    const next = safeDecode(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

function parseTeams(url: URL, raw: string): MeetingLinkAnalysis {
  const reject = (reason: MeetingLinkRejection): MeetingLinkAnalysis => ({ ok: false, reason, url: raw });
  // Teams links are handed back as issued; only an `http:` scheme is upgraded (Teams serves https only).
  let issued = url.protocol === 'http:' ? `https:${raw.slice(raw.indexOf(':') + 1)}` : raw;
  // The launcher is itself a wrapper: hand back the page it launches (origin + its `url`), untouched.
  if (url.pathname === '/dl/launcher/launcher.html') {
    const inner = url.searchParams.get('url');
    if (!inner || !inner.startsWith('/')) return reject('not_a_meeting_path');
    issued = `https://${url.host}${inner}`;
  }
  const route = teamsRoute(url);
  const segments = route.path.split('/').filter(Boolean);

  const meetIndex = segments.indexOf('meet');
  if (meetIndex >= 0 && segments[meetIndex + 1] && meetIndex <= 1) {
    const id = segments[meetIndex + 1];
    if (!TEAMS_MEET_ID.test(id)) return reject('teams_thread_id_invalid');
    return {
      ok: true,
      link: { platform: 'microsoft_teams', meetingId: id, url: issued, dedupeKey: `teams:meet:${id}` },
    };
  }

  const joinIndex = segments.indexOf('meetup-join');
  if (joinIndex >= 0 && segments[joinIndex - 1] === 'l') {
    const thread = decodeThread(segments[joinIndex + 1] ?? '');
    if (!TEAMS_THREAD.test(thread)) return reject('teams_thread_id_invalid');
    if (!teamsContextValid(route.params.get('context'))) return reject('teams_context_invalid');
    return {
      ok: true,
      link: { platform: 'microsoft_teams', meetingId: thread, url: issued, dedupeKey: `teams:${thread}` },
    };
  }

  if (segments[0] === 'light-meetings' && segments[1] === 'launch') {
    const conversationId = lightMeetingConversation(route.params.get('coords'));
    if (!conversationId) return reject('teams_thread_id_invalid');
    return {
      ok: true,
      link: { platform: 'microsoft_teams', meetingId: conversationId, url: issued, dedupeKey: `teams:${conversationId}` },
    };
  }
  return reject('not_a_meeting_path');
}

/** The meetup-join `context` is JSON (`{"Tid":"<tenant>","Oid":"<organizer>"}`), encoded 0-2 times. */
function teamsContextValid(context: string | null): boolean {
  if (!context) return false;
  let current = context;
  for (let i = 0; i < 3; i++) {
    try {
      const parsed: unknown = JSON.parse(current);
      return (
        typeof parsed === 'object' &&
        parsed !== null &&
        typeof (parsed as Record<string, unknown>).Tid === 'string' &&
        /^[0-9a-f-]{36}$/i.test((parsed as Record<string, string>).Tid)
      );
    } catch {
      const next = safeDecode(current);
      if (next === current) return false;
      current = next;
    }
  }
  return false;
}

/** `light-meetings/launch?coords=<base64 JSON {conversationId, tenantId, …}>`. */
function lightMeetingConversation(coords: string | null): string | null {
  if (!coords) return null;
  try {
    const json: unknown = JSON.parse(Buffer.from(coords, 'base64').toString('utf8'));
    if (typeof json !== 'object' || json === null) return null;
    const id = (json as Record<string, unknown>).conversationId;
    return typeof id === 'string' && TEAMS_THREAD.test(id) ? id : null;
  } catch {
    return null;
  }
}
