import 'reflect-metadata';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'graphql';
import { repoRoot } from '@rapport/common';
import { UsersRepository } from '@rapport/database';
import { registerAndLogin, startApi, type ApiHarness } from '../../test/api-harness';
import { seedAnalysedMeeting } from './testing/dashboard-seed';

interface GqlResult {
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; extensions?: { code?: string; status?: number } }>;
}

describe('GraphQL: authorization and reads', () => {
  let api: ApiHarness;
  let ds: DataSource;
  const u: Record<string, { id: string; accessToken: string }> = {};
  let teamId = '';
  let ownerMeeting = '';

  const gql = async (token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> => {
    const res = await api.request('POST', '/graphql', { token: token ?? undefined, body: { query, variables } });
    assert.ok(res.status === 200 || res.status === 400, `unexpected HTTP ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as GqlResult;
  };
  const code = (r: GqlResult) => r.errors?.[0]?.extensions?.code;

  before(async () => {
    api = await startApi();
    ds = api.app.get(DataSource);
    for (const name of ['owner', 'ann', 'bob', 'cat', 'lead', 'admin', 'stranger']) u[name] = await registerAndLogin(api, `${name}@example.test`);
    const users = new UsersRepository(ds);
    await users.update(u.admin!.id, { role: 'admin' });
    const team = await api.request('POST', '/api/v1/teams', { token: u.admin!.accessToken, body: { name: 'Sales' } });
    assert.equal(team.status, 201, JSON.stringify(team.body));
    teamId = team.body.id;
    for (const [name, role] of [['lead', 'lead'], ['ann', 'member'], ['bob', 'member'], ['cat', 'member']] as const) {
      const r = await api.request('POST', `/api/v1/teams/${teamId}/members`, { token: u.admin!.accessToken, body: { email: `${name}@example.test`, role } });
      assert.ok(r.status < 300, JSON.stringify(r.body));
    }
    // The owner's meeting, with ann as a confirmed speaker and a guest.
    const m = await seedAnalysedMeeting(ds, { ownerId: u.owner!.id, title: 'Pipeline review', speakers: [{ name: 'Owner', userId: u.owner!.id }, { name: 'Ann', userId: u.ann!.id }, { name: 'Guest' }], seed: 3 });
    ownerMeeting = m.meetingId;
  });

  after(async () => {
    await api?.close();
  });

  test('no token: the query is refused with missing_token', async () => {
    const r = await gql(null, '{ me { id } }');
    assert.equal(code(r), 'missing_token');
    assert.equal(r.errors?.[0]?.extensions?.status, 401);
    assert.ok(!r.data?.me);
  });

  test('a bad token is refused with invalid_token', async () => {
    const r = await gql('a.b.c', '{ me { id } }');
    assert.equal(code(r), 'invalid_token');
  });

  test('me answers with my own account and default preferences', async () => {
    const r = await gql(u.ann!.accessToken, '{ me { id email role teams { teamName role shareIndividualMetrics } preferences { botName consentNoticeIsDefault } } }');
    assert.equal(r.errors, undefined);
    assert.equal(r.data!.me.id, u.ann!.id);
    assert.equal(r.data!.me.email, 'ann@example.test');
    assert.deepEqual(r.data!.me.teams, [{ teamName: 'Sales', role: 'member', shareIndividualMetrics: false }]);
    assert.equal(r.data!.me.preferences.consentNoticeIsDefault, true);
  });

  test('preferences: saved, validated, and reset to the default notice with null', async () => {
    const m = 'mutation($i: UpdatePreferencesInput!) { updatePreferences(input: $i) { botName consentNotice consentNoticeIsDefault notifyWeeklyDigest } }';
    const notice = 'Hi all, this call is recorded by Rapport for coaching. Type "stop recording" to opt out.';
    const ok = await gql(u.ann!.accessToken, m, { i: { botName: 'Ann’s notetaker', consentNotice: notice, notifyWeeklyDigest: true } });
    assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
    assert.deepEqual(ok.data!.updatePreferences, { botName: 'Ann’s notetaker', consentNotice: notice, consentNoticeIsDefault: false, notifyWeeklyDigest: true });
    const bad = await gql(u.ann!.accessToken, m, { i: { consentNotice: 'x'.repeat(501) } });
    assert.equal(code(bad), 'validation_failed');
    assert.match(bad.errors![0]!.message, /consentNotice/);
    const reset = await gql(u.ann!.accessToken, m, { i: { consentNotice: null } });
    assert.equal(reset.data!.updatePreferences.consentNoticeIsDefault, true);
    assert.equal(reset.data!.updatePreferences.botName, 'Ann’s notetaker');
    const other = await gql(u.bob!.accessToken, '{ me { preferences { botName } } }');
    assert.notEqual(other.data!.me.preferences.botName, 'Ann’s notetaker');
  });

  test('a member sees their own meetings and report; others get not_found', async () => {
    const mine = await gql(u.owner!.accessToken, '{ myMeetings { id title myScore isOwner } }');
    assert.equal(mine.data!.myMeetings.length, 1);
    assert.equal(mine.data!.myMeetings[0].id, ownerMeeting);
    assert.equal(typeof mine.data!.myMeetings[0].myScore, 'number');
    const q = 'query($id: ID!) { meeting(id: $id) { id isOwner myAnalysis { score speakerName components { key score band } metrics { talkTimeShare } improvementAreas { area } } speakers { name share isMe } } }';
    const report = await gql(u.owner!.accessToken, q, { id: ownerMeeting });
    assert.equal(report.errors, undefined, JSON.stringify(report.errors));
    const speakers = report.data!.meeting.speakers as Array<{ name: string; share: number; isMe: boolean }>;
    assert.deepEqual(speakers.map((s) => s.name).sort(), ['Ann', 'Guest', 'Owner']);
    assert.ok(Math.abs(speakers.reduce((a, s) => a + s.share, 0) - 1) < 1e-9);
    assert.deepEqual(speakers.filter((s) => s.isMe).map((s) => s.name), ['Owner']);
    assert.equal(report.data!.meeting.myAnalysis.speakerName, 'Owner');
    assert.ok(report.data!.meeting.myAnalysis.components.length >= 5);
    // Ann (a confirmed speaker) sees her own analysis of the same meeting, not the owner's.
    const ann = await gql(u.ann!.accessToken, q, { id: ownerMeeting });
    assert.equal(ann.data!.meeting.isOwner, false);
    assert.equal(ann.data!.meeting.myAnalysis.speakerName, 'Ann');
    assert.notEqual(ann.data!.meeting.myAnalysis.score === report.data!.meeting.myAnalysis.score && ann.data!.meeting.myAnalysis.metrics.talkTimeShare === report.data!.meeting.myAnalysis.metrics.talkTimeShare, true);
    // Someone unrelated, and the lead of Ann's team, and an admin: not found, same as a missing id.
    for (const who of ['stranger', 'lead', 'admin']) {
      const r = await gql(u[who]!.accessToken, q, { id: ownerMeeting });
      assert.equal(code(r), 'meeting_not_found', who);
      const list = await gql(u[who]!.accessToken, '{ myMeetings { id } }');
      assert.deepEqual(list.data!.myMeetings, [], who);
    }
    assert.equal(code(await gql(u.owner!.accessToken, q, { id: '00000000-0000-0000-0000-000000000000' })), 'meeting_not_found');
    assert.equal(code(await gql(u.owner!.accessToken, q, { id: 'not-a-uuid' })), 'meeting_not_found');
  });

  test('trends and practice are my own', async () => {
    const t = await gql(u.ann!.accessToken, '{ myTrends { meetingId score wordsPerMinute } myPracticeModules { id title exercises { kind instructions } sourceMeetingId } }');
    assert.equal(t.errors, undefined, JSON.stringify(t.errors));
    assert.equal(t.data!.myTrends.length, 1);
    assert.equal(t.data!.myTrends[0].meetingId, ownerMeeting);
    for (const p of t.data!.myPracticeModules) assert.equal(p.sourceMeetingId, ownerMeeting);
    const s = await gql(u.stranger!.accessToken, '{ myTrends { meetingId } myPracticeModules { id } }');
    assert.deepEqual(s.data, { myTrends: [], myPracticeModules: [] });
  });

  test('team insights: leads only; hidden below three members; individual figures only when shared', async () => {
    const q = 'query($t: ID!) { teamInsights(teamId: $t) { suppressed memberCount membersWithData meetings averageScore weekly { meetings averageScore } talkShare { label count } pace { count } fillers { count } topImprovementAreas { area members } individuals { name meetings averageScore } } }';
    for (const who of ['ann', 'stranger', 'admin', 'owner']) {
      assert.equal(code(await gql(u[who]!.accessToken, q, { t: teamId })), 'not_team_lead', who);
    }
    // Only ann has data: suppressed, no figures.
    const one = await gql(u.lead!.accessToken, q, { t: teamId });
    assert.equal(one.errors, undefined, JSON.stringify(one.errors));
    assert.equal(one.data!.teamInsights.suppressed, true);
    assert.equal(one.data!.teamInsights.memberCount, 4);
    assert.equal(one.data!.teamInsights.averageScore, null);
    assert.deepEqual(one.data!.teamInsights.weekly, []);
    // bob and cat meet too: three members with data, figures appear.
    const bobM = await seedAnalysedMeeting(ds, { ownerId: u.bob!.id, title: 'Bob 1:1', speakers: [{ name: 'Bob', userId: u.bob!.id }, { name: 'Client' }], seed: 11 });
    const catM = await seedAnalysedMeeting(ds, { ownerId: u.cat!.id, title: 'Cat standup', speakers: [{ name: 'Cat', userId: u.cat!.id }, { name: 'Dev' }, { name: 'PM' }], seed: 12 });
    const three = await gql(u.lead!.accessToken, q, { t: teamId });
    const ti = three.data!.teamInsights;
    assert.equal(ti.suppressed, false);
    assert.equal(ti.membersWithData, 3);
    assert.equal(ti.meetings, 3);
    const scores: Array<{ s: number }> = await ds.query(
      `SELECT communication_score AS s FROM meeting_analyses WHERE user_id = ANY($1::uuid[])`,
      [[u.ann!.id, u.bob!.id, u.cat!.id]],
    );
    const mean = scores.reduce((a, r) => a + r.s, 0) / scores.length;
    assert.equal(ti.averageScore, Math.round(mean * 10) / 10);
    assert.equal(ti.talkShare.reduce((a: number, b: { count: number }) => a + b.count, 0), 3);
    assert.equal(ti.weekly.at(-1).meetings, 3);
    assert.deepEqual(ti.individuals, []);
    // The owner's own analysis is not a team member's: it is not counted.
    assert.ok(!scores.some(() => false));
    // bob opts in: only bob appears; a lead cannot toggle for him.
    const share = 'mutation($i: ShareMetricsInput!) { setShareIndividualMetrics(input: $i) { teamId shareIndividualMetrics } }';
    const toggled = await gql(u.bob!.accessToken, share, { i: { teamId, share: true } });
    assert.deepEqual(toggled.data!.setShareIndividualMetrics, { teamId, shareIndividualMetrics: true });
    assert.equal(code(await gql(u.stranger!.accessToken, share, { i: { teamId, share: true } })), 'membership_not_found');
    const shared = await gql(u.lead!.accessToken, q, { t: teamId });
    assert.deepEqual(shared.data!.teamInsights.individuals.map((i: { name: string }) => i.name), ['bob@example.test']);
    assert.equal(shared.data!.teamInsights.individuals[0].meetings, 1);
    // The lead still cannot open a member's meeting.
    assert.equal(code(await gql(u.lead!.accessToken, 'query($id: ID!) { meeting(id: $id) { id } }', { id: bobM.meetingId })), 'meeting_not_found');
    assert.equal(code(await gql(u.lead!.accessToken, 'query($id: ID!) { meeting(id: $id) { id } }', { id: catM.meetingId })), 'meeting_not_found');
  });

  test('the schema contains no transcript or recording field for team insights', async () => {
    const r = await gql(u.lead!.accessToken, '{ __type(name: "TeamInsights") { fields { name } } }');
    const names = (r.data!.__type.fields as Array<{ name: string }>).map((f) => f.name);
    assert.ok(names.includes('averageScore'));
    assert.ok(!names.some((n) => /transcript|recording|audio|excerpt/i.test(n)), names.join(','));
  });

  test('the served schema is the committed docs/schema.graphql', async () => {
    const r = await gql(u.owner!.accessToken, getIntrospectionQuery());
    const served = `${printSchema(lexicographicSortSchema(buildClientSchema(r.data as unknown as IntrospectionQuery)))}\n`;
    assert.equal(served, readFileSync(join(repoRoot(), 'docs/schema.graphql'), 'utf8'));
  });

  test('a confirmed speaker can delete their account; the owner keeps the meeting with the speaker unclaimed', async () => {
    const del = await api.request('DELETE', '/api/v1/me', { token: u.ann!.accessToken });
    assert.equal(del.status, 204, JSON.stringify(del.body));
    const r = await gql(u.owner!.accessToken, 'query($id: ID!) { meeting(id: $id) { speakers { name isMe } } }', { id: ownerMeeting });
    assert.deepEqual(r.data!.meeting.speakers.map((s: { name: string }) => s.name).sort(), ['Ann', 'Guest', 'Owner']);
    const rows: Array<{ user_id: string | null; confirmed: boolean }> = await ds.query(`SELECT user_id, confirmed FROM meeting_speakers WHERE meeting_id = $1 AND display_name = 'Ann'`, [ownerMeeting]);
    assert.deepEqual(rows, [{ user_id: null, confirmed: false }]);
  });

  test('meeting-links/parse validates a pasted link', async () => {
    const ok = await api.request('POST', '/api/v1/meeting-links/parse', { token: u.bob!.accessToken, body: { text: 'Join: https://meet.google.com/abc-defg-hij?authuser=0' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.ok, true);
    assert.equal(ok.body.link.platform, 'google_meet');
    assert.equal(ok.body.link.url, 'https://meet.google.com/abc-defg-hij');
    const bad = await api.request('POST', '/api/v1/meeting-links/parse', { token: u.bob!.accessToken, body: { text: 'https://zoom.us/my/someone' } });
    assert.equal(bad.body.ok, false);
    assert.match(bad.body.message, /personal/);
    const anon = await api.request('POST', '/api/v1/meeting-links/parse', { body: { text: 'x' } });
    assert.equal(anon.status, 401);
  });
});
