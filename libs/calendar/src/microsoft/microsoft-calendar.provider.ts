import {
  Client,
  type Context,
  HTTPMessageHandler,
  type Middleware,
  RetryHandler,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import type { Subscription } from '@microsoft/microsoft-graph-types';
import { CalendarError, TokenEndpointError, mapProviderError, parseRetryAfter } from '../errors';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetry } from '../retry';
import { defaultSyncWindow } from '../sync';
import type {
  AuthUrlInput,
  CalendarConnectionContext,
  CalendarEventSnapshot,
  CalendarProvider,
  ListEventsOptions,
  OAuthTokens,
  RemovedEvent,
  StartWatchInput,
  SyncResult,
  WatchChannel,
} from '../types';
import { type GraphDeltaItem, mapGraphEvent } from './graph-event.mapper';

export interface MicrosoftCalendarConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** `common` for multitenant + personal accounts. */
  tenant?: string;
  /** Default `https://login.microsoftonline.com`. */
  authorityBaseUrl?: string;
  /** Default `https://graph.microsoft.com`. */
  graphBaseUrl?: string;
  retry?: RetryPolicy;
  /** Graph caps event subscriptions at 10,080 min; its answer wins. */
  subscriptionMinutes?: number;
  /** PATCH when less than this is left. */
  renewBeforeMs?: number;
  pageSize?: number;
}

export const MICROSOFT_SCOPES = ['offline_access', 'Calendars.Read'] as const;
const HOUR_MS = 3_600_000;
const GRAPH_SCOPE_PREFIX = 'https://graph.microsoft.com/';

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope?: string;
}

/**
 * Microsoft Graph calendars through `@microsoft/microsoft-graph-client`, with our own middleware
 * chain: a bearer-token step fed by our token holder, the SDK's RetryHandler (which honours
 * Retry-After; we refuse waits longer than the policy allows) and its HTTP handler.
 * Tokens come from the v2.0 token endpoint by plain HTTP rather than MSAL, because MSAL does not
 * expose the refresh token and we must store every rotated one per connection (field notes §2.1).
 */
export class MicrosoftCalendarProvider implements CalendarProvider {
  readonly name = 'microsoft' as const;
  readonly scopes = MICROSOFT_SCOPES;
  private readonly retry: RetryPolicy;
  private readonly authority: string;
  private readonly graphBase: string;

  constructor(private readonly config: MicrosoftCalendarConfig) {
    this.retry = config.retry ?? DEFAULT_RETRY_POLICY;
    this.authority = `${(config.authorityBaseUrl ?? 'https://login.microsoftonline.com').replace(/\/$/, '')}/${config.tenant ?? 'common'}`;
    this.graphBase = (config.graphBaseUrl ?? 'https://graph.microsoft.com').replace(/\/$/, '');
  }

  buildAuthUrl(input: AuthUrlInput): string {
    const url = new URL(`${this.authority}/oauth2/v2.0/authorize`);
    url.searchParams.set('client_id', this.config.clientId);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', this.config.redirectUri);
    url.searchParams.set('response_mode', 'query');
    url.searchParams.set('scope', this.scopes.join(' '));
    url.searchParams.set('state', input.state);
    url.searchParams.set('prompt', 'consent');
    if (input.loginHint) url.searchParams.set('login_hint', input.loginHint);
    return url.toString();
  }

  private async tokenRequest(params: Record<string, string>, previous: OAuthTokens | null): Promise<OAuthTokens> {
    const body = new URLSearchParams({ client_id: this.config.clientId, client_secret: this.config.clientSecret, scope: this.scopes.join(' '), ...params });
    const res = await withRetry('microsoft', this.retry, async () => {
      const r = await fetch(`${this.authority}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
      });
      const json = (await r.json().catch(() => ({}))) as Record<string, unknown>;
      if (!r.ok) {
        throw new TokenEndpointError(r.status, String(json.error ?? 'http_error'), String(json.error_description ?? r.statusText), r.headers);
      }
      return json as unknown as TokenResponse;
    });
    const refreshToken = res.refresh_token ?? previous?.refreshToken;
    if (!refreshToken) throw new CalendarError('auth_revoked', 'microsoft: no refresh token returned (offline_access not granted)', 'microsoft', null, null, 'no_refresh_token');
    return {
      accessToken: res.access_token,
      refreshToken,
      expiresAt: Date.now() + res.expires_in * 1000,
      scopes: res.scope ? res.scope.split(/\s+/).filter(Boolean).map((s) => (s.startsWith(GRAPH_SCOPE_PREFIX) ? s.slice(GRAPH_SCOPE_PREFIX.length) : s)) : (previous?.scopes ?? []),
    };
  }

  async exchangeCode(code: string): Promise<OAuthTokens> {
    const tokens = await this.tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: this.config.redirectUri }, null);
    const granted = tokens.scopes.map((s) => s.toLowerCase());
    if (!granted.includes('calendars.read') && !granted.includes('calendars.readwrite')) {
      throw new CalendarError('auth_revoked', `microsoft: Calendars.Read not granted (granted: ${tokens.scopes.join(' ')})`, 'microsoft', null, null, 'scope_not_granted');
    }
    return tokens;
  }

  /** Microsoft rotates the refresh token on every use: the returned one replaces the stored one. */
  refreshTokens(tokens: OAuthTokens): Promise<OAuthTokens> {
    return this.tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken }, tokens);
  }

  /**
   * Delegated grants cannot be revoked per token through Graph (only all of a user's sessions,
   * which needs a far broader scope). Callers drop the tokens and delete subscriptions; the user
   * removes the app at myapps.microsoft.com.
   */
  async revoke(): Promise<{ revokedAtProvider: boolean }> {
    return { revokedAtProvider: false };
  }

  private async accessToken(ctx: CalendarConnectionContext, force: boolean): Promise<string> {
    if (force || ctx.tokens.expiresAt - Date.now() < 60_000) {
      ctx.tokens = await this.refreshTokens(ctx.tokens);
      await ctx.onTokens?.(ctx.tokens);
    }
    return ctx.tokens.accessToken;
  }

  private client(accessToken: string): Client {
    const maxWaitMs = this.retry.maxWaitMs;
    const retry = new RetryHandler(
      new RetryHandlerOptions(1, Math.max(0, this.retry.maxAttempts - 1), (_delay, _attempt, _req, _opts, response) => {
        const wait = parseRetryAfter(response.headers.get('retry-after'));
        return wait === null || wait <= maxWaitMs;
      }),
    );
    return Client.initWithMiddleware({
      baseUrl: `${this.graphBase}/`,
      defaultVersion: 'v1.0',
      middleware: [new BearerTokenMiddleware(accessToken), retry, new HTTPMessageHandler()],
    });
  }

  /**
   * Runs a Graph call; a 401 refreshes the token once and retries; a second 401 is `auth_revoked`.
   * Tokens are fetched outside the SDK's middleware chain, which would wrap our errors in its own.
   */
  private async call<T>(ctx: CalendarConnectionContext, fn: (client: Client) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const client = this.client(await this.accessToken(ctx, attempt > 0));
      try {
        return await fn(client);
      } catch (err) {
        if (err instanceof CalendarError) throw err;
        if (attempt === 0 && (err as { statusCode?: unknown }).statusCode === 401) continue;
        throw mapProviderError('microsoft', err);
      }
    }
  }

  /** `@odata.nextLink`/`deltaLink` → a path on our Graph base. A link elsewhere never gets our token. */
  private graphPath(link: string): string {
    const prefix = `${this.graphBase}/v1.0/`;
    if (!link.startsWith(prefix)) {
      throw new CalendarError('sync_cursor_invalid', `microsoft: link is not on ${prefix}`, 'microsoft', null, null, 'foreign_link');
    }
    return `/${link.slice(prefix.length)}`;
  }

  async listEvents(ctx: CalendarConnectionContext, options: ListEventsOptions = {}): Promise<SyncResult> {
    if (ctx.calendarId !== 'primary') {
      // v1.0 documents calendarView delta for the primary calendar only (field notes §2.2).
      throw new CalendarError('provider_error', 'microsoft: only the primary calendar supports calendarView delta in v1.0', 'microsoft');
    }
    const incremental = Boolean(options.cursor);
    const window = options.window ?? defaultSyncWindow(options.now);
    const prefer = `outlook.timezone="UTC", odata.maxpagesize=${options.pageSize ?? this.config.pageSize ?? 100}`;
    const events: CalendarEventSnapshot[] = [];
    const removed: RemovedEvent[] = [];
    let next: string | null = incremental ? (options.cursor ?? null) : null;
    let pages = 0;
    for (;;) {
      // Custom headers are not re-sent by the SDK's PageIterator, so links are followed here.
      const page = await this.call(ctx, (client) => {
        const request = next
          ? client.api(this.graphPath(next))
          : client.api('/me/calendarView/delta').query({ startDateTime: window.timeMin.toISOString(), endDateTime: window.timeMax.toISOString() });
        return request.header('Prefer', prefer).get() as Promise<{ value?: GraphDeltaItem[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string }>;
      });
      pages += 1;
      for (const item of page.value ?? []) {
        const mapped = mapGraphEvent(item, ctx.selfEmail, options.includeRaw);
        if (mapped.kind === 'event') events.push(mapped.event);
        else if (mapped.kind === 'removed') removed.push(mapped.removed);
      }
      if (page['@odata.nextLink']) {
        next = page['@odata.nextLink'];
        continue;
      }
      const deltaLink = page['@odata.deltaLink'];
      if (!deltaLink) throw new CalendarError('provider_error', 'microsoft: last delta page carried no deltaLink', 'microsoft');
      // The WHOLE deltaLink is the cursor: its query encodes the window and the token.
      return { kind: incremental ? 'incremental' : 'full', events, removed, cursor: deltaLink, pages, ...(incremental ? {} : { window }) };
    }
  }

  private expiry(ttlSeconds: number | undefined): string {
    const minutes = Math.min(ttlSeconds ? ttlSeconds / 60 : (this.config.subscriptionMinutes ?? 10_070), 10_080);
    return new Date(Date.now() + minutes * 60_000).toISOString();
  }

  async startWatch(ctx: CalendarConnectionContext, input: StartWatchInput): Promise<WatchChannel> {
    const sub = await this.call(ctx, (client) =>
      client.api('/subscriptions').post({
        changeType: 'created,updated,deleted',
        notificationUrl: input.address,
        ...(input.lifecycleAddress ? { lifecycleNotificationUrl: input.lifecycleAddress } : {}),
        resource: ctx.calendarId === 'primary' ? 'me/events' : `me/calendars/${ctx.calendarId}/events`,
        expirationDateTime: this.expiry(input.ttlSeconds),
        clientState: input.secret,
        latestSupportedTlsVersion: 'v1_2',
      }) as Promise<Subscription>,
    );
    return toChannel(sub, input.secret);
  }

  async renewWatch(ctx: CalendarConnectionContext, channel: WatchChannel, input: StartWatchInput): Promise<WatchChannel> {
    // PATCH also reauthorizes; a 404 (not_found) means the subscription is gone: recreate it.
    const sub = await this.call(ctx, (client) =>
      client.api(`/subscriptions/${encodeURIComponent(channel.id)}`).patch({ expirationDateTime: this.expiry(input.ttlSeconds) }) as Promise<Subscription>,
    );
    return toChannel(sub, channel.secret);
  }

  async stopWatch(ctx: CalendarConnectionContext, channel: WatchChannel): Promise<void> {
    try {
      await this.call(ctx, (client) => client.api(`/subscriptions/${encodeURIComponent(channel.id)}`).delete() as Promise<unknown>);
    } catch (err) {
      if (!(err instanceof CalendarError) || err.code !== 'not_found') throw err;
    }
  }

  needsRenewal(channel: WatchChannel, now: Date = new Date()): boolean {
    return channel.expiresAt.getTime() - now.getTime() < (this.config.renewBeforeMs ?? 48 * HOUR_MS);
  }
}

function toChannel(sub: Subscription, secret: string): WatchChannel {
  if (!sub.id || !sub.expirationDateTime) throw new CalendarError('provider_error', 'microsoft: subscription without id/expiry', 'microsoft');
  return { provider: 'microsoft', id: sub.id, resourceId: null, expiresAt: new Date(sub.expirationDateTime), secret };
}

/** Sets `Authorization: Bearer` on every request (the SDK's own handler only does so for https Graph hosts). */
class BearerTokenMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly token: string) {}

  async execute(context: Context): Promise<void> {
    const value = `Bearer ${this.token}`;
    const options = (context.options ??= {});
    if (options.headers instanceof Headers) options.headers.set('Authorization', value);
    else if (Array.isArray(options.headers)) options.headers.push(['Authorization', value]);
    else options.headers = { ...(options.headers ?? {}), Authorization: value };
    if (context.request instanceof Request) context.request.headers.set('Authorization', value);
    if (!this.next) throw new Error('BearerTokenMiddleware must not be last in the chain');
    await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
