import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DataSource } from 'typeorm';
import { CalendarsRepository, type CalendarConnectionRow, type EventUpsert } from '@rapport/database';
import { registerAndLogin, startApi, type ApiHarness } from './api-harness';

type Session = { id: string; accessToken: string };

interface GqlResult {
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/**
 * One canonical meeting, a view per user (issue 5): the owner's calendar and an invitee's
 * calendar link the same meeting; the invitee sees it, its bot and their own analysis, never
 * the owner's transcript or recording. An ad hoc bot request for a meeting that another user's
 * calendar holds adopts that meeting: 409 with the existing bot, and the caller is linked.
 */
describe('shared meetings: one canonical meeting seen by everyone linked to it', () => {
  let api: ApiHarness;
  let ds: DataSource;
  let calendars: CalendarsRepository;
  let owner: Session;
  let invitee: Session;
  let adHoc: Session;
  let stranger: Session;
  const start = new Date(Date.now() + 3 * 3600_000);
  start.setUTCMinutes(0, 0, 0);
  const code = 'shr-mtgs-abc';
  const url = `https://meet.google.com/${code}`;
  let meetingId = '';
  let botId = '';

  const as = (s: Session, method: string, path: string, body?: unknown) => api.request(method, path, { token: s.accessToken, ...(body !== undefined ? { body } : {}) });
  const gql = async (s: Session, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> => {
    const res = await api.request('POST', '/graphql', { token: s.accessToken, body: { query, variables } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as GqlResult;
  };

  async function connect(userId: string): Promise<Pick<CalendarConnectionRow, 'id' | 'userId' | 'provider'>> {
    const { connection } = await calendars.saveConnection(userId, 'google', 'primary', ['calendar.readonly'], () => Buffer.from('sealed'));
    return connection;
  }

  function event(providerEventId: string, isOrganizer: boolean): EventUpsert {
    return {
      providerEventId,
      iCalUID: 'shared-ical@example.test',
      seriesId: null,
      title: 'Quarterly planning',
      start,
      end: new Date(start.getTime() + 3600_000),
      allDay: false,
      isOrganizer,
      selfResponse: 'accepted',
      cancelled: false,
      link: { platform: 'google_meet', url, meetingId: code, dedupeKey: `meet:${code}` },
      snapshot: {},
    };
  }

  before(async () => {
    api = await startApi();
    ds = api.app.get(DataSource);
    calendars = new CalendarsRepository(ds);
    owner = await registerAndLogin(api, 'owner@shared.test');
    invitee = await registerAndLogin(api, 'invitee@shared.test');
    adHoc = await registerAndLogin(api, 'adhoc@shared.test');
    stranger = await registerAndLogin(api, 'stranger@shared.test');

    // The owner's calendar syncs first (the meeting is theirs), then the invitee's links to it.
    const covered = () => ({ covered: true, reason: 'test' });
    const mine = await calendars.upsertEvent(await connect(owner.id), event('evt-owner', true), covered);
    const theirs = await calendars.upsertEvent(await connect(invitee.id), event('evt-invitee', false), covered);
    assert.equal(mine.meetings.length, 1);
    assert.deepEqual(theirs.meetings, mine.meetings, 'both calendars link the one canonical meeting');
    meetingId = mine.meetings[0]!;
    const planned = await calendars.planMeeting(meetingId, { leadSec: 60, botName: 'Rapport Notetaker', allowedPlatforms: ['google_meet'] });
    assert.equal(planned.action.kind, 'create');
    botId = planned.botId!;

    // The owner's artefacts and analysis, and the invitee's own analysis (after claiming a speaker).
    await ds.query(`INSERT INTO meeting_transcripts (meeting_id, user_id, ciphertext, source) VALUES ($1, $2, $3, 'captions')`, [meetingId, owner.id, Buffer.from('x')]);
    await ds.query(
      `INSERT INTO recordings (meeting_id, user_id, storage_key, content_type, byte_size, duration_sec) VALUES ($1, $2, 'rec/key', 'audio/ogg', 10, 1)`,
      [meetingId, owner.id],
    );
    await ds.query(`INSERT INTO meeting_speakers (meeting_id, speaker_label, display_name, talk_time_sec, user_id, confirmed) VALUES ($1, 'S1', 'Owner', 30, $2, true), ($1, 'S2', 'Invitee', 20, $3, true)`, [
      meetingId,
      owner.id,
      invitee.id,
    ]);
    await ds.query(`INSERT INTO meeting_analyses (meeting_id, user_id, speaker_name, communication_score) VALUES ($1, $2, 'Owner', 81), ($1, $3, 'Invitee', 64)`, [
      meetingId,
      owner.id,
      invitee.id,
    ]);
    // Only the calendar links the invitee now: drop the speaker confirmation to test that link alone.
    await ds.query(`UPDATE meeting_speakers SET confirmed = false, user_id = NULL WHERE meeting_id = $1 AND speaker_label = 'S2'`, [meetingId]);
  });

  after(async () => {
    await api?.close();
  });

  test('REST: the invitee linked by their calendar lists and opens the meeting, with their own analysis only', async () => {
    const list = await as(invitee, 'GET', '/api/v1/meetings');
    assert.equal(list.status, 200);
    const item = list.body.items.find((m: { id: string }) => m.id === meetingId);
    assert.ok(item, `invitee's list lacks the meeting: ${JSON.stringify(list.body)}`);
    assert.equal(item.isOwner, false);
    assert.equal(item.myScore, 64);

    const one = await as(invitee, 'GET', `/api/v1/meetings/${meetingId}`);
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.equal(one.body.isOwner, false);
    assert.equal(one.body.myAnalysis.speakerName, 'Invitee');
    assert.equal(one.body.myAnalysis.communicationScore, 64);
    assert.equal('recording' in one.body, false);
    assert.equal('pipeline' in one.body, false);
    assert.ok(one.body.speakers.every((s: { displayName: string }) => s.displayName !== 'Owner'));

    const mine = await as(invitee, 'GET', `/api/v1/meetings/${meetingId}/analysis`);
    assert.equal(mine.status, 200);
    assert.equal(mine.body.speakerName, 'Invitee');
  });

  test("REST: the owner's transcript and recording stay owner-only (404 for the invitee)", async () => {
    assert.equal((await as(invitee, 'GET', `/api/v1/meetings/${meetingId}/transcript`)).status, 404);
    assert.equal((await as(invitee, 'GET', `/api/v1/meetings/${meetingId}/recording`)).status, 404);
    assert.equal((await as(invitee, 'POST', `/api/v1/meetings/${meetingId}/reanalyze`, {})).status, 404);
  });

  test('REST: a user linked to nothing sees nothing (404, not in the list)', async () => {
    assert.equal((await as(stranger, 'GET', `/api/v1/meetings/${meetingId}`)).status, 404);
    assert.equal((await as(stranger, 'GET', `/api/v1/meetings/${meetingId}/analysis`)).status, 404);
    const list = await as(stranger, 'GET', '/api/v1/meetings');
    assert.deepEqual(list.body.items, []);
  });

  test("GraphQL: myMeetings and meeting(id) give the invitee the meeting with its bot's status and their own analysis", async () => {
    const list = await gql(invitee, '{ myMeetings { id isOwner myScore bot { id status } } }');
    assert.equal(list.errors, undefined, JSON.stringify(list.errors));
    const item = (list.data!.myMeetings as Array<{ id: string; isOwner: boolean; myScore: number | null; bot: { id: string; status: string } | null }>).find((m) => m.id === meetingId);
    assert.ok(item, 'invitee myMeetings lacks the meeting');
    assert.equal(item.isOwner, false);
    assert.equal(item.myScore, 64);
    assert.deepEqual(item.bot, { id: botId, status: 'scheduled' }, "the owner's bot is the meeting's bot");

    const report = await gql(invitee, 'query($id: ID!) { meeting(id: $id) { id isOwner hasTranscript hasRecording consent { channel } bot { id } myAnalysis { speakerName score } } }', { id: meetingId });
    assert.equal(report.errors, undefined, JSON.stringify(report.errors));
    const m = report.data!.meeting;
    assert.equal(m.isOwner, false);
    assert.equal(m.hasTranscript, false);
    assert.equal(m.hasRecording, false);
    assert.deepEqual(m.consent, []);
    assert.equal(m.bot.id, botId);
    assert.deepEqual(m.myAnalysis, { speakerName: 'Invitee', score: 64 });

    const none = await gql(stranger, 'query($id: ID!) { meeting(id: $id) { id } }', { id: meetingId });
    assert.equal(none.errors?.[0]?.extensions?.code, 'meeting_not_found');
    const strangerList = await gql(stranger, '{ myMeetings { id } }');
    assert.deepEqual(strangerList.data!.myMeetings, []);
  });

  test("an ad hoc bot for a meeting in another user's calendar adopts it: 409 with the existing bot, and the caller then sees the meeting", async () => {
    const before = await as(adHoc, 'GET', `/api/v1/meetings/${meetingId}`);
    assert.equal(before.status, 404, 'not linked yet');

    const r = await as(adHoc, 'POST', '/api/v1/bots', { meetingUrl: url, joinAt: new Date(start.getTime() - 60_000).toISOString() });
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal(r.body.code, 'bot_already_active');
    const [active] = await ds.query(`SELECT count(*)::int AS n FROM bots WHERE meeting_id = $1`, [meetingId]);
    assert.equal(active.n, 1, 'one bot per meeting, across users');
    const meetings = await ds.query(`SELECT count(*)::int AS n FROM meetings WHERE dedupe_key = $1`, [`meet:${code}`]);
    assert.equal(meetings[0].n, 1, 'no second meeting row for the same link and day');
    assert.equal(r.body.details.existingBotId, botId);
    assert.equal(r.body.details.meetingId, meetingId);

    const list = await as(adHoc, 'GET', '/api/v1/meetings');
    assert.ok(list.body.items.some((m: { id: string; isOwner: boolean }) => m.id === meetingId && !m.isOwner), JSON.stringify(list.body));
    const one = await as(adHoc, 'GET', `/api/v1/meetings/${meetingId}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.myAnalysis, null, "never the owner's analysis");
    assert.equal((await as(adHoc, 'GET', `/api/v1/meetings/${meetingId}/transcript`)).status, 404);
    const gqlList = await gql(adHoc, '{ myMeetings { id bot { id status } } }');
    assert.deepEqual(
      (gqlList.data!.myMeetings as Array<{ id: string; bot: { id: string } | null }>).find((m) => m.id === meetingId)?.bot,
      { id: botId, status: 'scheduled' },
    );
  });

  test("once the meeting's bot is cancelled, an ad hoc request adopts the calendar meeting instead of creating another", async () => {
    await ds.query(`UPDATE bots SET status = 'cancelled', ended_at = now() WHERE id = $1`, [botId]);
    const r = await as(adHoc, 'POST', '/api/v1/bots', { meetingUrl: url, joinAt: new Date(start.getTime() - 60_000).toISOString() });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.meetingId, meetingId);
    const again = await as(owner, 'POST', '/api/v1/bots', { meetingUrl: url, joinAt: new Date(start.getTime() - 30_000).toISOString() });
    assert.equal(again.status, 409, 'the owner finds the ad hoc bot of their meeting');
    assert.equal(again.body.details.existingBotId, r.body.id);
  });
});
