import type { calendar_v3 } from '@googleapis/calendar';
import { extractMeetingLink } from '@rapport/meeting-links';
import type { CalendarAttendee, CalendarEventSnapshot, RemovedEvent, SelfResponse } from '../types';

/** Event types that are never meetings (Google's own). */
const NON_MEETING_TYPES = new Set(['outOfOffice', 'focusTime', 'workingLocation', 'birthday']);

function response(status: string | null | undefined): SelfResponse {
  switch (status) {
    case 'accepted':
    case 'declined':
    case 'tentative':
      return status;
    default:
      return 'needsAction';
  }
}

function when(t: calendar_v3.Schema$EventDateTime | undefined): { iso: string; allDay: boolean } | null {
  if (t?.dateTime) return { iso: new Date(t.dateTime).toISOString(), allDay: false };
  if (t?.date) return { iso: new Date(`${t.date}T00:00:00Z`).toISOString(), allDay: true };
  return null;
}

export type GoogleMapped =
  | { kind: 'event'; event: CalendarEventSnapshot }
  | { kind: 'removed'; removed: RemovedEvent }
  | { kind: 'skip' };

/**
 * Google event → snapshot. A cancelled item without times is a stub (a deleted event, or a
 * cancelled instance of a live series: only id/recurringEventId/originalStartTime are set) and
 * becomes a `removed` entry; a cancelled item that kept its details becomes `cancelled: true`.
 */
export function mapGoogleEvent(item: calendar_v3.Schema$Event, includeRaw = false): GoogleMapped {
  if (!item.id) return { kind: 'skip' };
  const start = when(item.start);
  const end = when(item.end);
  const cancelled = item.status === 'cancelled';
  if (cancelled && (!start || !end)) return { kind: 'removed', removed: { providerEventId: item.id, reason: 'cancelled' } };
  if (!start || !end) return { kind: 'skip' };
  if (item.eventType && NON_MEETING_TYPES.has(item.eventType)) return { kind: 'skip' };

  const attendees: CalendarAttendee[] = (item.attendees ?? [])
    .filter((a) => a.email)
    .map((a) => ({
      email: (a.email ?? '').toLowerCase(),
      name: a.displayName ?? null,
      response: response(a.responseStatus),
      isSelf: a.self === true,
      isOrganizer: a.organizer === true,
      isResource: a.resource === true,
    }));
  const isOrganizer = item.organizer?.self === true;
  const self = attendees.find((a) => a.isSelf);
  // No attendee list: the user's own event (organizer) or an event they were copied onto.
  const selfResponse: SelfResponse = self ? self.response : isOrganizer ? 'accepted' : 'needsAction';

  const event: CalendarEventSnapshot = {
    provider: 'google',
    providerEventId: item.id,
    iCalUID: item.iCalUID ?? null,
    seriesMasterId: item.recurringEventId ?? null,
    title: item.summary ?? '',
    start: start.iso,
    end: end.iso,
    allDay: start.allDay,
    organizerEmail: item.organizer?.email?.toLowerCase() ?? null,
    isOrganizer,
    attendees,
    selfResponse,
    cancelled,
    meetingLink: extractMeetingLink({
      conferenceData: item.conferenceData
        ? { entryPoints: item.conferenceData.entryPoints ?? null, notes: item.conferenceData.notes ?? null }
        : null,
      hangoutLink: item.hangoutLink,
      location: item.location,
      description: item.description,
      subject: item.summary,
    }),
  };
  if (includeRaw) event.raw = item;
  return { kind: 'event', event };
}
