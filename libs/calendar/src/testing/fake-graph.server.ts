import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Event as GraphEvent } from '@microsoft/microsoft-graph-types';
import { type InjectedFailure, type RecordedRequest, bearer, close, deliver, listen, parseForm, readBody, sendJson } from './http-util';

/**
 * A local stand-in for Microsoft Graph v1.0 calendars and the Microsoft identity platform token
 * endpoint, speaking their documented wire format (event-delta.md, subscription.md,
 * change-notifications-delivery-webhooks.md, change-notifications-lifecycle-events.md). It fakes
 * the VENDOR only.
 *
 * - `POST /{tenant}/oauth2/v2.0/token`: authorization_code, refresh_token. Refresh tokens ROTATE:
 *   each use returns a new one and (stricter than AAD, on purpose) retires the old one, so an
 *   adapter that forgets to persist the rotated token fails here.
 * - `GET /v1.0/me/calendarView/delta`: startDateTime/endDateTime on the first call, `Prefer:
 *   odata.maxpagesize`, `@odata.nextLink` ($skiptoken) pages, `@odata.deltaLink` ($deltatoken),
 *   `@removed` items, 410 `syncStateNotFound` for invalidated tokens, injected 429/5xx.
 * - `/v1.0/subscriptions` POST (validationToken handshake with the notification and lifecycle
 *   URLs), PATCH (renew), DELETE; change and lifecycle notifications POSTed to them.
 */

interface StoredEvent {
  event: GraphEvent & { id: string };
  seq: number;
  deleted: boolean;
}

interface Subscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationDateTime: string;
}

interface Grant {
  refreshToken: string;
  scope: string;
  revoked: boolean;
}

const MAX_SUBSCRIPTION_MINUTES = 10_080;

/** Graph's wall-clock format with `Prefer: outlook.timezone="UTC"`: `2026-11-26T10:00:00.0000000`. */
export function graphDateTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$10000');
}

export interface FakeGraphOptions {
  clientId?: string;
  clientSecret?: string;
  tenantId?: string;
  accessTokenTtlSeconds?: number;
  /** Fail the validation handshake when the receiver takes longer (Graph: 10 s). */
  validationTimeoutMs?: number;
}

export class FakeGraphServer {
  readonly requests: RecordedRequest[] = [];
  readonly deliveries: Array<{ subscriptionId: string; kind: 'change' | 'lifecycle'; status: number }> = [];
  private readonly events = new Map<string, StoredEvent>();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly codes = new Map<string, { scope: string }>();
  private readonly grants = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, { refreshToken: string; expiresAt: number }>();
  private readonly skipTokens = new Map<string, { remaining: unknown[]; deltaSeq: number; window: { start: number; end: number } }>();
  private readonly deltaTokens = new Map<string, { seq: number; window: { start: number; end: number }; generation: number }>();
  private readonly failures: InjectedFailure[] = [];
  private seq = 0;
  private generation = 1;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: Required<FakeGraphOptions>,
  ) {}

  static async start(options: FakeGraphOptions = {}): Promise<FakeGraphServer> {
    const opts: Required<FakeGraphOptions> = {
      clientId: '00000000-0000-0000-0000-00000000c11e',
      clientSecret: 'test-secret',
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      accessTokenTtlSeconds: 3599,
      validationTimeoutMs: 10_000,
      ...options,
    };
    let instance: FakeGraphServer | null = null;
    const { server, url } = await listen((req, res) => instance!.handle(req, res));
    instance = new FakeGraphServer(server, url, opts);
    return instance;
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

  issueAuthCode(code: string, scope = 'https://graph.microsoft.com/Calendars.Read https://graph.microsoft.com/User.Read openid profile email offline_access'): void {
    this.codes.set(code, { scope });
  }

  createGrant(scope = 'https://graph.microsoft.com/Calendars.Read offline_access'): { refreshToken: string; accessToken: string; expiresAt: number } {
    const refreshToken = this.newRefreshToken(scope);
    const accessToken = this.mintAccessToken(refreshToken);
    return { refreshToken, accessToken, expiresAt: this.accessTokens.get(accessToken)!.expiresAt };
  }

  revokeGrant(refreshToken: string): void {
    const grant = this.grants.get(refreshToken);
    if (grant) grant.revoked = true;
    for (const [t, info] of this.accessTokens) if (info.refreshToken === refreshToken) this.accessTokens.delete(t);
  }

  /** The refresh token currently valid for the grant that `anyRefreshToken` started. */
  liveRefreshTokens(): string[] {
    return [...this.grants.values()].filter((g) => !g.revoked).map((g) => g.refreshToken);
  }

  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  putEvent(event: GraphEvent & { id: string }): void {
    this.seq += 1;
    this.events.set(event.id, {
      event: { '@odata.etag': `W/"${this.seq}"`, type: 'singleInstance', isCancelled: false, iCalUId: `040000008200E00074C5B7101A82E008${event.id}`, ...event } as GraphEvent & { id: string },
      seq: this.seq,
      deleted: false,
    });
  }

  /** A weekly series as calendarView shows it: occurrences with seriesMasterId, type `occurrence`. */
  putSeries(master: GraphEvent & { id: string }, count: number): string[] {
    const start = Date.parse(`${master.start?.dateTime}Z`);
    const end = Date.parse(`${master.end?.dateTime}Z`);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const s = new Date(start + i * 7 * 86_400_000);
      const id = `${master.id}_occ${i}`;
      ids.push(id);
      this.putEvent({
        ...master,
        id,
        type: 'occurrence',
        seriesMasterId: master.id,
        iCalUId: `040000008200E00074C5B7101A82E008${master.id}`,
        start: { dateTime: graphDateTime(s), timeZone: 'UTC' },
        end: { dateTime: graphDateTime(new Date(s.getTime() + (end - start))), timeZone: 'UTC' },
        originalStart: s.toISOString(),
      });
    }
    return ids;
  }

  deleteEvent(id: string): void {
    const stored = this.events.get(id);
    if (!stored) return;
    this.seq += 1;
    stored.deleted = true;
    stored.seq = this.seq;
  }

  invalidateDeltaTokens(): void {
    this.generation += 1;
  }

  failNext(count: number, status: number, retryAfterSeconds?: number): void {
    for (let i = 0; i < count; i++) {
      this.failures.push({
        status,
        retryAfterSeconds,
        body: { error: { code: status === 429 ? 'TooManyRequests' : 'ServiceNotAvailable', message: status === 429 ? 'Too many requests' : 'Service unavailable', innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } } },
      });
    }
  }

  subscription(id: string): Subscription | undefined {
    return this.subscriptions.get(id);
  }

  async emitChange(subscriptionId: string, eventId: string, changeType: 'created' | 'updated' | 'deleted', clientStateOverride?: string): Promise<{ status: number }> {
    const sub = this.subscriptions.get(subscriptionId);
    if (!sub) throw new Error(`no subscription ${subscriptionId}`);
    const body = {
      value: [
        {
          subscriptionId: sub.id,
          subscriptionExpirationDateTime: sub.expirationDateTime,
          changeType,
          resource: `Users/00000000-0000-0000-0000-0000000000aa/Events/${eventId}`,
          resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': `Users/00000000-0000-0000-0000-0000000000aa/Events/${eventId}`, '@odata.etag': `W/"${this.seq}"`, id: eventId },
          clientState: clientStateOverride ?? sub.clientState,
          tenantId: this.options.tenantId,
        },
      ],
    };
    const { status } = await deliver(sub.notificationUrl, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    this.deliveries.push({ subscriptionId, kind: 'change', status });
    return { status };
  }

  async emitLifecycle(subscriptionId: string, lifecycleEvent: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed'): Promise<{ status: number }> {
    const sub = this.subscriptions.get(subscriptionId);
    if (!sub?.lifecycleNotificationUrl) throw new Error(`no lifecycle URL for ${subscriptionId}`);
    if (lifecycleEvent === 'subscriptionRemoved') this.subscriptions.delete(subscriptionId);
    const body = { value: [{ subscriptionId, subscriptionExpirationDateTime: sub.expirationDateTime, tenantId: this.options.tenantId, clientState: sub.clientState, lifecycleEvent }] };
    const { status } = await deliver(sub.lifecycleNotificationUrl, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    this.deliveries.push({ subscriptionId, kind: 'lifecycle', status });
    return { status };
  }

  // ------------------------------------------------------------------ HTTP

  private newRefreshToken(scope: string): string {
    const refreshToken = `0.AX-rt-${randomBytes(16).toString('hex')}`;
    this.grants.set(refreshToken, { refreshToken, scope, revoked: false });
    return refreshToken;
  }

  private mintAccessToken(refreshToken: string): string {
    const token = `eyJ0eXAiOiJKV1QiLCJub25jZSI6.${randomBytes(16).toString('hex')}`;
    this.accessTokens.set(token, { refreshToken, expiresAt: Date.now() + this.options.accessTokenTtlSeconds * 1000 });
    return token;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const body = await readBody(req);
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body, at: Date.now() });

    if (req.method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(url.pathname)) return this.token(res, parseForm(body));

    const access = bearer(req);
    const info = access ? this.accessTokens.get(access) : undefined;
    if (!info || info.expiresAt < Date.now()) {
      return sendJson(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.', innerError: { date: new Date().toISOString() } } });
    }
    const failure = this.failures.shift();
    if (failure) return sendJson(res, failure.status, failure.body, failure.retryAfterSeconds !== undefined ? { 'Retry-After': String(failure.retryAfterSeconds) } : {});

    if (req.method === 'GET' && url.pathname === '/v1.0/me/calendarView/delta') return this.delta(req, res, url.searchParams);
    if (req.method === 'POST' && url.pathname === '/v1.0/subscriptions') return this.createSubscription(res, JSON.parse(body || '{}') as Record<string, unknown>);
    const sub = /^\/v1\.0\/subscriptions\/([^/]+)$/.exec(url.pathname);
    if (sub && req.method === 'PATCH') return this.renewSubscription(res, decodeURIComponent(sub[1]), JSON.parse(body || '{}') as Record<string, unknown>);
    if (sub && req.method === 'DELETE') {
      if (!this.subscriptions.delete(decodeURIComponent(sub[1]))) return this.notFound(res);
      res.writeHead(204).end();
      return;
    }
    return sendJson(res, 400, { error: { code: 'BadRequest', message: `Unsupported request ${req.method} ${url.pathname}` } });
  }

  private notFound(res: ServerResponse): void {
    sendJson(res, 404, { error: { code: 'ResourceNotFound', message: 'The object was not found.', innerError: { date: new Date().toISOString() } } });
  }

  private token(res: ServerResponse, form: URLSearchParams): void {
    if (form.get('client_id') !== this.options.clientId || form.get('client_secret') !== this.options.clientSecret) {
      return sendJson(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] });
    }
    const grantType = form.get('grant_type');
    let scope: string;
    if (grantType === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      if (!code) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'AADSTS70008: The provided authorization code or refresh token has expired.', error_codes: [70008] });
      this.codes.delete(form.get('code') ?? '');
      scope = code.scope;
    } else if (grantType === 'refresh_token') {
      const grant = this.grants.get(form.get('refresh_token') ?? '');
      if (!grant || grant.revoked) {
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'AADSTS70000: The provided value for the input parameter \'refresh_token\' is not valid.', error_codes: [70000] });
      }
      grant.revoked = true; // rotated: the old refresh token is spent
      scope = grant.scope;
    } else {
      return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'AADSTS70003', error_codes: [70003] });
    }
    const refreshToken = this.newRefreshToken(scope);
    return sendJson(res, 200, { token_type: 'Bearer', scope, expires_in: this.options.accessTokenTtlSeconds, ext_expires_in: this.options.accessTokenTtlSeconds, access_token: this.mintAccessToken(refreshToken), refresh_token: refreshToken });
  }

  private inWindow(e: GraphEvent, window: { start: number; end: number }): boolean {
    const s = Date.parse(`${e.start?.dateTime}Z`);
    const en = Date.parse(`${e.end?.dateTime}Z`);
    return en > window.start && s < window.end;
  }

  private delta(req: IncomingMessage, res: ServerResponse, q: URLSearchParams): void {
    const prefer = String(req.headers.prefer ?? '');
    const pageSize = Number(/odata\.maxpagesize=(\d+)/.exec(prefer)?.[1] ?? 100);
    let remaining: unknown[];
    let deltaSeq: number;
    let window: { start: number; end: number };
    const skip = q.get('$skiptoken');
    const deltaToken = q.get('$deltatoken');
    if (skip) {
      const state = this.skipTokens.get(skip);
      if (!state) return sendJson(res, 410, { error: { code: 'syncStateNotFound', message: 'The sync state generation is not found.' } });
      this.skipTokens.delete(skip);
      ({ remaining, deltaSeq, window } = state);
    } else if (deltaToken) {
      const state = this.deltaTokens.get(deltaToken);
      if (!state || state.generation !== this.generation) {
        return sendJson(res, 410, { error: { code: 'syncStateNotFound', message: 'The sync state generation is not found.' } });
      }
      window = state.window;
      deltaSeq = this.seq;
      // Changes since the token, wherever they are now (Graph reports moves out of the window too).
      remaining = [...this.events.values()]
        .filter((s) => s.seq > state.seq)
        .sort((a, b) => a.seq - b.seq)
        .map((s) => (s.deleted ? { '@odata.type': '#microsoft.graph.event', id: s.event.id, '@removed': { reason: 'deleted' } } : s.event));
    } else {
      const startDateTime = q.get('startDateTime');
      const endDateTime = q.get('endDateTime');
      if (!startDateTime || !endDateTime) {
        return sendJson(res, 400, { error: { code: 'ErrorInvalidParameter', message: 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.' } });
      }
      if (q.has('$select') || q.has('$filter') || q.has('$orderby')) {
        return sendJson(res, 400, { error: { code: 'ErrorInvalidUrlQuery', message: 'The following parameters are not supported with change tracking over the \'CalendarView\' resource: \'$orderby, $filter, $select, $expand, $search, $top\'.' } });
      }
      window = { start: Date.parse(startDateTime), end: Date.parse(endDateTime) };
      deltaSeq = this.seq;
      remaining = [...this.events.values()].filter((s) => !s.deleted && this.inWindow(s.event, window)).map((s) => s.event);
    }
    const value = remaining.slice(0, pageSize);
    const rest = remaining.slice(pageSize);
    const base = `${this.url}/v1.0/me/calendarView/delta`;
    if (rest.length > 0) {
      const token = randomBytes(12).toString('base64url');
      this.skipTokens.set(token, { remaining: rest, deltaSeq, window });
      return sendJson(res, 200, { '@odata.context': `${this.url}/v1.0/$metadata#Collection(event)`, '@odata.nextLink': `${base}?$skiptoken=${token}`, value });
    }
    const token = randomBytes(12).toString('base64url');
    this.deltaTokens.set(token, { seq: deltaSeq, window, generation: this.generation });
    return sendJson(res, 200, { '@odata.context': `${this.url}/v1.0/$metadata#Collection(event)`, '@odata.deltaLink': `${base}?$deltatoken=${token}`, value });
  }

  private async validate(url: string): Promise<boolean> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    try {
      const res = await fetch(`${url}${url.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        signal: AbortSignal.timeout(this.options.validationTimeoutMs),
      });
      return res.status === 200 && (await res.text()) === token && (res.headers.get('content-type') ?? '').startsWith('text/plain');
    } catch {
      return false;
    }
  }

  private async createSubscription(res: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const notificationUrl = typeof body.notificationUrl === 'string' ? body.notificationUrl : '';
    const lifecycleNotificationUrl = typeof body.lifecycleNotificationUrl === 'string' ? body.lifecycleNotificationUrl : null;
    const expiration = Date.parse(String(body.expirationDateTime));
    if (!notificationUrl || !body.resource || !body.changeType || Number.isNaN(expiration)) {
      return sendJson(res, 400, { error: { code: 'InvalidRequest', message: 'Missing required subscription properties.' } });
    }
    if (expiration > Date.now() + (MAX_SUBSCRIPTION_MINUTES + 1) * 60_000) {
      return sendJson(res, 400, { error: { code: 'InvalidRequest', message: `Subscription expiration can only be ${MAX_SUBSCRIPTION_MINUTES} minutes in the future.` } });
    }
    if (typeof body.clientState === 'string' && body.clientState.length > 128) {
      return sendJson(res, 400, { error: { code: 'InvalidRequest', message: 'clientState is limited to 128 characters.' } });
    }
    const valid = (await this.validate(notificationUrl)) && (!lifecycleNotificationUrl || (await this.validate(lifecycleNotificationUrl)));
    if (!valid) {
      return sendJson(res, 400, { error: { code: 'ValidationError', message: 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.' } });
    }
    const sub: Subscription = {
      id: randomUUID(),
      resource: String(body.resource),
      changeType: String(body.changeType),
      notificationUrl,
      lifecycleNotificationUrl,
      clientState: typeof body.clientState === 'string' ? body.clientState : null,
      expirationDateTime: new Date(expiration).toISOString(),
    };
    this.subscriptions.set(sub.id, sub);
    sendJson(res, 201, { '@odata.context': `${this.url}/v1.0/$metadata#subscriptions/$entity`, ...sub, applicationId: this.options.clientId, latestSupportedTlsVersion: 'v1_2' });
  }

  private renewSubscription(res: ServerResponse, id: string, body: Record<string, unknown>): void {
    const sub = this.subscriptions.get(id);
    if (!sub) return this.notFound(res);
    const expiration = Date.parse(String(body.expirationDateTime));
    if (Number.isNaN(expiration) || expiration > Date.now() + (MAX_SUBSCRIPTION_MINUTES + 1) * 60_000) {
      return sendJson(res, 400, { error: { code: 'InvalidRequest', message: `Subscription expiration can only be ${MAX_SUBSCRIPTION_MINUTES} minutes in the future.` } });
    }
    sub.expirationDateTime = new Date(expiration).toISOString();
    sendJson(res, 200, { '@odata.context': `${this.url}/v1.0/$metadata#subscriptions/$entity`, ...sub });
  }
}
