import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '@rapport/common';
import { parseMeetingLink } from '@rapport/meeting-links';
import { type CalendarAttendee, type CalendarEventSnapshot, type CoverageRules, decideCoverage } from '@rapport/calendar';

const person = (email: string, extra: Partial<CalendarAttendee> = {}): CalendarAttendee => ({
  email,
  name: null,
  response: 'accepted',
  isSelf: false,
  isOrganizer: false,
  isResource: false,
  ...extra,
});

function event(overrides: Partial<CalendarEventSnapshot> = {}): CalendarEventSnapshot {
  return {
    provider: 'google',
    providerEventId: 'evt1',
    iCalUID: 'series-1@google.com',
    seriesMasterId: null,
    title: 'Roadmap review',
    start: '2026-11-26T10:00:00.000Z',
    end: '2026-11-26T11:00:00.000Z',
    allDay: false,
    organizerEmail: 'jane@acme.com',
    isOrganizer: true,
    attendees: [person('jane@acme.com', { isSelf: true, isOrganizer: true }), person('bob@acme.com')],
    selfResponse: 'accepted',
    cancelled: false,
    meetingLink: parseMeetingLink('https://meet.google.com/abc-defg-hij'),
    ...overrides,
  };
}

const rules = (overrides: Partial<CoverageRules> = {}): CoverageRules => ({ mode: 'all_with_link', userDomains: ['acme.com'], ...overrides });
const external = [person('jane@acme.com', { isSelf: true }), person('carol@customer.io')];

const CASES: Array<[string, CalendarEventSnapshot, CoverageRules, boolean, string]> = [
  ['all with link: covered', event(), rules(), true, 'has_meeting_link'],
  ['no link: never', event({ meetingLink: null }), rules({ eventOverrides: { evt1: true } }), false, 'no_meeting_link'],
  ['cancelled: never', event({ cancelled: true }), rules(), false, 'cancelled'],
  ['all-day: never', event({ allDay: true }), rules(), false, 'all_day'],
  ['declined: never, even with an override', event({ selfResponse: 'declined' }), rules({ eventOverrides: { evt1: true } }), false, 'declined'],
  ['tentative is fine', event({ selfResponse: 'tentative' }), rules(), true, 'has_meeting_link'],
  ['organized by me: organizer', event(), rules({ mode: 'organized_by_me' }), true, 'organized_by_me'],
  ['organized by me: guest', event({ isOrganizer: false, organizerEmail: 'bob@acme.com' }), rules({ mode: 'organized_by_me' }), false, 'not_organizer'],
  ['with external: internal only meeting', event(), rules({ mode: 'with_external' }), false, 'no_external_attendees'],
  ['with external: customer present', event({ attendees: external }), rules({ mode: 'with_external' }), true, 'has_external_attendees'],
  ['with external: external organizer counts', event({ isOrganizer: false, organizerEmail: 'x@partner.org', attendees: [person('jane@acme.com', { isSelf: true })] }), rules({ mode: 'with_external' }), true, 'has_external_attendees'],
  ['with external: subdomain is internal', event({ attendees: [person('ops@eu.acme.com')] }), rules({ mode: 'with_external' }), false, 'no_external_attendees'],
  ['with external: look-alike domain is external', event({ attendees: [person('ops@acme.com.evil.io')] }), rules({ mode: 'with_external' }), true, 'has_external_attendees'],
  ['with external: rooms ignored', event({ attendees: [person('room-4@resource.calendar.google.com', { isResource: true })] }), rules({ mode: 'with_external' }), false, 'no_external_attendees'],
  ['internal only: internal', event(), rules({ mode: 'internal_only' }), true, 'internal_only'],
  ['internal only: external present', event({ attendees: external }), rules({ mode: 'internal_only' }), false, 'has_external_attendees'],
  ['skip title regex', event({ title: 'Focus time / deep work' }), rules({ skipTitlePatterns: ['^focus', 'lunch'] }), false, 'title_skipped'],
  ['skip title regex is case-insensitive', event({ title: 'Team LUNCH' }), rules({ skipTitlePatterns: ['lunch'] }), false, 'title_skipped'],
  ['title not matching', event({ title: 'Roadmap' }), rules({ skipTitlePatterns: ['lunch'] }), true, 'has_meeting_link'],
  ['series off', event(), rules({ seriesOverrides: { 'series-1@google.com': false } }), false, 'series_off'],
  ['series on beats mode and title', event({ title: 'lunch', attendees: [] }), rules({ mode: 'with_external', skipTitlePatterns: ['lunch'], seriesOverrides: { 'series-1@google.com': true } }), true, 'series_on'],
  ['event override beats series', event(), rules({ seriesOverrides: { 'series-1@google.com': false }, eventOverrides: { evt1: true } }), true, 'event_override_on'],
  ['event override off', event(), rules({ eventOverrides: { evt1: false } }), false, 'event_override_off'],
  ['override for another event is ignored', event(), rules({ eventOverrides: { other: false } }), true, 'has_meeting_link'],
];

describe('decideCoverage', () => {
  for (const [label, evt, r, covered, reason] of CASES) {
    test(label, () => assert.deepEqual(decideCoverage(evt, r), { covered, reason }));
  }

  test('an invalid title pattern is a bad request naming the field', () => {
    assert.throws(
      () => decideCoverage(event(), rules({ skipTitlePatterns: ['ok', '(unclosed'] })),
      (e: unknown) => e instanceof AppError && e.code === 'invalid_title_pattern' && e.message.startsWith('skipTitlePatterns[1]'),
    );
  });
});
