import { AppError } from '@rapport/common';
import type { CalendarEventSnapshot } from './types';

export type CoverageMode = 'all_with_link' | 'organized_by_me' | 'with_external' | 'internal_only';

export interface CoverageRules {
  mode: CoverageMode;
  /** The user's (or team's) email domains; attendees on them or their subdomains are internal. */
  userDomains: string[];
  /** Case-insensitive regex sources; a matching title is skipped (e.g. `^focus`, `1:1`). */
  skipTitlePatterns?: string[];
  /** Per recurring series, keyed by iCalUID: true = always, false = never. */
  seriesOverrides?: Record<string, boolean>;
  /** Per event, keyed by providerEventId: beats everything except the hard rules. */
  eventOverrides?: Record<string, boolean>;
}

export type CoverageReason =
  | 'no_meeting_link'
  | 'cancelled'
  | 'all_day'
  | 'declined'
  | 'event_override_on'
  | 'event_override_off'
  | 'series_on'
  | 'series_off'
  | 'title_skipped'
  | 'has_meeting_link'
  | 'organized_by_me'
  | 'not_organizer'
  | 'has_external_attendees'
  | 'no_external_attendees'
  | 'internal_only';

export interface CoverageDecision {
  covered: boolean;
  reason: CoverageReason;
}

/** Titles longer than this are cut before matching user patterns (bounds regex cost). */
const MAX_TITLE = 500;

export function compileTitlePatterns(patterns: readonly string[] = []): RegExp[] {
  return patterns.map((source, i) => {
    try {
      return new RegExp(source, 'i');
    } catch (err) {
      throw new AppError('bad_request', 'invalid_title_pattern', `skipTitlePatterns[${i}]: ${(err as Error).message}`);
    }
  });
}

function isInternal(email: string, domains: readonly string[]): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return domains.some((d) => {
    const own = d.toLowerCase().replace(/^@/, '');
    return domain === own || domain.endsWith(`.${own}`);
  });
}

/**
 * Whether a bot should cover this event for this user, and why. Precedence:
 * 1. hard rules nobody overrides: a link is needed, cancelled and all-day events are out,
 *    and an event the user declined is never covered;
 * 2. the user's explicit choices: per-event override, then per-series (iCalUID);
 * 3. skip-title patterns;
 * 4. the mode (all with a link | only ones I organize | only with external attendees | only internal).
 */
export function decideCoverage(event: CalendarEventSnapshot, rules: CoverageRules): CoverageDecision {
  if (!event.meetingLink) return { covered: false, reason: 'no_meeting_link' };
  if (event.cancelled) return { covered: false, reason: 'cancelled' };
  if (event.allDay) return { covered: false, reason: 'all_day' };
  if (event.selfResponse === 'declined') return { covered: false, reason: 'declined' };

  const eventOverride = rules.eventOverrides?.[event.providerEventId];
  if (eventOverride !== undefined) return { covered: eventOverride, reason: eventOverride ? 'event_override_on' : 'event_override_off' };
  const seriesOverride = event.iCalUID ? rules.seriesOverrides?.[event.iCalUID] : undefined;
  if (seriesOverride !== undefined) return { covered: seriesOverride, reason: seriesOverride ? 'series_on' : 'series_off' };

  const title = event.title.slice(0, MAX_TITLE);
  if (compileTitlePatterns(rules.skipTitlePatterns).some((re) => re.test(title))) return { covered: false, reason: 'title_skipped' };

  const participants = [...event.attendees.filter((a) => !a.isResource && !a.isSelf).map((a) => a.email), ...(event.organizerEmail && !event.isOrganizer ? [event.organizerEmail] : [])];
  const hasExternal = participants.some((email) => !isInternal(email, rules.userDomains));
  switch (rules.mode) {
    case 'all_with_link':
      return { covered: true, reason: 'has_meeting_link' };
    case 'organized_by_me':
      return event.isOrganizer ? { covered: true, reason: 'organized_by_me' } : { covered: false, reason: 'not_organizer' };
    case 'with_external':
      return hasExternal ? { covered: true, reason: 'has_external_attendees' } : { covered: false, reason: 'no_external_attendees' };
    case 'internal_only':
      return hasExternal ? { covered: false, reason: 'has_external_attendees' } : { covered: true, reason: 'internal_only' };
  }
}
