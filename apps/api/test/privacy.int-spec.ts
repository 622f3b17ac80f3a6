import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DataKeyService, LocalKeyProvider, encryptChunked, encryptJson } from '@rapport/crypto';
import { AuditRepository, MeetingsRepository, UserKeysRepository, createDataSource } from '@rapport/database';
import { RetentionPurgeService } from '@rapport/privacy';
import { LocalBlobStore, blobKeys } from '@rapport/storage';
import { registerAndLogin, startApi, type ApiHarness } from './api-harness';

/** Every text-ish value in every user table, to prove nothing of a user remains. */
async function rowsMentioning(url: string, needles: string[]): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const hits: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await client.query(`SELECT t::text AS row FROM "${table_name}" t`);
      for (const r of rows.rows as Array<{ row: string }>) {
        for (const n of needles) if (r.row.toLowerCase().includes(n.toLowerCase())) hits.push(`${table_name}: ${r.row.slice(0, 120)}`);
      }
    }
    return hits;
  } finally {
    await client.end();
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(p);
    }
  };
  await walk(dir);
  return out;
}

describe('privacy', () => {
  let api: ApiHarness;
  let ds: DataSource;
  let keys: DataKeyService;
  let blobs: LocalBlobStore;

  before(async () => {
    api = await startApi();
    ds = await createDataSource({ url: api.databaseUrl }).initialize();
    keys = new DataKeyService(LocalKeyProvider.fromSpec(api.config.MASTER_KEYS), new UserKeysRepository(ds));
    blobs = new LocalBlobStore(api.config.DATA_DIR);
  });
  after(async () => {
    await ds.destroy();
    await api.close();
  });

  /** A meeting with an encrypted transcript and recording, written the way the pipeline does. */
  async function seedMeeting(userId: string, title: string, createdAt?: Date) {
    const meetings = new MeetingsRepository(ds);
    const m = await meetings.create(userId, title, 1800, createdAt);
    const key = await keys.keyFor(userId);
    await meetings.saveTranscript({ meetingId: m.id, userId, source: 'captions', ciphertext: encryptJson(key, { utterances: [{ speaker: 'Ada', text: `secret words of ${title}` }] }, `transcript:${m.id}`) });
    const storageKey = blobKeys.recording(userId, m.id);
    await blobs.put(storageKey, encryptChunked(key, Buffer.from(`audio bytes of ${title}`), `recording:${m.id}`));
    await meetings.saveRecording({ meetingId: m.id, userId, storageKey, contentType: 'audio/ogg', byteSize: '20', durationSec: 1800 });
    await ds.query(`INSERT INTO meeting_analyses (meeting_id, user_id, speaker_name, communication_score, recommendations) VALUES ($1, $2, 'Ada', 71, ARRAY['Pause before answering'])`, [m.id, userId]);
    return m;
  }

  test('nothing sensitive is stored in plaintext', async () => {
    const u = await registerAndLogin(api, 'plain@example.com');
    await seedMeeting(u.id, 'Board sync');
    assert.deepEqual(await rowsMentioning(api.databaseUrl, ['secret words of Board sync']), []);
    for (const f of await filesUnder(api.config.DATA_DIR)) {
      assert.ok(!(await readFile(f)).toString('latin1').includes('audio bytes'), `${f} holds plaintext`);
    }
  });

  test('export returns everything, decrypted', async () => {
    const u = await registerAndLogin(api, 'export@example.com');
    const m = await seedMeeting(u.id, 'Weekly');
    const r = await api.request('GET', '/api/v1/me/export', { token: u.accessToken });
    assert.equal(r.status, 200);
    assert.equal(r.body.profile.email, 'export@example.com');
    assert.equal(r.body.profile.passwordHash, undefined);
    assert.equal(r.body.meetings[0].id, m.id);
    assert.equal(r.body.meetings[0].transcript.content.utterances[0].text, 'secret words of Weekly');
    assert.equal(r.body.analyses[0].communicationScore, 71);
    assert.ok(r.body.sessions.length >= 1);
    assert.ok(r.body.auditLog.some((a: { action: string }) => a.action === 'login'));
  });

  test('DELETE /me leaves no row or file with the user’s id or data', async () => {
    const u = await registerAndLogin(api, 'gone@example.com');
    const keep = await registerAndLogin(api, 'stays@example.com');
    await seedMeeting(u.id, 'Doomed meeting');
    await seedMeeting(keep.id, 'Kept meeting');
    const team = await ds.query(`INSERT INTO teams (name) VALUES ('Delete team') RETURNING id`);
    await ds.query(`INSERT INTO team_memberships (team_id, user_id, role) VALUES ($1, $2, 'member')`, [team[0].id, u.id]);
    assert.ok((await rowsMentioning(api.databaseUrl, [u.id])).length > 5);

    const del = await api.request('DELETE', '/api/v1/me', { token: u.accessToken });
    assert.equal(del.status, 204);

    assert.deepEqual(await rowsMentioning(api.databaseUrl, [u.id, 'gone@example.com', 'Doomed meeting']), []);
    const files = await filesUnder(api.config.DATA_DIR);
    assert.deepEqual(files.filter((f) => f.includes(u.id)), []);
    assert.ok(files.some((f) => f.includes(keep.id)), 'other users keep their files');
    assert.equal((await api.request('GET', '/api/v1/me', { token: u.accessToken })).status, 401);
    assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: u.refreshToken } })).status, 401);
    assert.equal((await api.request('POST', '/api/v1/auth/login', { body: { email: 'gone@example.com', password: 'correct horse battery' } })).status, 401);
    assert.equal((await api.request('GET', '/api/v1/me', { token: keep.accessToken })).status, 200);
  });

  test('retention: PATCH validates the period; the purge deletes meetings past it with their files', async () => {
    const u = await registerAndLogin(api, 'retain@example.com');
    for (const bad of [0, 3651, 2.5, 'forever', null]) {
      const r = await api.request('PATCH', '/api/v1/me', { token: u.accessToken, body: { retentionDays: bad } });
      assert.equal(r.status, 400, `retentionDays ${String(bad)}`);
      assert.match(r.body.message, /retentionDays/);
    }
    assert.equal((await api.request('PATCH', '/api/v1/me', { token: u.accessToken, body: { retentionDays: 30 } })).body.retentionDays, 30);
    const keeper = await registerAndLogin(api, 'keeper@example.com');
    assert.equal((await api.request('PATCH', '/api/v1/me', { token: keeper.accessToken, body: { retentionDays: 'keep' } })).body.retentionDays, 'keep');

    const day = 86_400_000;
    const old = await seedMeeting(u.id, 'Old one', new Date(Date.now() - 31 * day));
    const fresh = await seedMeeting(u.id, 'Fresh one', new Date(Date.now() - 29 * day));
    const ancientKept = await seedMeeting(keeper.id, 'Ancient kept', new Date(Date.now() - 3000 * day));

    const purge = new RetentionPurgeService(new MeetingsRepository(ds), new AuditRepository(ds), blobs);
    const res = await purge.purge(new Date());
    assert.ok(res.meetingsDeleted >= 1);
    const ids = (await ds.query('SELECT id FROM meetings')).map((r: { id: string }) => r.id);
    assert.ok(!ids.includes(old.id));
    assert.ok(ids.includes(fresh.id));
    assert.ok(ids.includes(ancientKept.id));
    assert.equal((await ds.query('SELECT count(*)::int AS n FROM meeting_transcripts WHERE meeting_id = $1', [old.id]))[0].n, 0);
    assert.equal(await blobs.get(blobKeys.recording(u.id, old.id)), null);
    assert.notEqual(await blobs.get(blobKeys.recording(u.id, fresh.id)), null);
    // Idempotent: a second run finds nothing more.
    assert.equal((await purge.purge(new Date())).meetingsDeleted, 0);
  });

  test('master-key rotation re-wraps every data key without touching blobs', async () => {
    const u = await registerAndLogin(api, 'rotate@example.com');
    const m = await seedMeeting(u.id, 'Rotation');
    const blobBefore = await blobs.get(blobKeys.recording(u.id, m.id));
    const newSpec = `k2:${Buffer.alloc(32, 7).toString('base64')},${api.config.MASTER_KEYS}`;
    const rotated = new DataKeyService(LocalKeyProvider.fromSpec(newSpec), new UserKeysRepository(ds));
    const before = await keys.keyFor(u.id);
    const { rewrapped } = await rotated.rotateMaster(2);
    assert.ok(rewrapped >= 1);
    assert.deepEqual(await new UserKeysRepository(ds).countByMasterKey(), { k2: (await ds.query('SELECT count(*)::int AS n FROM user_keys'))[0].n });
    // The new key alone now unwraps the same data key; the blob is byte-identical.
    const onlyNew = new DataKeyService(LocalKeyProvider.fromSpec(newSpec.split(',')[0]!), new UserKeysRepository(ds));
    assert.deepEqual(await onlyNew.keyFor(u.id), before);
    assert.deepEqual(await blobs.get(blobKeys.recording(u.id, m.id)), blobBefore);
  });
});
