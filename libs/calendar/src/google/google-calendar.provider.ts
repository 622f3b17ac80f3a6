import { randomUUID } from 'node:crypto';
import { calendar, type calendar_v3 } from '@googleapis/calendar';
import { OAuth2Client, type Credentials } from 'google-auth-library';
import { CalendarError, mapProviderError } from '../errors';
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
import { mapGoogleEvent } from './google-event.mapper';

export const GOOGLE_EVENTS_READONLY_SCOPE = 'https://www.googleapis.com/auth/calendar.events.readonly';
/** Broader scopes that also satisfy the read requirement when a user already granted them. */
const SATISFYING_SCOPES = [
  GOOGLE_EVENTS_READONLY_SCOPE,
  'https://www.googleapis.com/auth/calendar.events',
  'https://www.googleapis.com/auth/calendar.readonly',
  'https://www.googleapis.com/auth/calendar',
];

export interface GoogleCalendarConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Calendar API root, default `https://www.googleapis.com/` (tests point it at the fake). */
  apiRootUrl?: string;
  /** OAuth endpoints, default Google's. */
  authUrl?: string;
  tokenUrl?: string;
  revokeUrl?: string;
  retry?: RetryPolicy;
  /** Channel lifetime to ask for; Google caps it (about 7 days seen) and its answer wins. */
  defaultChannelTtlSeconds?: number;
  /** Replace a channel when less than this is left (Attendee: 26 h). */
  renewBeforeMs?: number;
  pageSize?: number;
}

const HOUR_MS = 3_600_000;

/**
 * Google Calendar through the official `@googleapis/calendar` client and `google-auth-library`'s
 * OAuth2Client (which refreshes expiring access tokens and retries a 401 once by itself).
 * The client's own retry is off: it ignores Retry-After, ours honours it.
 */
export class GoogleCalendarProvider implements CalendarProvider {
  readonly name = 'google' as const;
  readonly scopes = ['openid', 'email', GOOGLE_EVENTS_READONLY_SCOPE] as const;
  private readonly retry: RetryPolicy;

  constructor(private readonly config: GoogleCalendarConfig) {
    this.retry = config.retry ?? DEFAULT_RETRY_POLICY;
  }

  private oauthClient(): OAuth2Client {
    const endpoints: { oauth2AuthBaseUrl?: string; oauth2TokenUrl?: string; oauth2RevokeUrl?: string } = {};
    if (this.config.authUrl) endpoints.oauth2AuthBaseUrl = this.config.authUrl;
    if (this.config.tokenUrl) endpoints.oauth2TokenUrl = this.config.tokenUrl;
    if (this.config.revokeUrl) endpoints.oauth2RevokeUrl = this.config.revokeUrl;
    return new OAuth2Client({
      clientId: this.config.clientId,
      clientSecret: this.config.clientSecret,
      redirectUri: this.config.redirectUri,
      endpoints,
      // A 401 on a token we believed valid (revoked session, clock skew) refreshes once and retries.
      forceRefreshOnFailure: true,
    });
  }

  buildAuthUrl(input: AuthUrlInput): string {
    return this.oauthClient().generateAuthUrl({
      // A refresh token only comes back on first consent unless consent is forced.
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: true,
      scope: [...this.scopes],
      state: input.state,
      ...(input.loginHint ? { login_hint: input.loginHint } : {}),
    });
  }

  async exchangeCode(code: string): Promise<OAuthTokens> {
    const client = this.oauthClient();
    const { tokens } = await withRetry('google', this.retry, () => client.getToken(code));
    if (!tokens.refresh_token) {
      throw new CalendarError('auth_revoked', 'google: no refresh token returned (offline access not granted)', 'google', null, null, 'no_refresh_token');
    }
    const result = toTokens(tokens, null);
    if (!result.scopes.some((s) => SATISFYING_SCOPES.includes(s))) {
      throw new CalendarError('auth_revoked', `google: calendar read scope not granted (granted: ${result.scopes.join(' ')})`, 'google', null, null, 'scope_not_granted');
    }
    return result;
  }

  async refreshTokens(tokens: OAuthTokens): Promise<OAuthTokens> {
    const client = this.oauthClient();
    client.setCredentials({ refresh_token: tokens.refreshToken });
    const { credentials } = await withRetry('google', this.retry, () => client.refreshAccessToken());
    return toTokens(credentials, tokens);
  }

  async revoke(tokens: OAuthTokens): Promise<{ revokedAtProvider: boolean }> {
    const client = this.oauthClient();
    try {
      // Revoking the refresh token revokes the whole grant.
      await withRetry('google', this.retry, () => client.revokeToken(tokens.refreshToken));
      return { revokedAtProvider: true };
    } catch (err) {
      const mapped = mapProviderError('google', err);
      // Already revoked/expired at Google: nothing left to revoke.
      if (mapped.code === 'auth_revoked' || mapped.vendorCode === 'invalid_token') return { revokedAtProvider: true };
      throw mapped;
    }
  }

  /**
   * A Calendar API client acting for one connection. The auth client refreshes on its own and
   * emits 'tokens'; `flush()` awaits the caller's `onTokens` for every refresh so a method never
   * returns before the new tokens are persisted.
   */
  private api(ctx: CalendarConnectionContext): { api: calendar_v3.Calendar; flush: () => Promise<void> } {
    const auth = this.oauthClient();
    auth.setCredentials({
      access_token: ctx.tokens.accessToken,
      refresh_token: ctx.tokens.refreshToken,
      expiry_date: ctx.tokens.expiresAt,
      token_type: 'Bearer',
    });
    const pending: Array<Promise<void>> = [];
    auth.on('tokens', (fresh: Credentials) => {
      ctx.tokens = toTokens(fresh, ctx.tokens);
      const tokens = ctx.tokens;
      pending.push(Promise.resolve().then(() => ctx.onTokens?.(tokens)));
    });
    const api = calendar({
      version: 'v3',
      auth,
      retry: false,
      ...(this.config.apiRootUrl ? { rootUrl: this.config.apiRootUrl } : {}),
    });
    return { api, flush: async () => void (await Promise.all(pending.splice(0))) };
  }

  /** Runs `fn` with a connection's API client, then waits for token persistence (also on failure). */
  private async withApi<T>(ctx: CalendarConnectionContext, fn: (api: calendar_v3.Calendar) => Promise<T>): Promise<T> {
    const { api, flush } = this.api(ctx);
    try {
      return await fn(api);
    } finally {
      await flush();
    }
  }

  listEvents(ctx: CalendarConnectionContext, options: ListEventsOptions = {}): Promise<SyncResult> {
    return this.withApi(ctx, (api) => this.listPages(api, ctx, options));
  }

  private async listPages(api: calendar_v3.Calendar, ctx: CalendarConnectionContext, options: ListEventsOptions): Promise<SyncResult> {
    const incremental = Boolean(options.cursor);
    const window = options.window ?? defaultSyncWindow(options.now);
    const events: CalendarEventSnapshot[] = [];
    const removed: RemovedEvent[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    for (;;) {
      // Incremental requests repeat every parameter of the full sync except the ones Google
      // forbids with syncToken (timeMin/timeMax/orderBy/q/…); singleEvents must stay the same.
      const params: calendar_v3.Params$Resource$Events$List = {
        calendarId: ctx.calendarId,
        singleEvents: true,
        maxResults: options.pageSize ?? this.config.pageSize ?? 2500,
        ...(pageToken ? { pageToken } : {}),
        ...(incremental ? { syncToken: options.cursor ?? undefined } : { timeMin: window.timeMin.toISOString(), timeMax: window.timeMax.toISOString() }),
      };
      const res = await withRetry('google', this.retry, () => api.events.list(params));
      pages += 1;
      for (const item of res.data.items ?? []) {
        const mapped = mapGoogleEvent(item, options.includeRaw);
        if (mapped.kind === 'event') events.push(mapped.event);
        else if (mapped.kind === 'removed') removed.push(mapped.removed);
      }
      if (res.data.nextPageToken) {
        pageToken = res.data.nextPageToken;
        continue;
      }
      // nextSyncToken only comes with the last page.
      if (!res.data.nextSyncToken) {
        throw new CalendarError('provider_error', 'google: last page carried no nextSyncToken', 'google', res.status);
      }
      return { kind: incremental ? 'incremental' : 'full', events, removed, cursor: res.data.nextSyncToken, pages, ...(incremental ? {} : { window }) };
    }
  }

  async startWatch(ctx: CalendarConnectionContext, input: StartWatchInput): Promise<WatchChannel> {
    const id = input.channelId ?? randomUUID();
    const ttl = input.ttlSeconds ?? this.config.defaultChannelTtlSeconds ?? 7 * 24 * 3600;
    const res = await this.withApi(ctx, (api) =>
      withRetry('google', this.retry, () =>
        api.events.watch({
          calendarId: ctx.calendarId,
          requestBody: { id, type: 'web_hook', address: input.address, token: input.secret, params: { ttl: String(ttl) } },
        }),
      ),
    );
    if (!res.data.resourceId) throw new CalendarError('provider_error', 'google: watch returned no resourceId', 'google', res.status);
    const expiration = Number(res.data.expiration);
    return {
      provider: 'google',
      id: res.data.id ?? id,
      resourceId: res.data.resourceId,
      // No expiration in the answer: assume a week (Attendee does the same).
      expiresAt: new Date(Number.isFinite(expiration) && expiration > 0 ? expiration : Date.now() + 7 * 24 * HOUR_MS),
      secret: input.secret,
    };
  }

  async renewWatch(ctx: CalendarConnectionContext, channel: WatchChannel, input: StartWatchInput): Promise<WatchChannel> {
    // No renewal call exists: open the new channel first (both overlap), then stop the old one.
    const fresh = await this.startWatch(ctx, { ...input, channelId: undefined });
    await this.stopWatch(ctx, channel);
    return fresh;
  }

  async stopWatch(ctx: CalendarConnectionContext, channel: WatchChannel): Promise<void> {
    try {
      await this.withApi(ctx, (api) =>
        withRetry('google', this.retry, () => api.channels.stop({ requestBody: { id: channel.id, resourceId: channel.resourceId ?? undefined } })),
      );
    } catch (err) {
      const mapped = mapProviderError('google', err);
      if (mapped.code !== 'not_found') throw mapped;
    }
  }

  needsRenewal(channel: WatchChannel, now: Date = new Date()): boolean {
    return channel.expiresAt.getTime() - now.getTime() < (this.config.renewBeforeMs ?? 26 * HOUR_MS);
  }
}

function toTokens(fresh: Credentials, previous: OAuthTokens | null): OAuthTokens {
  return {
    accessToken: fresh.access_token ?? previous?.accessToken ?? '',
    // Google rarely rotates refresh tokens, but when it does the new one must win.
    refreshToken: fresh.refresh_token ?? previous?.refreshToken ?? '',
    expiresAt: fresh.expiry_date ?? previous?.expiresAt ?? 0,
    scopes: fresh.scope ? fresh.scope.split(/\s+/).filter(Boolean) : (previous?.scopes ?? []),
  };
}
