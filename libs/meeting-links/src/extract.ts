import { decodeHTMLStrict } from 'entities';
import { Parser } from 'htmlparser2';
import {
  type MeetingLinkRejection,
  type ParsedMeetingLink,
  analyzeMeetingLink,
} from './parse-link';

/** Google `conferenceData` (only the fields link extraction reads). */
export interface ConferenceDataInput {
  entryPoints?: Array<{ entryPointType?: string | null; uri?: string | null }> | null;
  notes?: string | null;
}

/** The parts of a calendar event (Google or Graph, already flattened) that can hold a join link. */
export interface MeetingLinkSource {
  conferenceData?: ConferenceDataInput | null;
  hangoutLink?: string | null;
  onlineMeetingJoinUrl?: string | null;
  location?: string | null;
  description?: string | null;
  body?: string | null;
  subject?: string | null;
}

export type MeetingLinkField =
  | 'conferenceData'
  | 'hangoutLink'
  | 'onlineMeetingJoinUrl'
  | 'conferenceNotes'
  | 'location'
  | 'description'
  | 'body'
  | 'subject'
  | 'text';

export interface MeetingLinkExtraction {
  link: ParsedMeetingLink | null;
  /** Field the link came from. */
  field: MeetingLinkField | null;
  /** Candidate URLs that looked like links but were refused, with why (for "why no bot?" answers). */
  rejected: Array<{ url: string; reason: MeetingLinkRejection }>;
  /** Other distinct meetings found after the chosen one (ambiguity worth logging). */
  others: ParsedMeetingLink[];
}

/** URL-ish tokens in prose. `{`, `}` stay in (Teams contexts); quotes and angle brackets end a URL. */
const URL_IN_TEXT = /\b(?:https?|zoommtg|zoomus):\/\/[^\s<>"'`]+/gi;

/**
 * Candidate URLs in a text field, in document order. HTML bodies contribute their `href`s first
 * (the link text is often shortened or says "Join"), then URLs in the visible text, entities
 * decoded. Plain text is scanned as is (Outlook plain-text bodies write `label<https://…>`).
 */
export function findUrlCandidates(text: string): string[] {
  const out: string[] = [];
  if (looksLikeHtml(text)) {
    const hrefs: string[] = [];
    let visible = '';
    const parser = new Parser(
      {
        onopentag(name, attrs) {
          if (name === 'a' && attrs.href) hrefs.push(attrs.href);
          if (name === 'br' || name === 'p' || name === 'div') visible += '\n';
        },
        ontext(data) {
          visible += data;
        },
        onclosetag(name) {
          if (name === 'p' || name === 'div' || name === 'a') visible += ' ';
        },
      },
      { decodeEntities: true },
    );
    parser.write(text);
    parser.end();
    out.push(...hrefs, ...scanText(visible));
  } else {
    out.push(...scanText(decodeHTMLStrict(text)));
  }
  return out;
}

function looksLikeHtml(text: string): boolean {
  return /<(?:a|p|div|br|span|html|body|table|font|b|i|u)\b[^>]*>/i.test(text);
}

/**
 * Scheme-less links people type into locations (`zoom.us/j/123…`, `meet.google.com/abc-defg-hij`).
 * This only FINDS candidates; they are classified like any URL, by registrable domain.
 */
const SCHEMELESS = /(?<![\w.\/@-])(?:[a-z0-9-]+\.)*(?:zoom\.us|zoom\.com|zoomgov\.com|meet\.google\.com|teams\.microsoft\.com|teams\.live\.com)\/[^\s<>"'`]+/gi;

function scanText(text: string): string[] {
  const found: Array<{ at: number; url: string }> = [];
  const spans: Array<[number, number]> = [];
  for (const url of scanSchemeUrls(text)) {
    found.push(url);
    spans.push([url.at, url.at + url.url.length]);
  }
  for (const match of text.matchAll(SCHEMELESS)) {
    const at = match.index ?? 0;
    if (spans.some(([a, b]) => at >= a && at < b)) continue;
    found.push({ at, url: `https://${match[0]}` });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.url);
}

function scanSchemeUrls(text: string): Array<{ at: number; url: string }> {
  const out: Array<{ at: number; url: string }> = [];
  for (const match of text.matchAll(URL_IN_TEXT)) {
    let candidate = match[0];
    // A raw-JSON Teams context (`context={"Tid":"…","Oid":"…"}`) is cut at the first quote:
    // re-take it up to its closing brace when it has no whitespace inside.
    if (/context=\{$/i.test(candidate) || /context=\{[^}]*$/i.test(candidate)) {
      const start = match.index ?? 0;
      const close = text.indexOf('}', start + candidate.length - 1);
      if (close > 0 && !/\s/.test(text.slice(start, close))) {
        const rest = /^[^\s<>"'`]*/.exec(text.slice(close + 1))?.[0] ?? '';
        candidate = text.slice(start, close + 1) + rest;
      }
    }
    out.push({ at: match.index ?? 0, url: candidate });
  }
  return out;
}

/** First meeting link in free text (hrefs before visible text when the text is HTML). */
export function findMeetingLinks(text: string): { links: ParsedMeetingLink[]; rejected: MeetingLinkExtraction['rejected'] } {
  const links: ParsedMeetingLink[] = [];
  const rejected: MeetingLinkExtraction['rejected'] = [];
  for (const candidate of findUrlCandidates(text)) {
    const result = analyzeMeetingLink(candidate);
    if (result.ok) {
      if (!links.some((l) => l.dedupeKey === result.link.dedupeKey)) links.push(result.link);
    } else if (!rejected.some((r) => r.url === result.url)) {
      rejected.push({ url: result.url, reason: result.reason });
    }
  }
  return { links, rejected };
}

/**
 * The meeting link of a calendar event, or of free text. Structured fields win (Google
 * conferenceData video entry point, hangoutLink, Graph onlineMeeting.joinUrl), then the Zoom
 * add-on's conference notes, location, description/body, subject: the order Attendee uses,
 * with Graph's location and Google's notes added.
 */
export function extractMeetingLinkDetailed(input: MeetingLinkSource | string): MeetingLinkExtraction {
  const fields: Array<[MeetingLinkField, string | null | undefined]> = [];
  if (typeof input === 'string') {
    fields.push(['text', input]);
  } else {
    const video = input.conferenceData?.entryPoints?.find((e) => e.entryPointType === 'video')?.uri;
    fields.push(
      ['conferenceData', video],
      ['hangoutLink', input.hangoutLink],
      ['onlineMeetingJoinUrl', input.onlineMeetingJoinUrl],
      ['conferenceNotes', input.conferenceData?.notes],
      ['location', input.location],
      ['description', input.description],
      ['body', input.body],
      ['subject', input.subject],
    );
  }
  const result: MeetingLinkExtraction = { link: null, field: null, rejected: [], others: [] };
  for (const [field, value] of fields) {
    if (!value) continue;
    const { links, rejected } = findMeetingLinks(value);
    for (const r of rejected) if (!result.rejected.some((x) => x.url === r.url)) result.rejected.push(r);
    for (const link of links) {
      if (!result.link) {
        result.link = link;
        result.field = field;
      } else if (link.dedupeKey !== result.link.dedupeKey && !result.others.some((o) => o.dedupeKey === link.dedupeKey)) {
        result.others.push(link);
      }
    }
  }
  return result;
}

export function extractMeetingLink(input: MeetingLinkSource | string): ParsedMeetingLink | null {
  return extractMeetingLinkDetailed(input).link;
}
