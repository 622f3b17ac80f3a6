import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { DEFAULT_BOT_NAME, defaultNoticeText, resolveBotOptions } from '@rapport/bot-domain';
import { createTestDatabase } from '@rapport/testing';
import { BotsRepository, CalendarsRepository, UsersRepository, createDataSource, type EventUpsert } from '@rapport/database';

/** Calendar bot planning against a real PostgreSQL: the bot a calendar event plans. */
describe('CalendarsRepository.planMeeting', () => {
  let db: { url: string; drop: () => Promise<void> };
  let ds: DataSource;
  let calendars: CalendarsRepository;
  let bots: BotsRepository;
  let users: UsersRepository;

  before(async () => {
    db = await createTestDatabase();
    ds = createDataSource({ url: db.url, poolSize: 4 });
    await ds.initialize();
    calendars = new CalendarsRepository(ds);
    bots = new BotsRepository(ds);
    users = new UsersRepository(ds);
  });
  after(async () => {
    await ds.destroy();
    await db.drop();
  });

  /** A user whose connected calendar holds one covered Meet event; returns the planned bot. */
  async function planFor(email: string, code: string, prefs?: { botName: string | null; consentNotice: string | null }) {
    const user = await users.create({ email, passwordHash: 'x', retentionDays: 90 });
    assert.ok(user);
    if (prefs) {
      await ds.query(`INSERT INTO user_preferences (user_id, bot_name, consent_notice) VALUES ($1, $2, $3)`, [user.id, prefs.botName, prefs.consentNotice]);
    }
    const { connection } = await calendars.saveConnection(user.id, 'google', 'primary', ['calendar.readonly'], () => Buffer.from('sealed'));
    const start = new Date(Date.now() + 2 * 3600_000);
    const event: EventUpsert = {
      providerEventId: `evt-${code}`,
      iCalUID: null,
      seriesId: null,
      title: 'Design review',
      start,
      end: new Date(start.getTime() + 1800_000),
      allDay: false,
      isOrganizer: true,
      selfResponse: 'accepted',
      cancelled: false,
      link: { platform: 'google_meet', url: `https://meet.google.com/${code}`, meetingId: code, dedupeKey: `meet:${code}` },
      snapshot: {},
    };
    const { meetings } = await calendars.upsertEvent(connection, event, () => ({ covered: true, reason: 'test' }));
    const outcome = await calendars.planMeeting(meetings[0]!, { leadSec: 60, botName: DEFAULT_BOT_NAME, allowedPlatforms: ['google_meet'] });
    assert.equal(outcome.action.kind, 'create');
    const bot = await bots.findForUser(user.id, outcome.botId!);
    assert.ok(bot);
    return { user, bot, start };
  }

  test("a calendar bot takes the owner's bot name and consent notice, in options the bot process accepts", async () => {
    const notice = 'Ada records this call with Rapport for coaching; type "stop recording" to opt out and the bot leaves.';
    const { bot } = await planFor('ada@example.com', 'pln-pref-aaa', { botName: "Ada's Recorder", consentNotice: notice });
    assert.equal(bot.botName, "Ada's Recorder");
    assert.deepEqual(bot.options, { consent: { noticeText: notice } });
    // What the runner hands the bot process ({botName, ...options}) must parse: the schema is strict.
    const resolved = resolveBotOptions({ botName: bot.botName, ...bot.options });
    assert.equal(resolved.botName, "Ada's Recorder");
    assert.equal(resolved.consent.noticeText, notice);
  });

  test('without preferences (or with them cleared) the default name and notice apply', async () => {
    for (const [email, code, prefs] of [
      ['bo@example.com', 'pln-none-bbb', undefined],
      ['cy@example.com', 'pln-null-ccc', { botName: null, consentNotice: null }],
    ] as const) {
      const { bot } = await planFor(email, code, prefs);
      assert.equal(bot.botName, DEFAULT_BOT_NAME);
      assert.deepEqual(bot.options, {});
      const resolved = resolveBotOptions({ botName: bot.botName, ...bot.options });
      assert.equal(resolved.consent.noticeText, defaultNoticeText());
    }
  });

  test('the planned bot starts its bot_events log with one scheduled row, like an ad hoc bot', async () => {
    const { bot, start } = await planFor('di@example.com', 'pln-logs-ddd');
    const events = await bots.events(bot.id);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.code, 'scheduled');
    assert.equal(events[0]!.subCode, null);
    assert.equal(events[0]!.at.getTime(), bot.createdAt.getTime());
    assert.equal(events[0]!.details.joinAt, new Date(start.getTime() - 60_000).toISOString());
    assert.equal(bot.joinAt.getTime(), start.getTime() - 60_000);
  });
});
