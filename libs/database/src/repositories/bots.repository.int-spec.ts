import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '@rapport/testing';
import { BotsRepository, UsersRepository, createDataSource, type NewBotInput } from '@rapport/database';

/** The dispatch side of the bots repository against a real PostgreSQL. */
describe('BotsRepository', () => {
  let db: { url: string; drop: () => Promise<void> };
  let ds: DataSource;
  let bots: BotsRepository;
  let userId: string;
  let n = 0;

  const input = (over: Partial<NewBotInput> = {}): NewBotInput => {
    n++;
    const code = `abc-defg-${String.fromCharCode(97 + (n % 26))}${String.fromCharCode(97 + ((n / 26) | 0))}x`;
    return {
      platform: 'google_meet',
      meetingUrl: `https://meet.google.com/${code}`,
      platformMeetingId: code,
      dedupeKey: `meet:${code}`,
      title: `Google Meet ${code}`,
      joinAt: new Date(),
      botName: 'Rapport Notetaker',
      options: {},
      ...over,
    };
  };
  const create = async (over: Partial<NewBotInput> = {}) => {
    const r = await bots.createWithMeeting(userId, input(over));
    assert.ok(r.ok);
    return r.bot;
  };

  before(async () => {
    db = await createTestDatabase();
    ds = createDataSource({ url: db.url, poolSize: 4 });
    await ds.initialize();
    bots = new BotsRepository(ds);
    const users = new UsersRepository(ds);
    const user = await users.create({ email: 'repo@example.com', passwordHash: 'x', retentionDays: 90 });
    assert.ok(user);
    userId = user.id;
  });
  after(async () => {
    await ds.destroy();
    await db.drop();
  });

  test('claim is atomic: of several runners exactly one gets a scheduled bot', async () => {
    const bot = await create();
    const claims = await Promise.all(['r1', 'r2', 'r3', 'r4'].map((r) => bots.claim(bot.id, r)));
    const won = claims.filter((c) => c !== null);
    assert.equal(won.length, 1);
    assert.equal(won[0]!.status, 'joining_call');
    assert.equal(won[0]!.attempt, 1);
    assert.ok(won[0]!.heartbeatAt);
  });

  test('claimDue takes a bot only once join_at - lead has come; a later join_at answers not_due with the wait', async () => {
    const due = await create({ joinAt: new Date(Date.now() + 30_000) });
    const claimed = await bots.claimDue(due.id, 'r1', 60);
    assert.equal(claimed.outcome, 'claimed');
    assert.equal(claimed.outcome === 'claimed' && claimed.bot.status, 'joining_call');
    assert.deepEqual(await bots.claimDue(due.id, 'r2', 60), { outcome: 'gone' }, 'already taken');

    // Queued for 10:00, then the calendar moved the meeting 20 minutes later.
    const moved = await create({ joinAt: new Date(Date.now() + 30_000) });
    await ds.query(`UPDATE bots SET join_at = join_at + interval '20 minutes' WHERE id = $1`, [moved.id]);
    const early = await bots.claimDue(moved.id, 'r1', 60);
    assert.equal(early.outcome, 'not_due');
    if (early.outcome !== 'not_due') return;
    assert.equal(early.joinAt.getTime(), moved.joinAt.getTime() + 20 * 60_000);
    const expected = early.joinAt.getTime() - 60_000 - Date.now();
    assert.ok(Math.abs(early.dueInMs - expected) < 5_000, `dueInMs ${early.dueInMs} vs ~${expected}`);
    const row = await bots.findForDispatch(moved.id);
    assert.equal(row?.status, 'scheduled');
    assert.equal(row?.attempt, 0);
    assert.equal(row?.runnerId, null);
    assert.deepEqual((await bots.events(moved.id)).map((e) => e.code), ['scheduled']);

    await bots.requestLeave(userId, moved.id);
    assert.deepEqual(await bots.claimDue(moved.id, 'r1', 60), { outcome: 'gone' }, 'cancelled');
  });

  test('events move the status; nothing is recorded once the bot is final', async () => {
    const bot = await create();
    await bots.claim(bot.id, 'r1');
    assert.equal(await bots.applyEvent(bot.id, { code: 'joining_call', subCode: null, at: new Date() }), true);
    assert.equal(await bots.applyEvent(bot.id, { code: 'fatal', subCode: 'meeting_not_found', at: new Date() }), true);
    assert.equal(await bots.applyEvent(bot.id, { code: 'in_call_recording', subCode: null, at: new Date() }), false);
    const row = await bots.findForUser(userId, bot.id);
    assert.equal(row?.status, 'fatal');
    assert.equal(row?.subCode, 'meeting_not_found');
    assert.ok(row?.endedAt);
    assert.deepEqual((await bots.events(bot.id)).map((e) => e.code), ['scheduled', 'joining_call', 'fatal']);
  });

  test('heartbeat returns the live bots this runner holds, with leave requests', async () => {
    const a = await create();
    const b = await create();
    await bots.claim(a.id, 'r1');
    await bots.claim(b.id, 'r1');
    await bots.requestLeave(userId, b.id);
    const live = await bots.heartbeat('r1', [a.id, b.id]);
    assert.deepEqual(live.map((l) => [l.id, l.leaveRequested]).sort(), [[a.id, false], [b.id, true]].sort());
    assert.deepEqual(await bots.heartbeat('r2', [a.id]), [], 'another runner does not hold it');
    await bots.applyEvent(a.id, { code: 'fatal', subCode: 'bot_errored', at: new Date() });
    assert.deepEqual((await bots.heartbeat('r1', [a.id])).map((l) => l.id), []);
  });

  test('the reaper takes only live bots silent past the window, once', async () => {
    const silent = await create();
    const fresh = await create();
    const waiting = await create({ joinAt: new Date(Date.now() + 3600_000) });
    await bots.claim(silent.id, 'r1');
    await bots.claim(fresh.id, 'r1');
    await ds.query(`UPDATE bots SET heartbeat_at = now() - interval '2 minutes' WHERE id = $1`, [silent.id]);
    const reaped = await bots.reapSilent(new Date(Date.now() - 60_000));
    assert.deepEqual(reaped.map((r) => r.id), [silent.id]);
    assert.deepEqual(await bots.reapSilent(new Date(Date.now() - 60_000)), []);
    const events = await bots.events(silent.id);
    assert.equal(events.at(-1)?.subCode, 'bot_errored');
    assert.equal(events.at(-1)?.details.reason, 'heartbeat_lost');
    assert.equal((await bots.findForUser(userId, fresh.id))?.status, 'joining_call');
    assert.equal((await bots.findForUser(userId, waiting.id))?.status, 'scheduled');
  });

  test('dispatch finds due scheduled bots once; meetings are adopted per day', async () => {
    const soon = new Date(Date.now() + 30_000);
    const due = await create({ joinAt: soon });
    const later = await create({ joinAt: new Date(Date.now() + 7200_000) });
    const found = (await bots.findScheduledBefore(new Date(Date.now() + 60_000), 100, { undispatchedOnly: true })).map((b) => b.id);
    assert.ok(found.includes(due.id));
    assert.ok(!found.includes(later.id));
    await bots.markDispatched([due.id]);
    assert.ok(!(await bots.findScheduledBefore(new Date(Date.now() + 60_000), 100, { undispatchedOnly: true })).some((b) => b.id === due.id));

    const same = input();
    const first = await bots.createWithMeeting(userId, same);
    assert.ok(first.ok);
    await bots.requestLeave(userId, first.bot.id);
    const second = await bots.createWithMeeting(userId, { ...same, joinAt: new Date(same.joinAt.getTime() + 60_000) });
    assert.ok(second.ok && second.meetingAdopted && second.meetingId === first.meetingId);
    const nextDay = await bots.createWithMeeting(userId, { ...same, joinAt: new Date(same.joinAt.getTime() + 86_400_000 * 2) });
    assert.ok(nextDay.ok && !nextDay.meetingAdopted);
  });
});
