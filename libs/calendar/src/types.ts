import type { ParsedMeetingLink } from '@rapport/meeting-links';

export type CalendarProviderName = 'google' | 'microsoft';

/**
 * OAuth tokens of one calendar connection. `refreshToken` is always the newest one: Microsoft
 * rotates it on every use, so whoever holds a connection must persist what `onTokens` hands over.
 */
export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Access-token expiry, ms since epoch. */
  expiresAt: number;
  /** Scopes actually granted (users can untick scopes on Google's consent screen). */
  scopes: string[];
}

/** What an adapter needs to act for one connected calendar. */
export interface CalendarConnectionContext {
  /** Provider calendar id; `primary` for the user's main calendar. */
  calendarId: string;
  tokens: OAuthTokens;
  /** Called with every refreshed/rotated token set; the caller must persist it before relying on it. */
  onTokens?: (tokens: OAuthTokens) => void | Promise<void>;
  /** The connected user's email, when known (decides `isOrganizer`/self response for Graph). */
  selfEmail?: string;
}

export type SelfResponse = 'accepted' | 'declined' | 'tentative' | 'needsAction';

export interface CalendarAttendee {
  email: string;
  name: string | null;
  response: SelfResponse;
  isSelf: boolean;
  isOrganizer: boolean;
  /** Rooms and other resources (not people). */
  isResource: boolean;
}

/** One event occurrence, the same shape for every provider. */
export interface CalendarEventSnapshot {
  provider: CalendarProviderName;
  providerEventId: string;
  iCalUID: string | null;
  /** The series master's provider id for instances of a recurring series. */
  seriesMasterId: string | null;
  title: string;
  /** ISO 8601, UTC. All-day events start at 00:00Z of their date. */
  start: string;
  end: string;
  allDay: boolean;
  organizerEmail: string | null;
  isOrganizer: boolean;
  attendees: CalendarAttendee[];
  selfResponse: SelfResponse;
  cancelled: boolean;
  meetingLink: ParsedMeetingLink | null;
  /** Provider's payload, only when asked for (`includeRaw`). */
  raw?: unknown;
}

/** An event gone without details (Google cancelled stub, Graph `@removed`). */
export interface RemovedEvent {
  providerEventId: string;
  reason: 'deleted' | 'cancelled';
}

export interface SyncWindow {
  timeMin: Date;
  timeMax: Date;
}

export interface ListEventsOptions {
  /** Google `nextSyncToken` or the WHOLE Graph `@odata.deltaLink`; null/absent = full sync. */
  cursor?: string | null;
  /** Full-sync window; default: 1 day back, 28 days ahead of `now`. */
  window?: SyncWindow;
  now?: Date;
  pageSize?: number;
  includeRaw?: boolean;
}

export interface SyncResult {
  kind: 'full' | 'incremental';
  /** Events to upsert (cancelled ones carry `cancelled: true`). Incremental results can lie outside the window. */
  events: CalendarEventSnapshot[];
  removed: RemovedEvent[];
  /** Persist only after every event above is processed. */
  cursor: string;
  pages: number;
  /** Set by `syncCalendar` when the stored cursor was refused and a full sync replaced it: wipe local state for the window. */
  resetLocalState?: boolean;
  window?: SyncWindow;
}

/** A Google push channel or a Graph subscription. */
export interface WatchChannel {
  provider: CalendarProviderName;
  /** Google channel id / Graph subscription id. */
  id: string;
  /** Google `resourceId` (needed for `channels.stop`); null for Graph. */
  resourceId: string | null;
  expiresAt: Date;
  /** Google channel token / Graph clientState; store a hash and compare in constant time. */
  secret: string;
}

export interface StartWatchInput {
  /** HTTPS endpoint notifications are POSTed to. */
  address: string;
  /** Graph lifecycle endpoint (can only be set at creation). */
  lifecycleAddress?: string;
  secret: string;
  /** Requested lifetime; the provider's answer (`expiresAt`) is the truth. */
  ttlSeconds?: number;
  /** Google channel id (a UUID by default). */
  channelId?: string;
}

export interface AuthUrlInput {
  /** Signed, user-bound OAuth state (CSRF). */
  state: string;
  loginHint?: string;
}

/** One folder per provider implements this (see `google/`, `microsoft/`). */
export interface CalendarProvider {
  readonly name: CalendarProviderName;
  /** Minimal scopes this adapter asks for. */
  readonly scopes: readonly string[];
  buildAuthUrl(input: AuthUrlInput): string;
  /** Trades the callback `code` for tokens; refuses (auth_revoked) when required scopes were not granted. */
  exchangeCode(code: string): Promise<OAuthTokens>;
  /** Refreshes the access token; the result carries the (possibly rotated) refresh token to persist. */
  refreshTokens(tokens: OAuthTokens): Promise<OAuthTokens>;
  /** Revokes the grant where the provider supports it; returns whether the provider confirmed it. */
  revoke(tokens: OAuthTokens): Promise<{ revokedAtProvider: boolean }>;
  /** Full (window) or incremental (cursor) listing, all pages. Throws `sync_cursor_invalid` on a dead cursor. */
  listEvents(ctx: CalendarConnectionContext, options?: ListEventsOptions): Promise<SyncResult>;
  startWatch(ctx: CalendarConnectionContext, input: StartWatchInput): Promise<WatchChannel>;
  /**
   * Extends notifications. Google has no renewal call: a new channel is created and the old one
   * stopped. Graph: PATCH with a new expiry (reauthorizes too); `not_found` means recreate.
   */
  renewWatch(ctx: CalendarConnectionContext, channel: WatchChannel, input: StartWatchInput): Promise<WatchChannel>;
  stopWatch(ctx: CalendarConnectionContext, channel: WatchChannel): Promise<void>;
  /** Whether a channel is due for renewal at `now`. */
  needsRenewal(channel: WatchChannel, now?: Date): boolean;
}
