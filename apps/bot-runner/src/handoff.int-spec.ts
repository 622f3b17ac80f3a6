import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '@rapport/config';
import { decryptChunked } from '@rapport/crypto';
import { AnalysisRepository, BotsRepository, MeetingsRepository, PipelineRunsRepository, UserKeysRepository, UsersRepository, type PipelineRunEntity } from '@rapport/database';
import { newConsentLedger } from '@rapport/bot-domain';
import { contexts, createStandalonePipeline, renderScriptedMeeting, type RenderedMeeting, type StandalonePipeline } from '@rapport/pipeline';
import { blobKeys } from '@rapport/storage';
import { createTestDatabase, testConfig } from '@rapport/testing';
import { HandoffService } from './handoff.service';

const OWNER = 'Olivia Owner';
const SENDER = 'Sam Sender';
const SCRIPT = [
  { speaker: OWNER, text: 'Thanks for joining, shall we go through the launch plan?', voice: 'en+f3' },
  { speaker: SENDER, text: 'Yes. The landing page is ready and the emails go out on Monday.', voice: 'en+m3' },
  { speaker: OWNER, text: 'Good. What is still open for the press release?', voice: 'en+f3' },
];

async function waitForRun(runs: PipelineRunsRepository, meetingId: string, timeoutMs = 30_000): Promise<PipelineRunEntity> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await runs.latestForMeeting(meetingId);
    if (r && (r.status === 'completed' || r.status === 'failed')) return r;
    if (Date.now() > end) throw new Error(`run did not finish: ${JSON.stringify(r)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/**
 * The bot's hand-off into the analysis pipeline when the bot was sent by someone other than the
 * meeting's owner (an invitee covering a canonical meeting, or an ad hoc bot adopting it): the
 * outputs are stored under the owner's key, so the pipeline (which works as the owner) can read
 * them and the owner's delete-me shreds them.
 */
describe('bot hand-off: outputs belong to the meeting owner, whoever sent the bot', () => {
  let db: { url: string; drop: () => Promise<void> };
  let config: AppConfig;
  let p: StandalonePipeline;
  let rendered: RenderedMeeting;
  let handoff: HandoffService;
  let bots: BotsRepository;
  let meetings: MeetingsRepository;
  const users: Record<string, string> = {};

  before(async () => {
    rendered = renderScriptedMeeting(SCRIPT);
    db = await createTestDatabase();
    config = await testConfig(db.url, { ANALYSIS_RETRY_BASE_MS: '20' });
    p = await createStandalonePipeline(config);
    bots = new BotsRepository(p.ds);
    meetings = new MeetingsRepository(p.ds);
    handoff = new HandoffService(bots, meetings, p.keys, p.blobs, p.queue.queue);
    for (const name of [OWNER, SENDER]) {
      const repo = new UsersRepository(p.ds);
      const u = (await repo.create({ email: `${name.split(' ')[0]!.toLowerCase()}@example.com`, passwordHash: 'x', retentionDays: 30 }))!;
      await repo.update(u.id, { displayName: name });
      await new UserKeysRepository(p.ds).insert(u.id, (await p.keys.newKey()).wrapped);
      users[name] = u.id;
    }
    p.work(1);
  });
  after(async () => {
    await p.queue.queue.obliterate({ force: true });
    await p.close();
    await db.drop();
  });

  async function senderBotInOwnersMeeting(code: string) {
    const created = await bots.createWithMeeting(users[SENDER]!, {
      platform: 'google_meet',
      meetingUrl: `https://meet.google.com/${code}`,
      platformMeetingId: code,
      dedupeKey: `meet:${code}`,
      title: 'Launch plan',
      joinAt: new Date(),
      botName: 'Rapport Notetaker',
      options: {},
    });
    assert.ok(created.ok);
    // The canonical meeting is Olivia's (her calendar had it first); Sam's bot serves it.
    await p.ds.query(`UPDATE meetings SET user_id = $1 WHERE id = $2`, [users[OWNER], created.bot.meetingId]);
    const bot = (await bots.findForDispatch(created.bot.id))!;
    const dir = mkdtempSync(join(tmpdir(), 'rapport-handoff-bot-'));
    writeFileSync(join(dir, 'recording.ogg'), rendered.recording);
    writeFileSync(join(dir, 'timeline.json'), JSON.stringify(rendered.timeline));
    writeFileSync(join(dir, 'captions.json'), JSON.stringify(rendered.captions));
    const ledger = newConsentLedger('Rapport is recording this meeting. Type "stop recording" to opt out.');
    ledger.noticePostedAt = new Date().toISOString();
    ledger.participantsAtNotice = [OWNER];
    writeFileSync(join(dir, 'consent.json'), JSON.stringify(ledger));
    return { bot, dir };
  }

  test("a bot sent by an invitee: stored under the owner's key, analysed, the owner gets the report", async () => {
    const { bot, dir } = await senderBotInOwnersMeeting('own-erm-tng');
    const result = await handoff.handOff(bot, dir, false);
    assert.equal(result.recordingStored, true);
    assert.equal(result.analysisEnqueued, true);
    assert.equal(existsSync(dir), false, 'no plaintext left behind');

    const [rec] = (await p.ds.query(`SELECT user_id, storage_key FROM recordings WHERE meeting_id = $1`, [bot.meetingId])) as Array<{ user_id: string; storage_key: string }>;
    assert.equal(rec!.user_id, users[OWNER]);
    assert.equal(rec!.storage_key, blobKeys.recording(users[OWNER]!, bot.meetingId));
    const plain = decryptChunked(await p.keys.keyFor(users[OWNER]!), (await p.blobs.get(rec!.storage_key))!, contexts.recording(bot.meetingId));
    assert.ok(plain.equals(rendered.recording), 'the owner key opens the recording');
    assert.equal(await p.blobs.get(blobKeys.recording(users[SENDER]!, bot.meetingId)), null, 'nothing under the sender');

    const run = await waitForRun(new PipelineRunsRepository(p.ds), bot.meetingId);
    assert.equal(run.status, 'completed', `${run.errorCode}: ${run.errorMessage}`);
    assert.equal(run.transcriptSource, 'captions');
    const mine = await new AnalysisRepository(p.ds).findAnalysisForUser(users[OWNER]!, bot.meetingId);
    assert.ok(mine, 'the owner has their analysis');
    assert.equal(mine.speakerName, OWNER);
    // The consent ledger of the meeting is the owner's to see, though Sam's bot posted it.
    const ledger = await bots.consentForUser(users[OWNER]!, bot.meetingId);
    assert.deepEqual(ledger?.map((n) => [n.botId, n.participantsPresent]), [[bot.id, [OWNER]]]);
    assert.equal(await bots.consentForUser(users[SENDER]!, bot.meetingId), null, 'not the sender’s meeting');
  });

  test('a meeting deleted while its bot ran: nothing is stored or analysed', async () => {
    const { bot, dir } = await senderBotInOwnersMeeting('del-eted-mtg');
    await meetings.deleteById(bot.meetingId);
    const result = await handoff.handOff(bot, dir, false);
    assert.deepEqual([result.recordingStored, result.analysisEnqueued], [false, false]);
    assert.equal(existsSync(dir), false);
    assert.equal((await p.ds.query(`SELECT count(*)::int AS n FROM recordings WHERE meeting_id = $1`, [bot.meetingId]))[0].n, 0);
  });
});
