import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import Bull from 'bull';
import { DataSource } from 'typeorm';
import { FakeGoogleCalendarServer, FakeGraphServer, graphDateTime } from '@rapport/calendar';
import type { Event as GraphEvent } from '@microsoft/microsoft-graph-types';
import type { AppConfig } from '@rapport/config';
import { DataKeyService, decryptJson } from '@rapport/crypto';
import { QUEUES, bullOptions } from '@rapport/queue';
import { createTestDatabase, testConfig } from '@rapport/testing';
import { createApiApp } from '../src/app.factory';
// The scheduler consumes what the API produces; this end-to-end test runs both processes' modules.
import { SchedulerModule } from '../../scheduler/src/scheduler.module';

/**
 * Calendar integrations end to end: the real API and scheduler (one process, one database,
 * one Redis prefix) against local fakes of Google Calendar and Microsoft Graph that speak the
 * vendors' wire formats; the official SDKs inside the adapters are pointed at them.
 */

const MIN = 60_000;
let api: NestExpressApplication;
let scheduler: INestApplication;
let google: FakeGoogleCalendarServer;
let graph: FakeGraphServer;
let config: AppConfig;
let ds: DataSource;
let queue: Bull.Queue;
let baseUrl: string;
let drop: () => Promise<void>;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function http(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), redirect: 'manual' });
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers };
}

async function user(email: string): Promise<{ id: string; token: string }> {
  const reg = await http('POST', '/api/v1/auth/register', { body: { email, password: 'correct horse battery' } });
  assert.equal(reg.status, 201, JSON.stringify(reg.body));
  const login = await http('POST', '/api/v1/auth/login', { body: { email, password: 'correct horse battery' } });
  return { id: reg.body.id, token: login.body.accessToken };
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Connects a calendar through the real consent round trip (the fake issues the code the consent screen would). */
async function connect(token: string, provider: 'google' | 'microsoft', code: string): Promise<string> {
  const start = await http('POST', `/api/v1/calendars/${provider}/connect`, { token });
  assert.equal(start.status, 201);
  const url = new URL(start.body.authorizationUrl);
  const state = url.searchParams.get('state')!;
  if (provider === 'google') google.issueAuthCode(code);
  else graph.issueAuthCode(code);
  const cb = await http('GET', `/api/v1/calendars/${provider}/callback?code=${code}&state=${encodeURIComponent(state)}`);
  assert.equal(cb.status, 302, JSON.stringify(cb.body));
  return new URL(cb.headers.get('location')!).searchParams.get('id')!;
}

const at = (ms: number) => new Date(Math.floor((Date.now() + ms) / 1000) * 1000);

function gEvent(id: string, start: Date, extra: Record<string, unknown> = {}) {
  return {
    id,
    summary: `Meeting ${id}`,
    start: { dateTime: start.toISOString() },
    end: { dateTime: new Date(start.getTime() + 30 * MIN).toISOString() },
    organizer: { email: 'ann@acme.test', self: true },
    attendees: [
      { email: 'ann@acme.test', self: true, organizer: true, responseStatus: 'accepted' },
      { email: 'client@other.test', responseStatus: 'accepted' },
    ],
    ...extra,
  };
}

async function eventsOf(token: string) {
  const res = await http('GET', '/api/v1/calendar-events?limit=500', { token });
  assert.equal(res.status, 200);
  return res.body as Array<Record<string, any>>;
}

async function botsOfMeeting(meetingId: string): Promise<Array<{ id: string; status: string; join_at: Date; user_id: string }>> {
  return ds.query(`SELECT id, status, join_at, user_id FROM bots WHERE meeting_id = $1 ORDER BY created_at`, [meetingId]);
}

before(async () => {
  google = await FakeGoogleCalendarServer.start();
  graph = await FakeGraphServer.start();
  const db = await createTestDatabase();
  drop = db.drop;
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  config = await testConfig(db.url, {
    PUBLIC_URL: baseUrl,
    GOOGLE_CLIENT_ID: google.clientId,
    GOOGLE_CLIENT_SECRET: google.clientSecret,
    GOOGLE_API_BASE_URL: google.apiRootUrl,
    GOOGLE_OAUTH_BASE_URL: google.url,
    MS_CLIENT_ID: graph.clientId,
    MS_CLIENT_SECRET: graph.clientSecret,
    MS_TENANT: 'organizations',
    GRAPH_BASE_URL: graph.url,
    LOGIN_BASE_URL: graph.url,
    CALENDAR_NOTIFY_DEBOUNCE_MS: '150',
    BOT_DISPATCH_INTERVAL_SEC: '3600',
  });
  api = await createApiApp(config, { bufferLogs: false });
  await api.listen(port, '127.0.0.1');
  scheduler = await NestFactory.create(SchedulerModule.forRoot(config), { logger: false });
  await scheduler.init();
  ds = scheduler.get(DataSource);
  queue = new Bull(QUEUES.calendar, bullOptions(config));
});

after(async () => {
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  await api.close();
  await scheduler.close();
  await google.stop();
  await graph.stop();
  await drop();
});

describe('connect', () => {
  test('a forged, foreign or replayed OAuth state is refused and connects nothing', async () => {
    const ann = await user('forge@acme.test');
    const eve = await user('eve@acme.test');
    google.issueAuthCode('code-forge');
    const missing = await http('GET', '/api/v1/calendars/google/callback?code=code-forge');
    assert.equal(missing.status, 400);
    assert.equal(missing.body.code, 'missing_oauth_state');
    const forged = await http('GET', `/api/v1/calendars/google/callback?code=code-forge&state=${Buffer.from(JSON.stringify({ userId: ann.id, provider: 'google', nonce: 'n', expiresAt: Date.now() + MIN })).toString('base64url')}.AAAA`);
    assert.equal(forged.status, 403);
    assert.equal(forged.body.code, 'invalid_oauth_state');
    // Eve's genuine state cannot be reused on the Microsoft callback, nor twice.
    const eveStart = await http('POST', '/api/v1/calendars/google/connect', { token: eve.token });
    const state = new URL(eveStart.body.authorizationUrl).searchParams.get('state')!;
    assert.equal((await http('GET', `/api/v1/calendars/microsoft/callback?code=code-forge&state=${encodeURIComponent(state)}`)).status, 403);
    assert.equal((await http('GET', `/api/v1/calendars/google/callback?code=code-forge&state=${encodeURIComponent(state)}`)).status, 302);
    assert.equal((await http('GET', `/api/v1/calendars/google/callback?code=code-forge&state=${encodeURIComponent(state)}`)).status, 403);
    assert.deepEqual((await http('GET', '/api/v1/calendars', { token: ann.token })).body, []);
    await http('DELETE', `/api/v1/calendars/${(await http('GET', '/api/v1/calendars', { token: eve.token })).body[0].id}`, { token: eve.token });
  });

  test('the consent URL asks Google for offline access, forced consent and the read-only events scope', async () => {
    const u = await user('scopes@acme.test');
    const url = new URL((await http('POST', '/api/v1/calendars/google/connect', { token: u.token })).body.authorizationUrl);
    assert.equal(url.searchParams.get('access_type'), 'offline');
    assert.equal(url.searchParams.get('prompt'), 'consent');
    assert.match(url.searchParams.get('scope')!, /calendar\.events\.readonly/);
    const ms = new URL((await http('POST', '/api/v1/calendars/microsoft/connect', { token: u.token })).body.authorizationUrl);
    assert.match(ms.searchParams.get('scope')!, /Calendars\.Read/);
    assert.match(ms.searchParams.get('scope')!, /offline_access/);
  });

  test('a Google grant without the calendar scope is refused', async () => {
    const u = await user('noscope@acme.test');
    const start = await http('POST', '/api/v1/calendars/google/connect', { token: u.token });
    const state = new URL(start.body.authorizationUrl).searchParams.get('state')!;
    google.issueAuthCode('code-noscope', 'openid email');
    const cb = await http('GET', `/api/v1/calendars/google/callback?code=code-noscope&state=${encodeURIComponent(state)}`);
    assert.equal(cb.status, 400);
    assert.equal(cb.body.code, 'scope_not_granted');
  });
});

describe('google calendar', () => {
  let ann: { id: string; token: string };
  let connectionId: string;
  const start = at(3 * 3_600_000);

  before(async () => {
    google.putEvent('primary', gEvent('standup', start, { hangoutLink: 'https://meet.google.com/abc-defg-hij' }));
    google.putEvent('primary', gEvent('nolink', at(4 * 3_600_000)));
    google.putEvent('primary', gEvent('weekly', at(5 * 3_600_000), { recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3'], location: 'https://meet.google.com/qrs-tuvw-xyz' }));
    ann = await user('ann@acme.test');
    connectionId = await connect(ann.token, 'google', 'code-ann');
  });

  test('connecting stores encrypted tokens, syncs the window and plans one bot per covered meeting', async () => {
    const events = await until('first sync', async () => {
      const e = await eventsOf(ann.token);
      return e.length >= 5 && e;
    });
    const [row] = await ds.query(`SELECT tokens, scopes FROM calendar_connections WHERE id = $1`, [connectionId]);
    assert.ok(!row.tokens.toString('utf8').includes('1//rt-'), 'refresh token stored in plaintext');
    const key = await scheduler.get(DataKeyService).keyFor(ann.id);
    assert.match(decryptJson<{ refreshToken: string }>(key, row.tokens, `calendar-token:${connectionId}`).refreshToken, /^1\/\/rt-/);
    const standup = events.find((e) => e.title === 'Meeting standup')!;
    assert.equal(standup.platform, 'google_meet');
    assert.equal(standup.covered, true);
    assert.equal(standup.coverageReason, 'has_meeting_link');
    const noLink = events.find((e) => e.title === 'Meeting nolink')!;
    assert.equal(noLink.covered, false);
    assert.equal(noLink.coverageReason, 'no_meeting_link');
    assert.equal(noLink.botPlanned, false);
    const bots = await botsOfMeeting(standup.meetingId);
    assert.equal(bots.length, 1);
    assert.equal(new Date(bots[0].join_at).getTime(), start.getTime() - 60_000);
    // Recurring instances: one meeting and one bot per occurrence.
    const weekly = events.filter((e) => e.seriesId === 'weekly');
    assert.equal(weekly.length, 3);
    assert.equal(new Set(weekly.map((e) => e.meetingId)).size, 3);
    for (const w of weekly) assert.equal((await botsOfMeeting(w.meetingId)).length, 1);
    // A watch channel was opened (and Google's `sync` handshake acknowledged).
    await until('channel', async () => google.activeChannels().length === 1);
  });

  test('a genuine push notification triggers an incremental sync that moves a rescheduled bot', async () => {
    const before = (await eventsOf(ann.token)).find((e) => e.title === 'Meeting standup')!;
    const later = new Date(start.getTime() + 3_600_000);
    google.putEvent('primary', gEvent('standup', later, { hangoutLink: 'https://meet.google.com/abc-defg-hij' }));
    const [delivery] = await google.notifyChange('primary');
    assert.equal(delivery.status, 202);
    const moved = await until('bot moved', async () => {
      const e = (await eventsOf(ann.token)).find((x) => x.title === 'Meeting standup')!;
      return e.botJoinAt === new Date(later.getTime() - 60_000).toISOString() && e;
    });
    assert.equal(moved.meetingId, before.meetingId, 'the meeting moved with its only event');
    assert.equal(moved.botId, before.botId, 'the same bot, moved');
    const list = google.requests.filter((r) => r.path.endsWith('/events') && r.query.has('syncToken'));
    assert.ok(list.length >= 1, 'incremental sync used the syncToken');
  });

  test('forged and duplicate notifications change nothing', async () => {
    const channel = google.activeChannels()[0];
    const base = { 'x-goog-channel-id': channel.id, 'x-goog-resource-id': channel.resourceId, 'x-goog-resource-state': 'exists' };
    const forged = await http('POST', '/api/v1/webhooks/google-calendar', { headers: { ...base, 'x-goog-message-number': '999', 'x-goog-channel-token': 'guess' } });
    assert.equal(forged.status, 403);
    const wrongResource = await http('POST', '/api/v1/webhooks/google-calendar', { headers: { ...base, 'x-goog-resource-id': 'other', 'x-goog-message-number': '999' } });
    assert.equal(wrongResource.status, 403);
    const [row] = await ds.query(`SELECT last_message_number FROM calendar_channels WHERE provider_channel_id = $1`, [channel.id]);
    assert.notEqual(Number(row.last_message_number), 999);
    // A duplicate of the last genuine message is acknowledged and dropped (no sync job).
    const last = google.deliveries.filter((d) => d.channelId === channel.id).at(-1)!;
    const jobsBefore = (await queue.getJobs(['delayed', 'waiting'])).filter((j) => j?.name === 'calendar.sync').length;
    const dup = await fetch(`${baseUrl}/api/v1/webhooks/google-calendar`, {
      method: 'POST',
      headers: { ...base, 'x-goog-message-number': String(last.messageNumber), 'x-goog-channel-token': await channelToken(channel.id) },
    });
    assert.equal(dup.status, 200);
    const jobsAfter = (await queue.getJobs(['delayed', 'waiting'])).filter((j) => j?.name === 'calendar.sync').length;
    assert.equal(jobsAfter, jobsBefore);
  });

  test('a cancelled event and a cancelled recurring occurrence cancel their scheduled bots', async () => {
    const weekly = (await eventsOf(ann.token)).filter((e) => e.seriesId === 'weekly').sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    google.cancelInstance('primary', 'weekly', weekly[1].startsAt);
    google.deleteEvent('primary', 'standup');
    const standup = (await eventsOf(ann.token)).find((e) => e.title === 'Meeting standup')!;
    await google.notifyChange('primary');
    await until('bots cancelled', async () => {
      const a = await botsOfMeeting(standup.meetingId);
      const b = await botsOfMeeting(weekly[1].meetingId);
      if (process.env.CAL_DEBUG) console.log(JSON.stringify({ a, b, ev: (await eventsOf(ann.token)).map((e) => [e.title, e.startsAt, e.coverageReason, e.meetingId]) }));
      return a[0].status === 'cancelled' && b[0].status === 'cancelled';
    }, 3000);
    assert.equal((await botsOfMeeting(weekly[0].meetingId))[0].status, 'scheduled');
    assert.equal((await botsOfMeeting(weekly[2].meetingId))[0].status, 'scheduled');
  });

  test('an expired sync token (410) is replaced by a full sync', async () => {
    google.invalidateSyncTokens();
    google.putEvent('primary', gEvent('after410', at(6 * 3_600_000), { hangoutLink: 'https://meet.google.com/zzz-zzzz-zzz' }));
    await google.notifyChange('primary');
    const e = await until('event after 410', async () => (await eventsOf(ann.token)).find((x) => x.title === 'Meeting after410' && x.botPlanned));
    assert.equal(e.covered, true);
    const gone = google.requests.filter((r) => r.path.endsWith('/events') && !r.query.has('syncToken') && r.query.has('timeMin'));
    assert.ok(gone.length >= 2, 'a second full sync ran');
  });

  test('a 429 with a long Retry-After defers the sync job by that delay', async () => {
    google.failNext(1, 429, 120);
    await google.notifyChange('primary');
    const deferred = await until('deferred job', async () => (await queue.getJobs(['delayed'])).find((j) => j && String(j.id).startsWith('retry:') && j.name === 'calendar.sync'));
    assert.ok(deferred.opts.delay! >= 119_000 && deferred.opts.delay! <= 121_000, `delay ${deferred.opts.delay}`);
    await deferred.remove();
  });

  test('coverage rules, series and per-event overrides re-plan bots; "on" is recorded as consent', async () => {
    const weekly = (await eventsOf(ann.token)).filter((e) => e.seriesId === 'weekly' && !e.cancelled);
    const iCalUID = weekly[0].iCalUID;
    const put = await http('PUT', '/api/v1/calendar-settings', { token: ann.token, body: { mode: 'all_with_link', seriesOverrides: { [iCalUID]: false } } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    let now = (await eventsOf(ann.token)).filter((e) => e.seriesId === 'weekly' && e.coverageReason !== 'cancelled');
    assert.ok(now.every((e) => e.covered === false && e.coverageReason === 'series_off'));
    assert.equal((await botsOfMeeting(now[0].meetingId)).at(-1)!.status, 'cancelled');
    const patched = await http('PATCH', `/api/v1/calendar-events/${now[0].id}`, { token: ann.token, body: { override: 'on' } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.covered, true);
    assert.equal(patched.body.coverageReason, 'event_override_on');
    assert.equal(patched.body.botPlanned, true);
    const consent = await ds.query(`SELECT source, withdrawn_at FROM meeting_consents WHERE user_id = $1 AND meeting_id = $2`, [ann.id, now[0].meetingId]);
    assert.deepEqual(consent.map((c: { source: string; withdrawn_at: Date | null }) => [c.source, c.withdrawn_at]), [['calendar_override_on', null]]);
    const bad = await http('PUT', '/api/v1/calendar-settings', { token: ann.token, body: { skipTitlePatterns: ['(unclosed'] } });
    assert.equal(bad.status, 400);
    const skip = await http('PUT', '/api/v1/calendar-settings', { token: ann.token, body: { skipTitlePatterns: ['after410'] } });
    assert.equal(skip.status, 200);
    now = await eventsOf(ann.token);
    assert.equal(now.find((e) => e.title === 'Meeting after410')!.coverageReason, 'title_skipped');
    assert.equal(now.find((e) => e.title === 'Meeting after410')!.botPlanned, false);
    const unknownOverride = await http('PATCH', `/api/v1/calendar-events/${now[0].id}`, { token: ann.token, body: { override: 'maybe' } });
    assert.equal(unknownOverride.status, 400);
    const otherUser = await user('other@acme.test');
    assert.equal((await http('PATCH', `/api/v1/calendar-events/${now[0].id}`, { token: otherUser.token, body: { override: 'on' } })).status, 404);
  });

  test('a revoked grant marks the calendar disconnected with the reason and cancels its bots', async () => {
    const covered = (await eventsOf(ann.token)).filter((e) => e.botPlanned);
    assert.ok(covered.length > 0);
    const [row] = await ds.query(`SELECT tokens FROM calendar_connections WHERE id = $1`, [connectionId]);
    const key = await scheduler.get(DataKeyService).keyFor(ann.id);
    google.revokeGrant(decryptJson<{ refreshToken: string }>(key, row.tokens, `calendar-token:${connectionId}`).refreshToken);
    google.expireAccessTokens();
    await google.notifyChange('primary').catch(() => undefined);
    await queue.add('calendar.sync', { connectionId, reason: 'reconcile' });
    const conn = await until('disconnected', async () => (await http('GET', '/api/v1/calendars', { token: ann.token })).body.find((c: any) => c.id === connectionId && c.status === 'disconnected'));
    assert.match(conn.statusReason, /^auth_revoked/);
    for (const e of covered) assert.equal((await botsOfMeeting(e.meetingId)).at(-1)!.status, 'cancelled');
  });
});

async function channelToken(googleChannelId: string): Promise<string> {
  const { calendarChannelSecret } = await import('@rapport/database');
  const [row] = await ds.query(`SELECT id FROM calendar_channels WHERE provider_channel_id = $1`, [googleChannelId]);
  return calendarChannelSecret(config.JWT_SECRET, row.id);
}

describe('microsoft graph and two users in one meeting', () => {
  let bob: { id: string; token: string };
  let cat: { id: string; token: string };
  let bobConn: string;
  const shared = at(8 * 3_600_000);

  function msEvent(id: string, start: Date, extra: Record<string, unknown> = {}): GraphEvent & { id: string } {
    return {
      id,
      subject: `Graph ${id}`,
      start: { dateTime: graphDateTime(start), timeZone: 'UTC' },
      end: { dateTime: graphDateTime(new Date(start.getTime() + 30 * MIN)), timeZone: 'UTC' },
      isOrganizer: false,
      responseStatus: { response: 'accepted' },
      organizer: { emailAddress: { address: 'boss@acme.test' } },
      attendees: [{ emailAddress: { address: 'bob@acme.test' }, status: { response: 'accepted' }, type: 'required' }],
      body: { contentType: 'html', content: '<a href="https://meet.google.com/sha-redm-eet">Join</a>' },
      ...extra,
    } as GraphEvent & { id: string };
  }

  before(async () => {
    // 120 events: the delta is paged (odata.maxpagesize 100).
    for (let i = 0; i < 119; i++) graph.putEvent(msEvent(`filler${i}`, at(24 * 3_600_000 + i * MIN), { body: { contentType: 'text', content: 'no link' } }));
    graph.putEvent(msEvent('shared', shared));
    bob = await user('bob@acme.test');
    bobConn = await connect(bob.token, 'microsoft', 'code-bob');
    // Cat's Google calendar has the same meeting (same Meet link, same start).
    google.putEvent('primary', gEvent('cat-shared', shared, { hangoutLink: 'https://meet.google.com/sha-redm-eet', organizer: { email: 'boss@acme.test' }, attendees: [{ email: 'cat@acme.test', self: true, responseStatus: 'accepted' }] }));
    cat = await user('cat@acme.test');
    await connect(cat.token, 'google', 'code-cat');
  });

  test('paged delta sync; the same meeting in two calendars is one meeting with one bot, in both lists', async () => {
    const bobShared = await until('bob synced', async () => {
      const e = await eventsOf(bob.token);
      return e.length === 120 && e.find((x) => x.title === 'Graph shared');
    });
    const catShared = await until('cat synced', async () => (await eventsOf(cat.token)).find((x) => x.title === 'Meeting cat-shared'));
    assert.equal(bobShared.meetingId, catShared.meetingId);
    assert.equal((await botsOfMeeting(bobShared.meetingId)).length, 1);
    assert.equal(bobShared.botPlanned, true);
    assert.equal(catShared.botPlanned, true);
    assert.equal(bobShared.botId, catShared.botId);
    const pages = graph.requests.filter((r) => r.path === '/v1.0/me/calendarView/delta');
    assert.ok(pages.length >= 2, 'delta paged');
    // The rotated Microsoft refresh token was persisted (the fake retires the old one on use).
    const [row] = await ds.query(`SELECT tokens FROM calendar_connections WHERE id = $1`, [bobConn]);
    const key = await scheduler.get(DataKeyService).keyFor(bob.id);
    assert.ok(graph.liveRefreshTokens().includes(decryptJson<{ refreshToken: string }>(key, row.tokens, `calendar-token:${bobConn}`).refreshToken));
  });

  test('one invitee declining keeps the bot; when nobody covers it any more it is cancelled', async () => {
    const bobShared = (await eventsOf(bob.token)).find((x) => x.title === 'Graph shared')!;
    const sub = await until('subscription', async () => (await ds.query(`SELECT provider_channel_id FROM calendar_channels WHERE connection_id = $1 AND stopped_at IS NULL`, [bobConn]))[0]);
    graph.putEvent(msEvent('shared', shared, { responseStatus: { response: 'declined' } }));
    assert.equal((await graph.emitChange(sub.provider_channel_id, 'shared', 'updated')).status, 202);
    await until('bob declined', async () => (await eventsOf(bob.token)).find((x) => x.title === 'Graph shared' && x.coverageReason === 'declined'));
    assert.equal((await botsOfMeeting(bobShared.meetingId)).filter((b) => b.status === 'scheduled').length, 1);
    const catShared = (await eventsOf(cat.token)).find((x) => x.title === 'Meeting cat-shared')!;
    const off = await http('PATCH', `/api/v1/calendar-events/${catShared.id}`, { token: cat.token, body: { override: 'off' } });
    assert.equal(off.status, 200);
    assert.equal(off.body.botPlanned, false);
    assert.deepEqual((await botsOfMeeting(bobShared.meetingId)).map((b) => b.status), ['cancelled']);
  });

  test('forged Graph notifications get 403 and change nothing; validation tokens are echoed as text/plain', async () => {
    const sub = (await ds.query(`SELECT provider_channel_id FROM calendar_channels WHERE connection_id = $1 AND stopped_at IS NULL`, [bobConn]))[0];
    const forged = await graph.emitChange(sub.provider_channel_id, 'shared', 'updated', 'not-the-client-state');
    assert.equal(forged.status, 403);
    const echo = await fetch(`${baseUrl}/api/v1/webhooks/microsoft-graph?validationToken=${encodeURIComponent('Validation: a b+c')}`, { method: 'POST', headers: { 'content-type': 'text/plain' } });
    assert.equal(echo.status, 200);
    assert.match(echo.headers.get('content-type')!, /^text\/plain/);
    assert.equal(await echo.text(), 'Validation: a b+c');
  });

  test('subscriptions are renewed with the expiry read back, re-authorized and recreated on lifecycle events', async () => {
    const [row] = await ds.query(`SELECT id, provider_channel_id, expires_at FROM calendar_channels WHERE connection_id = $1 AND stopped_at IS NULL`, [bobConn]);
    const renew = await queue.add('calendar.watch', { connectionId: bobConn, action: 'renew' });
    assert.deepEqual(await renew.finished(), { opened: 0, renewed: 1, stopped: 0 });
    const [after] = await ds.query(`SELECT expires_at FROM calendar_channels WHERE id = $1`, [row.id]);
    assert.equal(new Date(after.expires_at).toISOString(), new Date(graph.subscription(row.provider_channel_id)!.expirationDateTime).toISOString());
    assert.equal((await graph.emitLifecycle(row.provider_channel_id, 'reauthorizationRequired')).status, 202);
    assert.equal((await graph.emitLifecycle(row.provider_channel_id, 'subscriptionRemoved')).status, 202);
    const fresh = await until('recreated', async () => (await ds.query(`SELECT provider_channel_id FROM calendar_channels WHERE connection_id = $1 AND stopped_at IS NULL AND provider_channel_id <> $2`, [bobConn, row.provider_channel_id]))[0]);
    assert.ok(graph.subscription(fresh.provider_channel_id));
    assert.equal((await graph.emitLifecycle(fresh.provider_channel_id, 'missed')).status, 202);
  });

  test('disconnecting stops subscriptions, cancels pending bots and shows the reason', async () => {
    graph.putEvent(msEvent('solo', at(9 * 3_600_000)));
    const sub = (await ds.query(`SELECT provider_channel_id FROM calendar_channels WHERE connection_id = $1 AND stopped_at IS NULL`, [bobConn]))[0];
    await graph.emitChange(sub.provider_channel_id, 'solo', 'created');
    const solo = await until('solo bot', async () => (await eventsOf(bob.token)).find((x) => x.title === 'Graph solo' && x.botPlanned));
    const del = await http('DELETE', `/api/v1/calendars/${bobConn}`, { token: bob.token });
    assert.equal(del.status, 200);
    assert.equal(del.body.status, 'disconnected');
    assert.equal(del.body.statusReason, 'user_disconnected');
    assert.deepEqual((await botsOfMeeting(solo.meetingId)).map((b) => b.status), ['cancelled']);
    await until('subscription deleted', async () => !graph.subscription(sub.provider_channel_id));
    await until('tokens dropped', async () => (await ds.query(`SELECT tokens FROM calendar_connections WHERE id = $1`, [bobConn]))[0].tokens === null);
    assert.deepEqual(await eventsOf(bob.token), []);
  });
});

describe('team defaults and restarts', () => {
  let cat: { id: string; token: string };
  let catConn: string;

  before(async () => {
    const [row] = await ds.query(`SELECT c.id, c.user_id FROM calendar_connections c JOIN users u ON u.id = c.user_id WHERE u.email = 'cat@acme.test' AND c.status = 'connected'`);
    catConn = row.id;
    const login = await http('POST', '/api/v1/auth/login', { body: { email: 'cat@acme.test', password: 'correct horse battery' } });
    cat = { id: row.user_id, token: login.body.accessToken };
  });

  test('team defaults apply to members without their own rules; only the team lead may set them', async () => {
    const [team] = await ds.query(`INSERT INTO teams (name) VALUES ('Sales') RETURNING id`);
    const member = await user('member@acme.test');
    await ds.query(`INSERT INTO team_memberships (team_id, user_id, role) VALUES ($1, $2, 'lead'), ($1, $3, 'member')`, [team.id, cat.id, member.id]);
    const refused = await http('PUT', `/api/v1/calendar-settings/teams/${team.id}`, { token: member.token, body: { mode: 'organized_by_me' } });
    assert.equal(refused.status, 403);
    const put = await http('PUT', `/api/v1/calendar-settings/teams/${team.id}`, { token: cat.token, body: { mode: 'organized_by_me' } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const settings = await http('GET', '/api/v1/calendar-settings', { token: cat.token });
    assert.equal(settings.body.teamDefaults.teamId, team.id);
    assert.equal(settings.body.effective.mode, 'organized_by_me');
    const covered = (await eventsOf(cat.token)).filter((e) => e.meetingUrl && e.override === null && !e.cancelled);
    assert.ok(covered.length > 0);
    // The team's mode decides now (the fake's shared calendar marks these events as organised by the calendar's owner).
    assert.ok(covered.every((e) => e.covered === true && e.coverageReason === 'organized_by_me'), JSON.stringify(covered.map((e) => e.coverageReason)));
    // Her own rules win over the team's, field by field.
    await http('PUT', '/api/v1/calendar-settings', { token: cat.token, body: { mode: 'all_with_link' } });
    const back = (await eventsOf(cat.token)).filter((e) => e.meetingUrl && e.override === null && !e.cancelled);
    assert.ok(back.every((e) => e.covered === true && e.coverageReason === 'has_meeting_link'), JSON.stringify(back.map((e) => e.coverageReason)));
    // The member without rules of their own follows the team too.
    assert.equal((await http('GET', '/api/v1/calendar-settings', { token: member.token })).body.effective.mode, 'organized_by_me');
  });

  test('a Google channel is renewed by opening a new channel first and then stopping the old one', async () => {
    const old: { id: string; provider_channel_id: string } = await until('cat channel', async () => (await ds.query(`SELECT id, provider_channel_id FROM calendar_channels WHERE connection_id = $1 AND stopped_at IS NULL`, [catConn]))[0]);
    const job = await queue.add('calendar.watch', { connectionId: catConn, action: 'renew' });
    assert.deepEqual(await job.finished(), { opened: 1, renewed: 0, stopped: 1 });
    const live = await ds.query(`SELECT provider_channel_id, expires_at FROM calendar_channels WHERE connection_id = $1 AND stopped_at IS NULL`, [catConn]);
    assert.equal(live.length, 1);
    assert.notEqual(live[0].provider_channel_id, old.provider_channel_id);
    const atGoogle = google.activeChannels().map((c) => c.id);
    assert.ok(atGoogle.includes(live[0].provider_channel_id));
    assert.ok(!atGoogle.includes(old.provider_channel_id), 'old channel stopped at Google');
    assert.equal(new Date(live[0].expires_at).getTime(), google.activeChannels().find((c) => c.id === live[0].provider_channel_id)!.expiration);
    // The stopped channel's notifications are acknowledged and ignored.
    const stale = await http('POST', '/api/v1/webhooks/google-calendar', {
      headers: { 'x-goog-channel-id': old.provider_channel_id, 'x-goog-resource-id': 'r', 'x-goog-resource-state': 'exists', 'x-goog-message-number': '99999' },
    });
    assert.equal(stale.status, 200);
  });

  test('a scheduler restart and a repeated full sync neither lose nor duplicate bots', async () => {
    const snapshot = async () =>
      (await ds.query(
        `SELECT b.meeting_id, b.id FROM bots b WHERE b.status NOT IN ('done', 'fatal', 'cancelled')
            AND b.meeting_id IN (SELECT meeting_id FROM calendar_events WHERE connection_id = $1) ORDER BY b.meeting_id`,
        [catConn],
      )) as Array<{ meeting_id: string; id: string }>;
    const before = await snapshot();
    assert.ok(before.length > 0);
    await scheduler.close();
    scheduler = await NestFactory.create(SchedulerModule.forRoot(config), { logger: false });
    await scheduler.init();
    ds = scheduler.get(DataSource);
    const job = await queue.add('calendar.sync', { connectionId: catConn, reason: 'reconcile', full: true });
    const result = await job.finished();
    assert.equal(result.kind, 'full');
    assert.deepEqual(await snapshot(), before);
    const perMeeting = await ds.query(`SELECT meeting_id, count(*)::int AS n FROM bots WHERE status NOT IN ('done', 'fatal', 'cancelled') GROUP BY meeting_id HAVING count(*) > 1`);
    assert.deepEqual(perMeeting, []);
  });
});
