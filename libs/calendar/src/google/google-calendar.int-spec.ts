import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CalendarError,
  type CalendarConnectionContext,
  FakeGoogleCalendarServer,
  GoogleCalendarProvider,
  type GoogleNotificationVerdict,
  type KnownGoogleChannel,
  type OAuthTokens,
  type WatchChannel,
  newChannelSecret,
  syncCalendar,
  verifyGoogleNotification,
} from '@rapport/calendar';

const NOW = new Date();
const at = (daysFromNow: number, hour = 10): string => {
  const d = new Date(NOW.getTime() + daysFromNow * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};
const plusHour = (iso: string): string => new Date(Date.parse(iso) + 3_600_000).toISOString();

let fake: FakeGoogleCalendarServer;
let provider: GoogleCalendarProvider;

function makeProvider(retry = { maxAttempts: 3, maxWaitMs: 5_000, baseDelayMs: 50 }): GoogleCalendarProvider {
  return new GoogleCalendarProvider({
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    redirectUri: 'https://rapport.example/api/v1/calendars/google/callback',
    apiRootUrl: fake.apiRootUrl,
    authUrl: fake.authUrl,
    tokenUrl: fake.tokenUrl,
    revokeUrl: fake.revokeUrl,
    retry,
  });
}

function connection(calendarId = 'primary'): CalendarConnectionContext & { rotated: OAuthTokens[] } {
  const grant = fake.createGrant();
  const rotated: OAuthTokens[] = [];
  return {
    calendarId,
    tokens: { accessToken: grant.accessToken, refreshToken: grant.refreshToken, expiresAt: grant.expiresAt, scopes: ['https://www.googleapis.com/auth/calendar.events.readonly'] },
    onTokens: (t) => void rotated.push(t),
    rotated,
  };
}

function seed(calendarId: string): void {
  fake.putEvent(calendarId, {
    id: 'meet1',
    summary: 'Design review',
    start: { dateTime: at(1) },
    end: { dateTime: plusHour(at(1)) },
    organizer: { email: 'jane@acme.com', self: true },
    attendees: [
      { email: 'jane@acme.com', self: true, organizer: true, responseStatus: 'accepted' },
      { email: 'carol@customer.io', responseStatus: 'needsAction' },
    ],
    conferenceData: {
      conferenceSolution: { key: { type: 'hangoutsMeet' }, name: 'Google Meet' },
      conferenceId: 'abc-defg-hij',
      entryPoints: [
        { entryPointType: 'video', uri: 'https://meet.google.com/abc-defg-hij', label: 'meet.google.com/abc-defg-hij' },
        { entryPointType: 'phone', uri: 'tel:+1-401-555-0143', pin: '123456789' },
      ],
    },
    hangoutLink: 'https://meet.google.com/abc-defg-hij',
  });
  fake.putEvent(calendarId, {
    id: 'zoom1',
    summary: 'Customer call',
    start: { dateTime: at(2) },
    end: { dateTime: plusHour(at(2)) },
    organizer: { email: 'bob@customer.io' },
    attendees: [{ email: 'jane@acme.com', self: true, responseStatus: 'tentative' }, { email: 'bob@customer.io', organizer: true, responseStatus: 'accepted' }],
    description: '<p>Join Zoom Meeting<br><a href="https://www.google.com/url?q=https%3A%2F%2Facme.zoom.us%2Fj%2F81234567890%3Fpwd%3Dabc.1&sa=D">https://acme.zoom.us/j/81234567890?pwd=abc.1</a></p>',
  });
  for (let i = 0; i < 5; i++) {
    fake.putEvent(calendarId, { id: `plain${i}`, summary: `Focus ${i}`, start: { dateTime: at(3 + i, 14) }, end: { dateTime: plusHour(at(3 + i, 14)) } });
  }
  fake.putEvent(calendarId, {
    id: 'weekly',
    summary: 'Weekly 1:1',
    start: { dateTime: at(1, 9) },
    end: { dateTime: plusHour(at(1, 9)) },
    recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'],
    organizer: { email: 'jane@acme.com', self: true },
    location: 'https://teams.microsoft.com/meet/2345678901234?p=AbCdEf',
  });
  fake.putEvent(calendarId, { id: 'far', summary: 'Out of window', start: { dateTime: at(60) }, end: { dateTime: plusHour(at(60)) } });
  fake.putEvent(calendarId, { id: 'ooo', summary: 'Out of office', eventType: 'outOfOffice', start: { dateTime: at(5, 8) }, end: { dateTime: plusHour(at(5, 8)) } });
}

before(async () => {
  fake = await FakeGoogleCalendarServer.start();
  provider = makeProvider();
});
after(async () => {
  await fake.stop();
});

describe('Google OAuth', () => {
  test('auth URL asks for offline access, forced consent and the minimal read scope', () => {
    const url = new URL(provider.buildAuthUrl({ state: 'signed-state', loginHint: 'jane@acme.com' }));
    assert.equal(url.origin + url.pathname, fake.authUrl);
    assert.equal(url.searchParams.get('access_type'), 'offline');
    assert.equal(url.searchParams.get('prompt'), 'consent');
    assert.equal(url.searchParams.get('state'), 'signed-state');
    assert.equal(url.searchParams.get('login_hint'), 'jane@acme.com');
    assert.deepEqual(url.searchParams.get('scope')?.split(' '), ['openid', 'email', 'https://www.googleapis.com/auth/calendar.events.readonly']);
  });

  test('code exchange returns tokens with the refresh token and granted scopes', async () => {
    fake.issueAuthCode('code-1');
    const tokens = await provider.exchangeCode('code-1');
    assert.match(tokens.refreshToken, /^1\/\/rt-/);
    assert.ok(tokens.accessToken.startsWith('ya29.'));
    assert.ok(tokens.expiresAt > Date.now());
    assert.ok(tokens.scopes.includes('https://www.googleapis.com/auth/calendar.events.readonly'));
    // a code is single-use
    await assert.rejects(provider.exchangeCode('code-1'), (e: unknown) => e instanceof CalendarError && e.code === 'auth_revoked' && e.vendorCode === 'invalid_grant');
  });

  test('a user who unticked the calendar scope is refused', async () => {
    fake.issueAuthCode('code-2', 'openid https://www.googleapis.com/auth/userinfo.email');
    await assert.rejects(provider.exchangeCode('code-2'), (e: unknown) => e instanceof CalendarError && e.code === 'auth_revoked' && e.vendorCode === 'scope_not_granted');
  });

  test('refresh returns a new access token and keeps the refresh token', async () => {
    const ctx = connection();
    const fresh = await provider.refreshTokens(ctx.tokens);
    assert.notEqual(fresh.accessToken, ctx.tokens.accessToken);
    assert.equal(fresh.refreshToken, ctx.tokens.refreshToken);
  });

  test('refresh after revocation is auth_revoked (invalid_grant)', async () => {
    const ctx = connection();
    fake.revokeGrant(ctx.tokens.refreshToken);
    await assert.rejects(provider.refreshTokens(ctx.tokens), (e: unknown) => e instanceof CalendarError && e.code === 'auth_revoked' && e.vendorCode === 'invalid_grant');
  });

  test('revoke revokes the grant at Google, twice is harmless', async () => {
    const ctx = connection();
    assert.deepEqual(await provider.revoke(ctx.tokens), { revokedAtProvider: true });
    assert.equal(fake.isRevoked(ctx.tokens.refreshToken), true);
    assert.deepEqual(await provider.revoke(ctx.tokens), { revokedAtProvider: true });
  });
});

describe('Google sync', () => {
  beforeEach(() => {
    fake.requests.length = 0;
  });

  test('full sync pages through the window, expands recurring instances, maps events and links', async () => {
    seed('full@acme.com');
    const ctx = connection('full@acme.com');
    const result = await provider.listEvents(ctx, { pageSize: 3, now: NOW });
    assert.equal(result.kind, 'full');
    // 2 meetings + 5 plain + 4 instances = 11 in window (the far one and out-of-office excluded)
    assert.equal(result.events.length, 11);
    assert.equal(result.pages, 4);
    assert.match(result.cursor, /^g\d+-s\d+$/);
    const lists = fake.requests.filter((r) => r.path.endsWith('/events'));
    assert.equal(lists.length, 4);
    for (const r of lists) {
      assert.equal(r.query.get('singleEvents'), 'true');
      assert.ok(r.query.get('timeMin') && r.query.get('timeMax'));
    }
    const meet = result.events.find((e) => e.providerEventId === 'meet1');
    assert.deepEqual(
      { link: meet?.meetingLink?.dedupeKey, organizer: meet?.isOrganizer, self: meet?.selfResponse, attendees: meet?.attendees.length },
      { link: 'meet:abc-defg-hij', organizer: true, self: 'accepted', attendees: 2 },
    );
    const zoom = result.events.find((e) => e.providerEventId === 'zoom1');
    assert.equal(zoom?.meetingLink?.url, 'https://acme.zoom.us/j/81234567890?pwd=abc.1');
    assert.equal(zoom?.selfResponse, 'tentative');
    assert.equal(zoom?.organizerEmail, 'bob@customer.io');
    const instances = result.events.filter((e) => e.seriesMasterId === 'weekly');
    assert.equal(instances.length, 4);
    assert.equal(new Set(instances.map((e) => e.providerEventId)).size, 4);
    assert.ok(instances.every((e) => e.iCalUID === 'weekly@google.com' && e.meetingLink?.dedupeKey === 'teams:meet:2345678901234'));
    assert.match(instances[0].providerEventId, /^weekly_\d{8}T\d{6}Z$/);
  });

  test('incremental sync with the stored token returns changes, cancellations and deletions only', async () => {
    seed('inc@acme.com');
    const ctx = connection('inc@acme.com');
    const full = await provider.listEvents(ctx, { now: NOW });
    fake.requests.length = 0;

    fake.putEvent('inc@acme.com', { id: 'zoom1', summary: 'Customer call (moved)', start: { dateTime: at(4) }, end: { dateTime: plusHour(at(4)) }, location: 'https://zoom.us/j/81234567890' });
    fake.deleteEvent('inc@acme.com', 'plain0');
    const instances = full.events.filter((e) => e.seriesMasterId === 'weekly').sort((a, b) => a.start.localeCompare(b.start));
    fake.cancelInstance('inc@acme.com', 'weekly', instances[1].start);
    fake.putEvent('inc@acme.com', { id: 'meet1', status: 'cancelled', summary: 'Design review', start: { dateTime: at(1) }, end: { dateTime: plusHour(at(1)) }, organizer: { email: 'jane@acme.com', self: true } });

    const inc = await provider.listEvents(ctx, { cursor: full.cursor, pageSize: 2 });
    assert.equal(inc.kind, 'incremental');
    assert.notEqual(inc.cursor, full.cursor);
    assert.deepEqual(inc.events.map((e) => [e.providerEventId, e.cancelled]).sort(), [['meet1', true], ['zoom1', false]]);
    assert.equal(inc.events.find((e) => e.providerEventId === 'zoom1')?.start, at(4));
    assert.deepEqual(inc.removed.map((r) => r.providerEventId).sort(), ['plain0', instances[1].providerEventId].sort());
    for (const r of fake.requests.filter((x) => x.path.endsWith('/events'))) {
      assert.equal(r.query.get('singleEvents'), 'true', 'same singleEvents as the full sync');
      assert.equal(r.query.get('timeMin'), null, 'timeMin is not allowed with syncToken');
      assert.ok(r.query.get('syncToken'));
    }
    // nothing changed since: empty increment, new token still valid
    const again = await provider.listEvents(ctx, { cursor: inc.cursor });
    assert.deepEqual([again.events.length, again.removed.length], [0, 0]);
  });

  test('a stale sync token (410 fullSyncRequired) is sync_cursor_invalid; syncCalendar falls back to a full sync', async () => {
    seed('gone@acme.com');
    const ctx = connection('gone@acme.com');
    const full = await provider.listEvents(ctx, { now: NOW });
    fake.invalidateSyncTokens();
    await assert.rejects(provider.listEvents(ctx, { cursor: full.cursor }), (e: unknown) => e instanceof CalendarError && e.code === 'sync_cursor_invalid' && e.httpStatus === 410 && e.vendorCode === 'fullSyncRequired');
    const recovered = await syncCalendar(provider, ctx, { cursor: full.cursor, now: NOW });
    assert.equal(recovered.kind, 'full');
    assert.equal(recovered.resetLocalState, true);
    assert.equal(recovered.events.length, 11);
    const next = await syncCalendar(provider, ctx, { cursor: recovered.cursor });
    assert.equal(next.kind, 'incremental');
    assert.equal(next.resetLocalState, undefined);
  });

  test('429 with Retry-After is honoured before retrying', async () => {
    seed('rate@acme.com');
    const ctx = connection('rate@acme.com');
    fake.failNext(1, 429, 1);
    const result = await provider.listEvents(ctx, { now: NOW });
    assert.equal(result.events.length, 11);
    const lists = fake.requests.filter((r) => r.path === '/calendar/v3/calendars/rate%40acme.com/events' || r.path === '/calendar/v3/calendars/rate@acme.com/events');
    assert.equal(lists.length, 2);
    assert.ok(lists[1].at - lists[0].at >= 1000, `waited ${lists[1].at - lists[0].at} ms`);
  });

  test('a Retry-After longer than the policy allows surfaces as temporary with the wait', async () => {
    const ctx = connection('rate@acme.com');
    fake.failNext(1, 429, 120);
    await assert.rejects(provider.listEvents(ctx, { now: NOW }), (e: unknown) => e instanceof CalendarError && e.code === 'temporary' && e.retryAfterMs === 120_000);
  });

  test('5xx without Retry-After is retried with backoff; persistent 5xx is temporary', async () => {
    const ctx = connection('rate@acme.com');
    fake.failNext(2, 503);
    const ok = await provider.listEvents(ctx, { now: NOW });
    assert.ok(ok.events.length > 0);
    fake.failNext(3, 500);
    await assert.rejects(provider.listEvents(ctx, { now: NOW }), (e: unknown) => e instanceof CalendarError && e.code === 'temporary' && e.httpStatus === 500);
  });

  test('an expired access token is refreshed and the new tokens handed to onTokens', async () => {
    seed('refresh@acme.com');
    const ctx = connection('refresh@acme.com');
    const before = ctx.tokens.accessToken;
    fake.expireAccessTokens(); // server-side expiry the client cannot see: first call gets 401
    const result = await provider.listEvents(ctx, { now: NOW });
    assert.equal(result.events.length, 11);
    assert.equal(ctx.rotated.length, 1);
    assert.notEqual(ctx.rotated[0].accessToken, before);
    assert.equal(ctx.rotated[0].refreshToken, ctx.tokens.refreshToken);
    // a token the client knows is expired is refreshed before the call
    ctx.tokens = { ...ctx.tokens, expiresAt: Date.now() - 1000 };
    await provider.listEvents(ctx, { now: NOW });
    assert.equal(ctx.rotated.length, 2);
  });

  test('a slow onTokens (persisting) finishes before the sync returns', async () => {
    const ctx = connection('refresh@acme.com');
    let persisted: string | null = null;
    ctx.onTokens = async (t) => {
      await new Promise((r) => setTimeout(r, 100));
      persisted = t.accessToken;
    };
    fake.expireAccessTokens();
    await provider.listEvents(ctx, { now: NOW });
    assert.equal(persisted, ctx.tokens.accessToken);
  });

  test('a revoked grant makes sync fail with auth_revoked', async () => {
    const ctx = connection('refresh@acme.com');
    fake.revokeGrant(ctx.tokens.refreshToken);
    await assert.rejects(provider.listEvents(ctx, { now: NOW }), (e: unknown) => e instanceof CalendarError && e.code === 'auth_revoked');
  });
});

describe('Google push channels', () => {
  let receiver: Server;
  let receiverUrl: string;
  const known = new Map<string, KnownGoogleChannel>();
  const verdicts: GoogleNotificationVerdict[] = [];
  const syncs: string[] = [];

  before(async () => {
    // The webhook endpoint as the control plane will wire it: verify, record, answer.
    receiver = createServer((req, res) => {
      const verdict = verifyGoogleNotification(req.headers, (id) => known.get(id) ?? null);
      verdicts.push(verdict);
      if (verdict.action !== 'reject' && verdict.channelId && verdict.messageNumber !== null && known.has(verdict.channelId)) {
        const entry = known.get(verdict.channelId)!;
        entry.lastMessageNumber = Math.max(entry.lastMessageNumber ?? 0, verdict.messageNumber);
      }
      if (verdict.action === 'sync') syncs.push(verdict.channelId);
      res.writeHead(verdict.status).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/google-calendar`;
  });
  after(async () => {
    receiver.closeAllConnections();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  const waitFor = async (pred: () => boolean): Promise<void> => {
    for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(pred(), 'condition not met in time');
  };

  let channel: WatchChannel;
  const ctx = (): CalendarConnectionContext => connection('watch@acme.com');

  test('watch creates a channel; the sync handshake is ignored; a change triggers one sync', async () => {
    const secret = newChannelSecret();
    channel = await provider.startWatch(ctx(), { address: receiverUrl, secret, ttlSeconds: 30 * 86_400 });
    known.set(channel.id, { channel, lastMessageNumber: null });
    assert.ok(channel.resourceId);
    // Google caps the TTL (about a week here); the answer wins over what was asked
    const days = (channel.expiresAt.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days <= 7, `expires in ${days} days`);
    await waitFor(() => verdicts.length === 1);
    assert.deepEqual([verdicts[0].action, verdicts[0].action === 'ignore' ? verdicts[0].reason : null], ['ignore', 'sync_handshake']);

    const [delivery] = await fake.notifyChange('watch@acme.com');
    assert.equal(delivery.status, 200);
    assert.deepEqual(syncs, [channel.id]);
  });

  test('a forged notification (wrong token) is rejected with 403 and triggers nothing', async () => {
    const res = await fetch(receiverUrl, {
      method: 'POST',
      headers: {
        'X-Goog-Channel-ID': channel.id,
        'X-Goog-Channel-Token': 'guessed',
        'X-Goog-Resource-ID': channel.resourceId ?? '',
        'X-Goog-Resource-State': 'exists',
        'X-Goog-Message-Number': '999',
      },
    });
    assert.equal(res.status, 403);
    assert.deepEqual(syncs, [channel.id]);
    // right token, wrong resource id
    const res2 = await fetch(receiverUrl, {
      method: 'POST',
      headers: { 'X-Goog-Channel-ID': channel.id, 'X-Goog-Channel-Token': channel.secret, 'X-Goog-Resource-ID': 'other', 'X-Goog-Resource-State': 'exists', 'X-Goog-Message-Number': '1000' },
    });
    assert.equal(res2.status, 403);
    // missing headers
    const res3 = await fetch(receiverUrl, { method: 'POST' });
    assert.equal(res3.status, 400);
    assert.deepEqual(syncs, [channel.id]);
  });

  test('a replayed message number is dropped', async () => {
    const last = known.get(channel.id)!.lastMessageNumber!;
    const res = await fetch(receiverUrl, {
      method: 'POST',
      headers: { 'X-Goog-Channel-ID': channel.id, 'X-Goog-Channel-Token': channel.secret, 'X-Goog-Resource-ID': channel.resourceId ?? '', 'X-Goog-Resource-State': 'exists', 'X-Goog-Message-Number': String(last) },
    });
    assert.equal(res.status, 200);
    const verdict = verdicts.at(-1)!;
    assert.equal(verdict.action === 'ignore' && verdict.reason, 'duplicate_or_stale');
    assert.deepEqual(syncs, [channel.id]);
  });

  test('renewal opens a new channel, then stops the old one', async () => {
    assert.equal(provider.needsRenewal(channel), false);
    assert.equal(provider.needsRenewal(channel, new Date(channel.expiresAt.getTime() - 25 * 3_600_000)), true);
    const renewed = await provider.renewWatch(ctx(), channel, { address: receiverUrl, secret: newChannelSecret() });
    known.set(renewed.id, { channel: renewed, lastMessageNumber: null });
    assert.notEqual(renewed.id, channel.id);
    assert.deepEqual(fake.activeChannels().map((c) => c.id), [renewed.id]);
    await waitFor(() => verdicts.some((v) => v.action === 'ignore' && v.channelId === renewed.id));
    await fake.notifyChange('watch@acme.com');
    assert.deepEqual(syncs, [channel.id, renewed.id]);
    // stopping twice (or a channel Google no longer knows) is not an error
    await provider.stopWatch(ctx(), renewed);
    await provider.stopWatch(ctx(), renewed);
    assert.deepEqual(fake.activeChannels(), []);
  });
});
