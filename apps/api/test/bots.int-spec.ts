import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { registerAndLogin, startApi, type ApiHarness } from './api-harness';

/** The bot REST contract: validation, one active bot per meeting, ownership, leave, consent. */
describe('bots API', () => {
  let api: ApiHarness;
  let ada: { id: string; accessToken: string };
  let bob: { id: string; accessToken: string };
  let db: Client;

  before(async () => {
    api = await startApi();
    ada = await registerAndLogin(api, 'ada@example.com');
    bob = await registerAndLogin(api, 'bob@example.com');
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
  });
  after(async () => {
    await db.end();
    await api.close();
  });

  const post = (token: string, body: unknown) => api.request('POST', '/api/v1/bots', { token, body });

  test('refuses what is not a dispatchable meeting link, with a message naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'validation_failed'],
      [{ meetingUrl: 42 }, 'validation_failed'],
      [{ meetingUrl: 'not a url' }, 'invalid_meeting_url'],
      [{ meetingUrl: 'https://meet.google.com.evil.example/abc-defg-hij' }, 'invalid_meeting_url'],
      [{ meetingUrl: 'https://evil.example/meet.google.com/abc-defg-hij' }, 'invalid_meeting_url'],
      [{ meetingUrl: 'https://meet.google.com/landing' }, 'invalid_meeting_url'],
      [{ meetingUrl: 'javascript:alert(1)//meet.google.com/abc-defg-hij' }, 'invalid_meeting_url'],
      [{ meetingUrl: 'https://meet.google.com/abc-defg-hij', joinAt: 'tomorrow' }, 'validation_failed'],
      [{ meetingUrl: 'https://meet.google.com/abc-defg-hij', joinAt: '2026-11-25T14:00:00' }, 'validation_failed'],
      [{ meetingUrl: 'https://meet.google.com/abc-defg-hij', joinAt: '2001-01-01T00:00:00Z' }, 'validation_failed'],
      [{ meetingUrl: 'https://meet.google.com/abc-defg-hij', botName: '' }, 'validation_failed'],
      [{ meetingUrl: 'https://meet.google.com/abc-defg-hij', autoLeave: { everyoneLeftTimeoutS: -5 } }, 'validation_failed'],
      [{ meetingUrl: 'https://meet.google.com/abc-defg-hij', autoLeave: { nope: 1 } }, 'validation_failed'],
      [{ meetingUrl: 'https://meet.google.com/abc-defg-hij', autoLeave: 'fast' }, 'validation_failed'],
      [{ meetingUrl: 'https://meet.google.com/abc-defg-hij', extra: true }, 'validation_failed'],
    ];
    for (const [body, code] of cases) {
      const res = await post(ada.accessToken, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, code, JSON.stringify(body));
      assert.ok(typeof res.body.message === 'string' && res.body.message.length > 0);
    }
    const bad = await post(ada.accessToken, { meetingUrl: 'https://meet.google.com.evil.example/abc-defg-hij' });
    assert.match(bad.body.message, /^meetingUrl: /);
  });

  test('Zoom and Teams links are recognised but refused as not supported yet', async () => {
    for (const url of ['https://us02web.zoom.us/j/85551234567?pwd=abc', 'https://teams.microsoft.com/meet/2345678901234?p=AbCdEfGhIjKlMnOp']) {
      const res = await post(ada.accessToken, { meetingUrl: url });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.code, 'platform_not_supported');
      assert.match(res.body.message, /not supported yet/);
    }
    const { rows } = await db.query('SELECT count(*)::int AS n FROM bots');
    assert.equal(rows[0].n, 0, 'nothing was created for refused links');
  });

  test('creates a bot and its meeting; a second bot for the same meeting is a 409 naming the first', async () => {
    const joinAt = new Date(Date.now() + 3600_000).toISOString();
    const res = await post(ada.accessToken, {
      meetingUrl: 'https://meet.google.com/abc-defg-hij?authuser=0&hs=122',
      joinAt,
      botName: '  Coach  ',
      autoLeave: { everyoneLeftTimeoutS: 10, maxDurationS: null },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const bot = res.body;
    assert.equal(bot.status, 'scheduled');
    assert.equal(bot.platform, 'google_meet');
    assert.equal(bot.meetingUrl, 'https://meet.google.com/abc-defg-hij');
    assert.equal(bot.botName, 'Coach');
    assert.equal(bot.joinAt, joinAt);
    const { rows: meetings } = await db.query('SELECT user_id, platform, platform_meeting_id, dedupe_key, scheduled_start FROM meetings WHERE id = $1', [bot.meetingId]);
    assert.deepEqual(
      { ...meetings[0], scheduled_start: meetings[0].scheduled_start.toISOString() },
      { user_id: ada.id, platform: 'google_meet', platform_meeting_id: 'abc-defg-hij', dedupe_key: 'meet:abc-defg-hij', scheduled_start: joinAt },
    );
    const { rows: opts } = await db.query('SELECT options FROM bots WHERE id = $1', [bot.id]);
    assert.deepEqual(opts[0].options, { autoLeave: { everyoneLeftTimeoutS: 10, maxDurationS: null } });

    // The same meeting by another spelling of its link: 409 with the active bot's id.
    const again = await post(ada.accessToken, { meetingUrl: 'https://meet.google.com/abcdefghij', joinAt });
    assert.equal(again.status, 409, JSON.stringify(again.body));
    assert.equal(again.body.code, 'bot_already_active');
    assert.equal(again.body.details.existingBotId, bot.id);

    // Concurrent requests for one new meeting: exactly one wins.
    const joinAt2 = new Date(Date.now() + 7200_000).toISOString();
    const racing = await Promise.all([0, 1, 2, 3].map(() => post(ada.accessToken, { meetingUrl: 'https://meet.google.com/xyz-abcd-efg', joinAt: joinAt2 })));
    assert.deepEqual(racing.map((r) => r.status).sort(), [201, 409, 409, 409]);
    const winner = racing.find((r) => r.status === 201)!.body.id;
    for (const r of racing.filter((x) => x.status === 409)) assert.equal(r.body.details.existingBotId, winner);

    // Another user's bot for the same link is their own meeting and bot.
    const bobs = await post(bob.accessToken, { meetingUrl: 'https://meet.google.com/abc-defg-hij', joinAt });
    assert.equal(bobs.status, 201);
    assert.notEqual(bobs.body.meetingId, bot.meetingId);
  });

  test('a user sees only their own bots: list, get, events, leave, consent are 404 for others', async () => {
    const list = await api.request('GET', '/api/v1/bots', { token: bob.accessToken });
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 1);
    const bobBot = list.body.items[0];
    for (const [method, path] of [
      ['GET', `/api/v1/bots/${bobBot.id}`],
      ['GET', `/api/v1/bots/${bobBot.id}/events`],
      ['POST', `/api/v1/bots/${bobBot.id}/leave`],
      ['GET', `/api/v1/meetings/${bobBot.meetingId}/consent`],
    ] as const) {
      const res = await api.request(method, path, { token: ada.accessToken });
      assert.equal(res.status, 404, `${method} ${path}`);
    }
    const mine = await api.request('GET', `/api/v1/bots/${bobBot.id}`, { token: bob.accessToken });
    assert.equal(mine.status, 200);
    assert.equal((await api.request('GET', '/api/v1/bots/not-a-uuid', { token: bob.accessToken })).status, 400);
    assert.equal((await api.request('GET', '/api/v1/bots')).status, 401);
  });

  test('pages through my bots newest first', async () => {
    const first = await api.request('GET', '/api/v1/bots?limit=1', { token: ada.accessToken });
    assert.equal(first.status, 200);
    assert.equal(first.body.items.length, 1);
    assert.ok(first.body.nextCursor);
    const second = await api.request('GET', `/api/v1/bots?limit=1&cursor=${first.body.nextCursor}`, { token: ada.accessToken });
    assert.equal(second.body.items.length, 1);
    assert.notEqual(second.body.items[0].id, first.body.items[0].id);
    assert.ok(second.body.items[0].createdAt <= first.body.items[0].createdAt);
    assert.equal(second.body.nextCursor, null);
    assert.equal((await api.request('GET', '/api/v1/bots?limit=0', { token: ada.accessToken })).status, 400);
    assert.equal((await api.request('GET', '/api/v1/bots?limit=abc', { token: ada.accessToken })).status, 400);
    assert.equal((await api.request('GET', '/api/v1/bots?cursor=bm9wZQ', { token: ada.accessToken })).status, 400);
  });

  test('leave: a scheduled bot is cancelled, its meeting can get a new bot, events are append-only', async () => {
    const created = await post(ada.accessToken, { meetingUrl: 'https://meet.google.com/qrs-tuvw-xyz', joinAt: new Date(Date.now() + 600_000).toISOString() });
    assert.equal(created.status, 201);
    const leave = await api.request('POST', `/api/v1/bots/${created.body.id}/leave`, { token: ada.accessToken });
    assert.equal(leave.status, 202);
    assert.equal(leave.body.outcome, 'cancelled');
    assert.equal(leave.body.bot.status, 'cancelled');
    const twice = await api.request('POST', `/api/v1/bots/${created.body.id}/leave`, { token: ada.accessToken });
    assert.equal(twice.body.outcome, 'already_ended');
    const events = await api.request('GET', `/api/v1/bots/${created.body.id}/events`, { token: ada.accessToken });
    assert.deepEqual(events.body.map((e: { code: string }) => e.code), ['scheduled', 'cancelled']);

    const next = await post(ada.accessToken, { meetingUrl: 'https://meet.google.com/qrs-tuvw-xyz', joinAt: new Date(Date.now() + 660_000).toISOString() });
    assert.equal(next.status, 201, 'a cancelled bot does not block the meeting');
    assert.equal(next.body.meetingId, created.body.meetingId, 'same day, same link: the meeting is adopted');

    await assert.rejects(db.query(`UPDATE bot_events SET code = 'done' WHERE bot_id = $1`, [created.body.id]), /append-only/);
  });

  test('leave on a live bot records the request for its runner', async () => {
    const created = await post(ada.accessToken, { meetingUrl: 'https://meet.google.com/lmn-opqr-stu' });
    await db.query(`UPDATE bots SET status = 'in_call_recording' WHERE id = $1`, [created.body.id]);
    const leave = await api.request('POST', `/api/v1/bots/${created.body.id}/leave`, { token: ada.accessToken });
    assert.equal(leave.status, 202);
    assert.equal(leave.body.outcome, 'leave_requested');
    assert.equal(leave.body.bot.leaveRequested, true);
    assert.equal(leave.body.bot.status, 'in_call_recording');
  });

  test('consent ledger: the owner sees it, empty before any bot ran', async () => {
    const list = await api.request('GET', '/api/v1/bots', { token: ada.accessToken });
    const meetingId = list.body.items[0].meetingId;
    const res = await api.request('GET', `/api/v1/meetings/${meetingId}/consent`, { token: ada.accessToken });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { meetingId, notices: [] });
  });
});
