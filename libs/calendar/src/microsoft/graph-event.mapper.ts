import type { Attendee, DateTimeTimeZone, Event as GraphEvent } from '@microsoft/microsoft-graph-types';
import { extractMeetingLink } from '@rapport/meeting-links';
import type { CalendarAttendee, CalendarEventSnapshot, RemovedEvent, SelfResponse } from '../types';

/** A delta item: an event, or `{id, "@removed": {reason}}`. */
export type GraphDeltaItem = GraphEvent & { '@removed'?: { reason?: string } };

function response(value: string | null | undefined): SelfResponse {
  switch (value) {
    case 'accepted':
    case 'organizer':
      return 'accepted';
    case 'tentativelyAccepted':
      return 'tentative';
    case 'declined':
      return 'declined';
    default:
      return 'needsAction';
  }
}

/** Graph returns local wall time plus a zone name; we ask for UTC (`Prefer: outlook.timezone="UTC"`). */
function utc(t: DateTimeTimeZone | null | undefined): string | null {
  if (!t?.dateTime) return null;
  const zone = (t.timeZone ?? 'UTC').toUpperCase();
  const hasOffset = /(?:Z|[+-]\d\d:?\d\d)$/i.test(t.dateTime);
  const text = hasOffset || (zone !== 'UTC' && zone !== 'COORDINATED UNIVERSAL TIME') ? t.dateTime : `${t.dateTime}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export type GraphMapped =
  | { kind: 'event'; event: CalendarEventSnapshot }
  | { kind: 'removed'; removed: RemovedEvent }
  | { kind: 'skip' };

export function mapGraphEvent(item: GraphDeltaItem, selfEmail: string | undefined, includeRaw = false): GraphMapped {
  if (!item.id) return { kind: 'skip' };
  if (item['@removed']) return { kind: 'removed', removed: { providerEventId: item.id, reason: 'deleted' } };
  const start = utc(item.start);
  const end = utc(item.end);
  if (!start || !end) return { kind: 'skip' };
  // calendarView expands series; a master should not appear, but never treat it as a meeting.
  if (item.type === 'seriesMaster') return { kind: 'skip' };

  const self = selfEmail?.toLowerCase();
  const organizerEmail = item.organizer?.emailAddress?.address?.toLowerCase() ?? null;
  const attendees: CalendarAttendee[] = (item.attendees ?? [])
    .filter((a: Attendee) => a.emailAddress?.address)
    .map((a: Attendee) => {
      const email = (a.emailAddress?.address ?? '').toLowerCase();
      return {
        email,
        name: a.emailAddress?.name ?? null,
        response: response(a.status?.response),
        isSelf: self !== undefined && email === self,
        isOrganizer: email === organizerEmail,
        isResource: a.type === 'resource',
      };
    });
  const isOrganizer = item.isOrganizer === true;
  const selfResponse: SelfResponse = isOrganizer ? 'accepted' : response(item.responseStatus?.response);

  const locations = [item.location?.displayName, item.location?.locationUri, ...(item.locations ?? []).flatMap((l) => [l.locationUri, l.displayName])]
    .filter((s): s is string => typeof s === 'string' && s.length > 0)
    .join('\n');

  const event: CalendarEventSnapshot = {
    provider: 'microsoft',
    providerEventId: item.id,
    iCalUID: item.iCalUId ?? null,
    seriesMasterId: item.seriesMasterId ?? null,
    title: item.subject ?? '',
    start,
    end,
    allDay: item.isAllDay === true,
    organizerEmail,
    isOrganizer,
    attendees,
    selfResponse,
    cancelled: item.isCancelled === true,
    meetingLink: extractMeetingLink({
      onlineMeetingJoinUrl: item.onlineMeeting?.joinUrl ?? item.onlineMeetingUrl ?? null,
      location: locations || null,
      body: item.body?.content ?? item.bodyPreview ?? null,
      subject: item.subject,
    }),
  };
  if (includeRaw) event.raw = item;
  return { kind: 'event', event };
}
