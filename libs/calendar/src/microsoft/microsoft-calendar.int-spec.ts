import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CalendarError,
  type CalendarConnectionContext,
  FakeGraphServer,
  type GraphNotificationOutcome,
  MicrosoftCalendarProvider,
  type OAuthTokens,
  type WatchChannel,
  graphDateTime,
  handleGraphNotification,
  newChannelSecret,
  syncCalendar,
} from '@rapport/calendar';

const NOW = new Date();
const at = (daysFromNow: number, hour = 10): Date => {
  const d = new Date(NOW.getTime() + daysFromNow * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d;
};
const span = (start: Date) => ({ start: { dateTime: graphDateTime(start), timeZone: 'UTC' }, end: { dateTime: graphDateTime(new Date(start.getTime() + 3_600_000)), timeZone: 'UTC' } });

const TEAMS_JOIN =
  'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ5ZDBkMzYtZTk2Ni00ODU0LWI0ZjEtZDVkYTk3ZWI2ZjYw%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%22a1b2c3d4-e5f6-7890-abcd-ef1234567890%22%7d';
const SAFE_ZOOM = `https://nam12.safelinks.protection.outlook.com/?url=${encodeURIComponent('https://acme.zoom.us/j/81234567890?pwd=abc.1')}&amp;data=05%7C02&amp;reserved=0`;

let fake: FakeGraphServer;
let provider: MicrosoftCalendarProvider;

function connection(): CalendarConnectionContext & { rotated: OAuthTokens[] } {
  const grant = fake.createGrant();
  const rotated: OAuthTokens[] = [];
  const ctx: CalendarConnectionContext & { rotated: OAuthTokens[] } = {
    calendarId: 'primary',
    selfEmail: 'jane@acme.com',
    tokens: { accessToken: grant.accessToken, refreshToken: grant.refreshToken, expiresAt: grant.expiresAt, scopes: ['Calendars.Read'] },
    onTokens: (t) => void rotated.push(t),
    rotated,
  };
  return ctx;
}

function seed(): void {
  fake.putEvent({
    id: 'teams1',
    subject: 'Sprint planning',
    ...span(at(1)),
    isOrganizer: true,
    organizer: { emailAddress: { address: 'jane@acme.com', name: 'Jane' } },
    responseStatus: { response: 'organizer' },
    attendees: [{ type: 'required', emailAddress: { address: 'bob@acme.com' }, status: { response: 'accepted' } }],
    isOnlineMeeting: true,
    onlineMeetingProvider: 'teamsForBusiness',
    onlineMeeting: { joinUrl: TEAMS_JOIN },
    body: { contentType: 'html', content: '<html><body>Microsoft Teams meeting</body></html>' },
  });
  fake.putEvent({
    id: 'zoom1',
    subject: 'Vendor call',
    ...span(at(2)),
    isOrganizer: false,
    organizer: { emailAddress: { address: 'sam@vendor.com' } },
    responseStatus: { response: 'tentativelyAccepted' },
    isOnlineMeeting: false,
    body: { contentType: 'html', content: `<html><body><p>Join Zoom Meeting <a href="${SAFE_ZOOM}">link</a></p></body></html>` },
  });
  fake.putEvent({ id: 'declined', subject: 'Skip me', ...span(at(3)), responseStatus: { response: 'declined' }, location: { displayName: 'https://meet.google.com/abc-defg-hij' } });
  for (let i = 0; i < 3; i++) fake.putEvent({ id: `plain${i}`, subject: `Block ${i}`, ...span(at(4 + i, 15)) });
  fake.putSeries({ id: 'series1', subject: 'Weekly sync', ...span(at(1, 9)), location: { displayName: 'Teams', locationUri: 'https://teams.microsoft.com/meet/2345678901234?p=AbCdEf' } }, 3);
  fake.putEvent({ id: 'far', subject: 'Later', ...span(at(45)) });
}

before(async () => {
  fake = await FakeGraphServer.start();
  provider = new MicrosoftCalendarProvider({
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    redirectUri: 'https://rapport.example/api/v1/calendars/microsoft/callback',
    authorityBaseUrl: fake.url,
    graphBaseUrl: fake.url,
    retry: { maxAttempts: 3, maxWaitMs: 5_000, baseDelayMs: 50 },
  });
  seed();
});
after(async () => {
  await fake.stop();
});

describe('Microsoft OAuth', () => {
  test('auth URL: common authority, offline_access + Calendars.Read, consent prompt, state', () => {
    const url = new URL(provider.buildAuthUrl({ state: 'signed-state' }));
    assert.equal(url.pathname, '/common/oauth2/v2.0/authorize');
    assert.equal(url.searchParams.get('scope'), 'offline_access Calendars.Read');
    assert.equal(url.searchParams.get('prompt'), 'consent');
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('state'), 'signed-state');
  });

  test('code exchange returns tokens with normalised scopes', async () => {
    fake.issueAuthCode('ms-code-1');
    const tokens = await provider.exchangeCode('ms-code-1');
    assert.ok(tokens.refreshToken && tokens.accessToken);
    assert.ok(tokens.scopes.includes('Calendars.Read'), tokens.scopes.join(' '));
    fake.issueAuthCode('ms-code-2', 'https://graph.microsoft.com/User.Read offline_access');
    await assert.rejects(provider.exchangeCode('ms-code-2'), (e: unknown) => e instanceof CalendarError && e.code === 'auth_revoked' && e.vendorCode === 'scope_not_granted');
  });

  test('refresh rotates the refresh token; the spent one no longer works', async () => {
    const ctx = connection();
    const fresh = await provider.refreshTokens(ctx.tokens);
    assert.notEqual(fresh.refreshToken, ctx.tokens.refreshToken);
    await assert.rejects(provider.refreshTokens(ctx.tokens), (e: unknown) => e instanceof CalendarError && e.code === 'auth_revoked' && e.vendorCode === 'invalid_grant');
    const again = await provider.refreshTokens(fresh);
    assert.notEqual(again.refreshToken, fresh.refreshToken);
  });

  test('revoke reports that Graph cannot revoke a delegated grant', async () => {
    assert.deepEqual(await provider.revoke(), { revokedAtProvider: false });
  });
});

describe('Microsoft delta sync', () => {
  beforeEach(() => {
    fake.requests.length = 0;
  });

  test('full delta round pages with nextLink, keeps Prefer headers, ends with the whole deltaLink', async () => {
    const ctx = connection();
    const result = await provider.listEvents(ctx, { pageSize: 3, now: NOW });
    assert.equal(result.kind, 'full');
    assert.equal(result.events.length, 9); // 2 meetings + declined + 3 plain + 3 occurrences
    assert.equal(result.pages, 3);
    assert.ok(result.cursor.startsWith(`${fake.url}/v1.0/me/calendarView/delta?$deltatoken=`), result.cursor);
    const deltas = fake.requests.filter((r) => r.path === '/v1.0/me/calendarView/delta');
    assert.equal(deltas.length, 3);
    for (const r of deltas) {
      assert.match(String(r.headers.prefer), /outlook\.timezone="UTC"/);
      assert.match(String(r.headers.prefer), /odata\.maxpagesize=3/);
      assert.ok(String(r.headers.authorization).startsWith('Bearer '));
    }
    assert.ok(deltas[0].query.get('startDateTime') && deltas[0].query.get('endDateTime'));
    assert.ok(deltas[1].query.get('$skiptoken'));

    const teams = result.events.find((e) => e.providerEventId === 'teams1');
    assert.deepEqual(
      { url: teams?.meetingLink?.url, org: teams?.isOrganizer, self: teams?.selfResponse, start: teams?.start },
      { url: TEAMS_JOIN, org: true, self: 'accepted', start: at(1).toISOString() },
    );
    const zoom = result.events.find((e) => e.providerEventId === 'zoom1');
    assert.equal(zoom?.meetingLink?.url, 'https://acme.zoom.us/j/81234567890?pwd=abc.1');
    assert.equal(zoom?.selfResponse, 'tentative');
    assert.equal(result.events.find((e) => e.providerEventId === 'declined')?.selfResponse, 'declined');
    const occurrences = result.events.filter((e) => e.seriesMasterId === 'series1');
    assert.equal(occurrences.length, 3);
    assert.equal(new Set(occurrences.map((o) => o.iCalUID)).size, 1);
    assert.ok(occurrences.every((o) => o.meetingLink?.dedupeKey === 'teams:meet:2345678901234'));
  });

  test('incremental round from the stored deltaLink returns updates and @removed items', async () => {
    const ctx = connection();
    const full = await provider.listEvents(ctx, { now: NOW });
    fake.putEvent({ id: 'zoom1', subject: 'Vendor call (moved)', ...span(at(5)), responseStatus: { response: 'accepted' }, body: { contentType: 'html', content: `<a href="${SAFE_ZOOM}">join</a>` } });
    fake.deleteEvent('plain0');
    fake.putEvent({ id: 'teams1', subject: 'Sprint planning', ...span(at(1)), isCancelled: true, onlineMeeting: { joinUrl: TEAMS_JOIN } });
    fake.requests.length = 0;
    const inc = await provider.listEvents(ctx, { cursor: full.cursor, pageSize: 2 });
    assert.equal(inc.kind, 'incremental');
    assert.notEqual(inc.cursor, full.cursor);
    assert.deepEqual(inc.events.map((e) => [e.providerEventId, e.cancelled]).sort(), [['teams1', true], ['zoom1', false]]);
    assert.deepEqual(inc.removed, [{ providerEventId: 'plain0', reason: 'deleted' }]);
    assert.ok(fake.requests[0].query.get('$deltatoken'), 'first request follows the stored deltaLink');
    assert.equal(fake.requests[0].query.get('startDateTime'), null);
  });

  test('410 syncStateNotFound is sync_cursor_invalid; syncCalendar restarts the round', async () => {
    const ctx = connection();
    const full = await provider.listEvents(ctx, { now: NOW });
    fake.invalidateDeltaTokens();
    await assert.rejects(provider.listEvents(ctx, { cursor: full.cursor }), (e: unknown) => e instanceof CalendarError && e.code === 'sync_cursor_invalid' && e.vendorCode === 'syncStateNotFound');
    const recovered = await syncCalendar(provider, ctx, { cursor: full.cursor, now: NOW });
    assert.deepEqual([recovered.kind, recovered.resetLocalState], ['full', true]);
    assert.ok(recovered.events.length >= 8);
  });

  test('a cursor that points outside Graph is refused without sending the token anywhere', async () => {
    const ctx = connection();
    await assert.rejects(provider.listEvents(ctx, { cursor: 'https://evil.example/v1.0/me/calendarView/delta?$deltatoken=x' }), (e: unknown) => e instanceof CalendarError && e.code === 'sync_cursor_invalid');
    assert.equal(fake.requests.length, 0);
  });

  test('429 with Retry-After is honoured by the SDK retry handler', async () => {
    const ctx = connection();
    fake.failNext(1, 429, 1);
    const result = await provider.listEvents(ctx, { now: NOW });
    assert.ok(result.events.length > 0);
    const deltas = fake.requests.filter((r) => r.path === '/v1.0/me/calendarView/delta');
    assert.equal(deltas.length, 2);
    assert.ok(deltas[1].at - deltas[0].at >= 1000, `waited ${deltas[1].at - deltas[0].at} ms`);
  });

  test('a Retry-After beyond the policy surfaces as temporary with the wait', async () => {
    const ctx = connection();
    fake.failNext(1, 429, 90);
    await assert.rejects(provider.listEvents(ctx, { now: NOW }), (e: unknown) => e instanceof CalendarError && e.code === 'temporary' && e.retryAfterMs === 90_000);
    assert.equal(fake.requests.filter((r) => r.path === '/v1.0/me/calendarView/delta').length, 1);
  });

  test('expired access tokens are refreshed (rotated refresh token handed to onTokens), before and after a 401', async () => {
    const ctx = connection();
    const firstRefresh = ctx.tokens.refreshToken;
    ctx.tokens = { ...ctx.tokens, expiresAt: Date.now() - 1 };
    await provider.listEvents(ctx, { now: NOW });
    assert.equal(ctx.rotated.length, 1);
    assert.notEqual(ctx.rotated[0].refreshToken, firstRefresh);
    assert.equal(ctx.tokens.refreshToken, ctx.rotated[0].refreshToken);

    fake.expireAccessTokens(); // the server says 401 to a token the client thinks is valid
    await provider.listEvents(ctx, { now: NOW });
    assert.equal(ctx.rotated.length, 2);
    assert.deepEqual(fake.liveRefreshTokens().filter((t) => t === ctx.tokens.refreshToken), [ctx.tokens.refreshToken]);
  });

  test('a revoked grant: 401, refresh fails with invalid_grant → auth_revoked', async () => {
    const ctx = connection();
    fake.revokeGrant(ctx.tokens.refreshToken);
    await assert.rejects(provider.listEvents(ctx, { now: NOW }), (e: unknown) => e instanceof CalendarError && e.code === 'auth_revoked');
  });
});

describe('Microsoft subscriptions', () => {
  let receiver: Server;
  let base: string;
  const clientStates = new Map<string, string>();
  const outcomes: GraphNotificationOutcome[] = [];
  let echoValidation = true;

  before(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://receiver');
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          body = text;
        }
        const outcome = handleGraphNotification({ query: Object.fromEntries(url.searchParams), body }, (id) => {
          const clientState = clientStates.get(id);
          return clientState ? { clientState } : null;
        });
        outcomes.push(outcome);
        if (outcome.kind === 'validation') {
          if (!echoValidation) return res.writeHead(500).end();
          res.writeHead(200, { 'content-type': outcome.contentType }).end(outcome.body);
          return;
        }
        res.writeHead(outcome.status).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  after(async () => {
    receiver.closeAllConnections();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  let sub: WatchChannel;
  const ctx = connection;
  const input = () => ({ address: `${base}/webhooks/microsoft-calendar`, lifecycleAddress: `${base}/webhooks/microsoft-calendar/lifecycle`, secret: newChannelSecret() });

  test('creation passes the validation handshake on both URLs and reads the expiry back', async () => {
    const i = input();
    sub = await provider.startWatch(ctx(), i);
    clientStates.set(sub.id, i.secret);
    assert.equal(outcomes.filter((o) => o.kind === 'validation').length, 2);
    assert.ok(fake.subscription(sub.id));
    const minutes = (sub.expiresAt.getTime() - Date.now()) / 60_000;
    assert.ok(minutes > 10_000 && minutes <= 10_080, `${minutes} min`);
    assert.equal(fake.subscription(sub.id)?.resource, 'me/events');
  });

  test('a receiver that does not echo the validation token gets no subscription', async () => {
    echoValidation = false;
    try {
      await assert.rejects(provider.startWatch(ctx(), input()), (e: unknown) => e instanceof CalendarError && e.code === 'provider_error' && e.vendorCode === 'ValidationError');
    } finally {
      echoValidation = true;
    }
  });

  test('a genuine change notification is accepted (202) and asks for a sync', async () => {
    outcomes.length = 0;
    const { status } = await fake.emitChange(sub.id, 'teams1', 'updated');
    assert.equal(status, 202);
    assert.deepEqual(outcomes[0], { kind: 'notifications', status: 202, actions: [{ subscriptionId: sub.id, action: 'sync' }], rejected: 0, unknown: 0 });
  });

  test('a forged notification (wrong clientState) is rejected with 403 and asks for nothing', async () => {
    outcomes.length = 0;
    const { status } = await fake.emitChange(sub.id, 'teams1', 'updated', 'forged-state');
    assert.equal(status, 403);
    assert.deepEqual(outcomes[0], { kind: 'rejected', status: 403, reason: 'client_state_mismatch' });
  });

  test('reauthorizationRequired → reauthorize by PATCH, which also extends the expiry', async () => {
    outcomes.length = 0;
    await fake.emitLifecycle(sub.id, 'reauthorizationRequired');
    assert.deepEqual(outcomes[0].kind === 'notifications' && outcomes[0].actions, [{ subscriptionId: sub.id, action: 'reauthorize' }]);
    const soon = new Date(sub.expiresAt.getTime() - 47 * 3_600_000);
    assert.equal(provider.needsRenewal(sub, soon), true);
    assert.equal(provider.needsRenewal(sub), false);
    const before = fake.requests.length;
    const renewed = await provider.renewWatch(ctx(), sub, { ...input(), ttlSeconds: 3 * 86_400 });
    const patch = fake.requests.slice(before).find((r) => r.method === 'PATCH');
    assert.ok(patch, 'renewal is a PATCH');
    assert.equal(renewed.id, sub.id);
    assert.equal(renewed.secret, sub.secret);
    assert.equal(fake.subscription(sub.id)?.expirationDateTime, renewed.expiresAt.toISOString());
  });

  test('missed → resync; subscriptionRemoved → recreate (renewing it is not_found)', async () => {
    outcomes.length = 0;
    await fake.emitLifecycle(sub.id, 'missed');
    await fake.emitLifecycle(sub.id, 'subscriptionRemoved');
    assert.deepEqual(
      outcomes.map((o) => (o.kind === 'notifications' ? o.actions[0].action : o.kind)),
      ['resync', 'recreate'],
    );
    await assert.rejects(provider.renewWatch(ctx(), sub, input()), (e: unknown) => e instanceof CalendarError && e.code === 'not_found');
    const i = input();
    const recreated = await provider.startWatch(ctx(), i);
    assert.notEqual(recreated.id, sub.id);
    await provider.stopWatch(ctx(), recreated);
    assert.equal(fake.subscription(recreated.id), undefined);
    await provider.stopWatch(ctx(), recreated); // already gone: fine
  });

  test('malformed bodies and unknown subscriptions change nothing', () => {
    assert.deepEqual(handleGraphNotification({ query: {}, body: { nope: 1 } }, () => null), { kind: 'rejected', status: 400, reason: 'malformed' });
    assert.deepEqual(handleGraphNotification({ query: {}, body: { value: [{ subscriptionId: 'x', clientState: 'y' }] } }, () => null), {
      kind: 'notifications',
      status: 202,
      actions: [],
      rejected: 0,
      unknown: 1,
    });
  });
});
