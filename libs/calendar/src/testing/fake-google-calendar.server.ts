import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { calendar_v3 } from '@googleapis/calendar';
import { type InjectedFailure, type RecordedRequest, bearer, close, deliver, listen, parseForm, readBody, sendJson } from './http-util';

/**
 * A local stand-in for Google's Calendar API v3 and OAuth endpoints that speaks their documented
 * wire format (https://developers.google.com/calendar/api/guides/sync, /guides/push,
 * https://developers.google.com/identity/protocols/oauth2). It fakes the VENDOR only; the code
 * under test is the real adapter using the official SDKs.
 *
 * - `POST /token` (authorization_code, refresh_token → `invalid_grant` once revoked), `POST /revoke`
 * - `GET /calendar/v3/calendars/{id}/events`: timeMin/timeMax, singleEvents (RRULE DAILY/WEEKLY
 *   with COUNT expanded into `<id>_<YYYYMMDDTHHMMSSZ>` instances), maxResults/pageToken/
 *   nextPageToken, nextSyncToken on the last page only, syncToken increments including
 *   `status: cancelled` stubs, 410 `fullSyncRequired` for invalidated tokens, injected 429/5xx
 * - `POST /calendar/v3/calendars/{id}/events/watch` + `POST /calendar/v3/channels/stop`, with push
 *   notifications (`sync` on creation, then `exists`) POSTed to the channel address.
 */

export type FakeGoogleEvent = calendar_v3.Schema$Event & { id: string };

interface StoredEvent {
  event: FakeGoogleEvent;
  seq: number;
  /** Cancelled instances of a series: original start ISO → seq at which it was cancelled. */
  cancelledInstances: Map<string, number>;
  /** A deleted event: returned only as a `cancelled` stub in incremental sync. */
  deleted: boolean;
}

interface Channel {
  id: string;
  resourceId: string;
  calendarId: string;
  address: string;
  token: string | null;
  expiration: number;
  messageNumber: number;
  stopped: boolean;
}

interface Grant {
  refreshToken: string;
  scope: string;
  revoked: boolean;
}

const DAY = 86_400_000;

export interface FakeGoogleOptions {
  clientId?: string;
  clientSecret?: string;
  /** Longest channel TTL granted (ms); Google's real cap is about a week. */
  maxChannelTtlMs?: number;
  accessTokenTtlSeconds?: number;
}

export class FakeGoogleCalendarServer {
  readonly requests: RecordedRequest[] = [];
  readonly deliveries: Array<{ channelId: string; state: string; messageNumber: number; status: number }> = [];
  private readonly calendars = new Map<string, Map<string, StoredEvent>>();
  private readonly channels = new Map<string, Channel>();
  private readonly codes = new Map<string, { scope: string }>();
  private readonly grants = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, { refreshToken: string; expiresAt: number }>();
  private readonly failures: InjectedFailure[] = [];
  private seq = 0;
  /** Sync tokens carry the generation they were issued in; invalidating bumps it. */
  private generation = 1;
  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: Required<FakeGoogleOptions>,
  ) {}

  static async start(options: FakeGoogleOptions = {}): Promise<FakeGoogleCalendarServer> {
    const opts: Required<FakeGoogleOptions> = {
      clientId: 'test-client.apps.googleusercontent.com',
      clientSecret: 'test-secret',
      maxChannelTtlMs: 7 * DAY,
      accessTokenTtlSeconds: 3599,
      ...options,
    };
    let instance: FakeGoogleCalendarServer | null = null;
    const { server, url } = await listen((req, res) => instance!.handle(req, res));
    instance = new FakeGoogleCalendarServer(server, url, opts);
    return instance;
  }

  get apiRootUrl(): string {
    return `${this.url}/`;
  }
  get tokenUrl(): string {
    return `${this.url}/token`;
  }
  get revokeUrl(): string {
    return `${this.url}/revoke`;
  }
  get authUrl(): string {
    return `${this.url}/o/oauth2/v2/auth`;
  }
  get clientId(): string {
    return this.options.clientId;
  }
  get clientSecret(): string {
    return this.options.clientSecret;
  }

  async stop(): Promise<void> {
    await close(this.server);
  }

  // ------------------------------------------------------------------ test controls

  /** Registers an authorization code the consent screen would have issued. */
  issueAuthCode(code: string, scope = 'openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/calendar.events.readonly'): void {
    this.codes.set(code, { scope });
  }

  /** A grant created out of band (as if the user had connected earlier). */
  createGrant(scope = 'https://www.googleapis.com/auth/calendar.events.readonly'): { refreshToken: string; accessToken: string; expiresAt: number } {
    const refreshToken = `1//rt-${randomBytes(12).toString('hex')}`;
    this.grants.set(refreshToken, { refreshToken, scope, revoked: false });
    const accessToken = this.mintAccessToken(refreshToken);
    return { refreshToken, accessToken, expiresAt: this.accessTokens.get(accessToken)!.expiresAt };
  }

  revokeGrant(refreshToken: string): void {
    const grant = this.grants.get(refreshToken);
    if (grant) grant.revoked = true;
    for (const [token, info] of this.accessTokens) if (info.refreshToken === refreshToken) this.accessTokens.delete(token);
  }

  isRevoked(refreshToken: string): boolean {
    return this.grants.get(refreshToken)?.revoked ?? false;
  }

  /** Every access token issued so far stops working (as after an hour). */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  putEvent(calendarId: string, event: FakeGoogleEvent): void {
    const cal = this.calendar(calendarId);
    const existing = cal.get(event.id);
    this.seq += 1;
    cal.set(event.id, {
      event: { kind: 'calendar#event', status: 'confirmed', iCalUID: `${event.id}@google.com`, ...event, updated: new Date().toISOString() },
      seq: this.seq,
      cancelledInstances: existing?.cancelledInstances ?? new Map(),
      deleted: false,
    });
  }

  deleteEvent(calendarId: string, eventId: string): void {
    const stored = this.calendar(calendarId).get(eventId);
    if (!stored) return;
    this.seq += 1;
    stored.deleted = true;
    stored.seq = this.seq;
  }

  /** Cancels one occurrence of a recurring series (an exception with status cancelled). */
  cancelInstance(calendarId: string, masterId: string, originalStartIso: string): void {
    const stored = this.calendar(calendarId).get(masterId);
    if (!stored) throw new Error(`no series ${masterId}`);
    this.seq += 1;
    stored.cancelledInstances.set(new Date(originalStartIso).toISOString(), this.seq);
  }

  /** Every sync token issued so far becomes invalid (410 fullSyncRequired). */
  invalidateSyncTokens(): void {
    this.generation += 1;
  }

  /** The next `count` calendar API requests fail this way. */
  failNext(count: number, status: number, retryAfterSeconds?: number): void {
    const reason = status === 429 ? 'rateLimitExceeded' : 'backendError';
    for (let i = 0; i < count; i++) {
      this.failures.push({
        status,
        retryAfterSeconds,
        body: { error: { code: status, message: status === 429 ? 'Rate Limit Exceeded' : 'Backend Error', errors: [{ domain: status === 429 ? 'usageLimits' : 'global', reason, message: reason }] } },
      });
    }
  }

  activeChannels(): Array<Pick<Channel, 'id' | 'resourceId' | 'expiration' | 'address'>> {
    return [...this.channels.values()].filter((c) => !c.stopped).map(({ id, resourceId, expiration, address }) => ({ id, resourceId, expiration, address }));
  }

  /** Sends an `exists` notification on every live channel of the calendar (as after a change). */
  async notifyChange(calendarId: string): Promise<Array<{ status: number }>> {
    const out: Array<{ status: number }> = [];
    for (const channel of this.channels.values()) {
      if (channel.calendarId !== calendarId || channel.stopped) continue;
      out.push(await this.push(channel, 'exists'));
    }
    return out;
  }

  // ------------------------------------------------------------------ HTTP

  private calendar(id: string): Map<string, StoredEvent> {
    let cal = this.calendars.get(id);
    if (!cal) this.calendars.set(id, (cal = new Map()));
    return cal;
  }

  private mintAccessToken(refreshToken: string): string {
    const token = `ya29.${randomBytes(16).toString('hex')}`;
    this.accessTokens.set(token, { refreshToken, expiresAt: Date.now() + this.options.accessTokenTtlSeconds * 1000 });
    return token;
  }

  private async push(channel: Channel, state: 'sync' | 'exists'): Promise<{ status: number }> {
    channel.messageNumber += 1;
    const headers: Record<string, string> = {
      'X-Goog-Channel-ID': channel.id,
      'X-Goog-Channel-Expiration': new Date(channel.expiration).toUTCString(),
      'X-Goog-Resource-ID': channel.resourceId,
      'X-Goog-Resource-URI': `${this.url}/calendar/v3/calendars/${encodeURIComponent(channel.calendarId)}/events?alt=json`,
      'X-Goog-Resource-State': state,
      'X-Goog-Message-Number': String(channel.messageNumber),
    };
    if (channel.token) headers['X-Goog-Channel-Token'] = channel.token;
    const { status } = await deliver(channel.address, { headers }).catch(() => ({ status: 0 }));
    this.deliveries.push({ channelId: channel.id, state, messageNumber: channel.messageNumber, status });
    return { status };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const body = await readBody(req);
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body, at: Date.now() });

    if (req.method === 'POST' && url.pathname === '/token') return this.token(res, parseForm(body));
    if (req.method === 'POST' && url.pathname === '/revoke') {
      const token = url.searchParams.get('token') ?? parseForm(body).get('token') ?? '';
      if (!this.grants.has(token) && !this.accessTokens.has(token)) return sendJson(res, 400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
      const rt = this.grants.has(token) ? token : this.accessTokens.get(token)!.refreshToken;
      this.revokeGrant(rt);
      return sendJson(res, 200, {});
    }

    const access = bearer(req);
    if (!access || !this.accessTokens.has(access) || this.accessTokens.get(access)!.expiresAt < Date.now()) {
      return sendJson(res, 401, {
        error: { code: 401, message: 'Request had invalid authentication credentials.', errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' }], status: 'UNAUTHENTICATED' },
      });
    }
    const failure = this.failures.shift();
    if (failure) {
      return sendJson(res, failure.status, failure.body, failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {});
    }

    const list = /^\/calendar\/v3\/calendars\/([^/]+)\/events$/.exec(url.pathname);
    if (req.method === 'GET' && list) return this.list(res, decodeURIComponent(list[1]), url.searchParams);
    const watch = /^\/calendar\/v3\/calendars\/([^/]+)\/events\/watch$/.exec(url.pathname);
    if (req.method === 'POST' && watch) return this.watch(res, decodeURIComponent(watch[1]), JSON.parse(body || '{}') as Record<string, unknown>);
    if (req.method === 'POST' && url.pathname === '/calendar/v3/channels/stop') {
      const { id, resourceId } = JSON.parse(body || '{}') as { id?: string; resourceId?: string };
      const channel = id ? this.channels.get(id) : undefined;
      if (!channel || channel.stopped || channel.resourceId !== resourceId) {
        return sendJson(res, 404, { error: { code: 404, message: `Channel '${id}' not found for project '1234567890'`, errors: [{ domain: 'global', reason: 'notFound', message: 'Not Found' }] } });
      }
      channel.stopped = true;
      res.writeHead(204).end();
      return;
    }
    return sendJson(res, 404, { error: { code: 404, message: 'Not Found', errors: [{ domain: 'global', reason: 'notFound', message: 'Not Found' }] } });
  }

  private token(res: ServerResponse, form: URLSearchParams): void {
    if (form.get('client_id') !== this.options.clientId || form.get('client_secret') !== this.options.clientSecret) {
      return sendJson(res, 401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    }
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      if (!code) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
      this.codes.delete(form.get('code') ?? '');
      const refreshToken = `1//rt-${randomBytes(12).toString('hex')}`;
      this.grants.set(refreshToken, { refreshToken, scope: code.scope, revoked: false });
      const accessToken = this.mintAccessToken(refreshToken);
      return sendJson(res, 200, { access_token: accessToken, expires_in: this.options.accessTokenTtlSeconds, refresh_token: refreshToken, scope: code.scope, token_type: 'Bearer' });
    }
    if (grantType === 'refresh_token') {
      const grant = this.grants.get(form.get('refresh_token') ?? '');
      if (!grant || grant.revoked) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      const accessToken = this.mintAccessToken(grant.refreshToken);
      return sendJson(res, 200, { access_token: accessToken, expires_in: this.options.accessTokenTtlSeconds, scope: grant.scope, token_type: 'Bearer' });
    }
    return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grantType}` });
  }

  /** Every item the calendar holds, as events.list would show them, with the seq of their last change. */
  private items(calendarId: string, singleEvents: boolean): Array<{ item: calendar_v3.Schema$Event; seq: number; start: number; end: number }> {
    const out: Array<{ item: calendar_v3.Schema$Event; seq: number; start: number; end: number }> = [];
    for (const stored of this.calendar(calendarId).values()) {
      const e = stored.event;
      if (stored.deleted) {
        out.push({ item: { kind: 'calendar#event', id: e.id, status: 'cancelled' }, seq: stored.seq, start: NaN, end: NaN });
        continue;
      }
      const start = Date.parse(e.start?.dateTime ?? `${e.start?.date}T00:00:00Z`);
      const end = Date.parse(e.end?.dateTime ?? `${e.end?.date}T00:00:00Z`);
      if (!e.recurrence?.length || !singleEvents) {
        out.push({ item: e, seq: stored.seq, start, end });
        continue;
      }
      for (const occurrence of expand(e.recurrence, start)) {
        const iso = new Date(occurrence).toISOString();
        const id = `${e.id}_${iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`;
        const originalStartTime = { dateTime: iso };
        const cancelledAt = stored.cancelledInstances.get(iso);
        if (cancelledAt !== undefined) {
          out.push({ item: { kind: 'calendar#event', id, status: 'cancelled', recurringEventId: e.id, originalStartTime }, seq: Math.max(cancelledAt, stored.seq), start: occurrence, end: occurrence + (end - start) });
          continue;
        }
        const { recurrence: _recurrence, ...rest } = e;
        out.push({
          item: { ...rest, id, recurringEventId: e.id, originalStartTime, start: { dateTime: iso }, end: { dateTime: new Date(occurrence + (end - start)).toISOString() } },
          seq: stored.seq,
          start: occurrence,
          end: occurrence + (end - start),
        });
      }
    }
    return out.sort((a, b) => (a.start || 0) - (b.start || 0) || String(a.item.id).localeCompare(String(b.item.id)));
  }

  private list(res: ServerResponse, calendarId: string, q: URLSearchParams): void {
    const syncToken = q.get('syncToken');
    if (syncToken && (q.has('timeMin') || q.has('timeMax') || q.has('orderBy') || q.has('q') || q.has('updatedMin') || q.has('iCalUID'))) {
      return sendJson(res, 400, { error: { code: 400, message: 'Sync token cannot be combined with these parameters.', errors: [{ domain: 'global', reason: 'invalid', message: 'Invalid' }] } });
    }
    const singleEvents = q.get('singleEvents') === 'true';
    const maxResults = Math.min(Number(q.get('maxResults') ?? 250), 2500);
    let page: { offset: number; snapshot: number } = { offset: 0, snapshot: this.seq };
    const pageToken = q.get('pageToken');
    if (pageToken) page = JSON.parse(Buffer.from(pageToken, 'base64url').toString('utf8')) as typeof page;

    let selected: Array<{ item: calendar_v3.Schema$Event; seq: number; start: number; end: number }>;
    if (syncToken) {
      const since = /^g(\d+)-s(\d+)$/.exec(syncToken);
      if (!since || Number(since[1]) !== this.generation) {
        return sendJson(res, 410, { error: { code: 410, message: 'Sync token is no longer valid, a full sync is required.', errors: [{ domain: 'global', reason: 'fullSyncRequired', message: 'Sync token is no longer valid, a full sync is required.' }] } });
      }
      const from = Number(since[2]);
      selected = this.items(calendarId, singleEvents).filter((x) => x.seq > from && x.seq <= page.snapshot);
    } else {
      const timeMin = q.has('timeMin') ? Date.parse(q.get('timeMin')!) : -Infinity;
      const timeMax = q.has('timeMax') ? Date.parse(q.get('timeMax')!) : Infinity;
      const showDeleted = q.get('showDeleted') === 'true';
      selected = this.items(calendarId, singleEvents).filter((x) => (showDeleted || x.item.status !== 'cancelled') && x.end > timeMin && x.start < timeMax);
    }
    const slice = selected.slice(page.offset, page.offset + maxResults);
    const more = page.offset + maxResults < selected.length;
    sendJson(res, 200, {
      kind: 'calendar#events',
      etag: `"${createHash('md5').update(String(this.seq)).digest('hex')}"`,
      summary: calendarId,
      updated: new Date().toISOString(),
      timeZone: 'UTC',
      accessRole: 'owner',
      items: slice.map((x) => x.item),
      ...(more
        ? { nextPageToken: Buffer.from(JSON.stringify({ offset: page.offset + maxResults, snapshot: page.snapshot })).toString('base64url') }
        : { nextSyncToken: `g${this.generation}-s${page.snapshot}` }),
    });
  }

  private watch(res: ServerResponse, calendarId: string, body: Record<string, unknown>): void {
    const id = typeof body.id === 'string' ? body.id : '';
    const address = typeof body.address === 'string' ? body.address : '';
    if (!id || body.type !== 'web_hook' || !address) {
      return sendJson(res, 400, { error: { code: 400, message: 'Invalid channel', errors: [{ domain: 'global', reason: 'invalid', message: 'Invalid' }] } });
    }
    if (this.channels.has(id)) {
      return sendJson(res, 400, { error: { code: 400, message: `Channel id ${id} not unique`, errors: [{ domain: 'global', reason: 'channelIdNotUnique', message: 'Channel id not unique' }] } });
    }
    const params = (body.params ?? {}) as { ttl?: string };
    const ttlMs = params.ttl ? Number(params.ttl) * 1000 : this.options.maxChannelTtlMs;
    const channel: Channel = {
      id,
      resourceId: `res-${createHash('sha1').update(calendarId).digest('hex').slice(0, 20)}`,
      calendarId,
      address,
      token: typeof body.token === 'string' ? body.token : null,
      expiration: Date.now() + Math.min(ttlMs, this.options.maxChannelTtlMs),
      messageNumber: 0,
      stopped: false,
    };
    this.channels.set(id, channel);
    sendJson(res, 200, {
      kind: 'api#channel',
      id,
      resourceId: channel.resourceId,
      resourceUri: `${this.url}/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events?alt=json`,
      expiration: String(channel.expiration),
    });
    // Google sends a `sync` message right after the channel is created.
    setImmediate(() => void this.push(channel, 'sync'));
  }
}

/** Expands `RRULE:FREQ=DAILY|WEEKLY;COUNT=n[;INTERVAL=k]` (enough for tests; no BYDAY/UNTIL). */
function expand(recurrence: string[], start: number): number[] {
  const rule = recurrence.find((r) => r.startsWith('RRULE:'));
  if (!rule) return [start];
  const parts = new Map(rule.slice(6).split(';').map((kv) => kv.split('=') as [string, string]));
  const step = (parts.get('FREQ') === 'WEEKLY' ? 7 : 1) * DAY * Number(parts.get('INTERVAL') ?? 1);
  const count = Number(parts.get('COUNT') ?? 10);
  return Array.from({ length: count }, (_, i) => start + i * step);
}
