import 'reflect-metadata';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { chromium, type Browser, type Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { repoRoot } from '@rapport/common';
import { BLOB_STORE } from '@rapport/core';
import { DataKeyService } from '@rapport/crypto';
import { BotsRepository, UsersRepository } from '@rapport/database';
import type { BlobStore } from '@rapport/storage';
import { registerAndLogin, startApi, type ApiHarness } from '../../test/api-harness';
import { seedAnalysedMeeting, seedArtefacts } from '../graphql/testing/dashboard-seed';

/**
 * End to end in headless Chromium against the real API serving the built dashboard:
 * sign up → set-up → invite the bot (link validated as typed) → live status over SSE → the
 * report (charts, transcript, audio from a transcript line) → practice → trends → team lead
 * view with three members → delete my data → admin. axe-core on every page; with
 * RAPPORT_SCREENSHOTS_DIR set (scripts/screenshots.sh) each page is saved as a PNG.
 *
 * The bot runner is played by the test at its database boundary (BotsRepository.applyEvent,
 * what the runner calls), and the finished meeting is analysed through the pipeline's
 * repositories (seedAnalysedMeeting), so the test needs no Chromium-in-Chromium meeting.
 */
const SHOTS = process.env.RAPPORT_SCREENSHOTS_DIR;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function ensureWebBuilt(): void {
  if (existsSync(join(repoRoot(), 'apps/web/out/index.html'))) return;
  execFileSync(process.execPath, [join(repoRoot(), 'node_modules/next/dist/bin/next'), 'build', 'apps/web'], {
    cwd: repoRoot(),
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  });
}

function tone(seconds: number): Buffer {
  const file = join(tmpdir(), `rapport-e2e-${process.pid}.ogg`);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=220:duration=${seconds}`, '-ac', '1', '-c:a', 'libopus', '-b:a', '12k', file]);
  const buf = readFileSync(file);
  rmSync(file, { force: true });
  return buf;
}

describe('dashboard end to end', () => {
  let api: ApiHarness;
  let ds: DataSource;
  let browser: Browser;
  let page: Page;
  const email = 'dana@example.test';
  const password = 'correct horse battery staple';
  let meetingId = '';
  const seen: string[] = [];

  const check = async (name: string) => {
    await page.waitForLoadState('networkidle');
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(
      bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`),
      [],
      `axe on ${name}`,
    );
    seen.push(name);
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    }
  };

  before(async () => {
    ensureWebBuilt();
    api = await startApi();
    ds = api.app.get(DataSource);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
    });
    const context = await browser.newContext({ baseURL: api.baseUrl, viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
    await api?.close();
  });

  test('sign up lands on set-up; the consent notice is editable', async () => {
    await page.goto('/signup');
    await check('signup');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL('**/onboarding');
    await page.getByRole('heading', { name: 'Consent notice' }).waitFor();
    const notice = page.getByLabel('Notice text');
    await notice.fill('This meeting is recorded by Dana’s Rapport notetaker for coaching. Type "stop recording" to opt out.');
    await page.getByRole('button', { name: 'Save notice' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).first().waitFor();
    await check('onboarding');
  });

  test('invite the bot: the link is validated as typed, then the status changes live', async () => {
    await page.getByRole('link', { name: 'Meetings' }).click();
    await page.waitForURL('**/meetings');
    const input = page.getByLabel('Meeting link');
    await input.fill('https://zoom.us/my/dana');
    await page.locator('#meeting-link-status').getByText(/cannot be used/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Invite the bot' }).isDisabled(), true);
    await input.fill('Join here: https://meet.google.com/abc-defg-hij?authuser=1');
    await page.locator('#meeting-link-status').getByText('Google Meet meeting abc-defg-hij').waitFor();
    await page.getByRole('button', { name: 'Invite the bot' }).click();
    const status = page.getByTestId('bot-status').first();
    await status.waitFor();
    const rows: Array<{ id: string; meeting_id: string; bot_name: string; options: { consent?: { noticeText?: string } } }> = await ds.query(
      `SELECT b.id, b.meeting_id, b.bot_name, b.options FROM bots b JOIN users u ON u.id = b.user_id WHERE u.email = $1`,
      [email],
    );
    assert.equal(rows.length, 1);
    assert.match(JSON.stringify(rows[0]!.options), /Dana’s Rapport notetaker/);
    meetingId = rows[0]!.meeting_id;
    const bots = new BotsRepository(ds);
    const t0 = Date.now();
    for (const [i, code] of (['joining_call', 'in_waiting_room', 'in_call_recording'] as const).entries()) {
      await bots.applyEvent(rows[0]!.id, { code, subCode: null, at: new Date(t0 + i) });
      await page.locator(`[data-testid="bot-status"][data-status="${code}"]`).waitFor({ timeout: 10_000 });
    }
    await page.getByText('The bot is in the meeting and recording.').waitFor();
    await check('meetings-live');
    await bots.applyEvent(rows[0]!.id, { code: 'call_ended', subCode: 'call_ended_by_host', at: new Date(t0 + 10) });
    await page.getByText('The host ended the meeting.').waitFor({ timeout: 10_000 });
    await bots.applyEvent(rows[0]!.id, { code: 'done', subCode: null, at: new Date(t0 + 11) });
    await page.locator('[data-testid="bot-status"][data-status="done"]').waitFor({ timeout: 10_000 });
  });

  test('the report: score, charts, transcript, audio from a transcript line, evidence', async () => {
    const me: Array<{ id: string }> = await ds.query(`SELECT id FROM users WHERE email = $1`, [email]);
    const userId = me[0]!.id;
    await new UsersRepository(ds).update(userId, { displayName: 'Dana' });
    const seeded = await seedAnalysedMeeting(ds, { ownerId: userId, meetingId, title: 'Quarterly planning', speakers: [{ name: 'Dana', userId }, { name: 'Sam' }, { name: 'Priya' }], durationSec: 600, seed: 5 });
    await seedArtefacts(
      { ds, blobs: api.app.get<BlobStore>(BLOB_STORE), keys: api.app.get(DataKeyService) },
      { ownerId: userId, meetingId, transcript: seeded.transcript, audio: tone(600), contentType: 'audio/ogg', durationSec: 600 },
    );
    const botRows: Array<{ id: string }> = await ds.query(`SELECT id FROM bots WHERE meeting_id = $1`, [meetingId]);
    const posted = new Date(Date.now() - 600_000);
    await new BotsRepository(ds).saveConsent({
      meetingId,
      botId: botRows[0]!.id,
      userId,
      channel: 'meeting_chat',
      noticeText: 'This meeting is recorded by Dana’s Rapport notetaker for coaching. Type "stop recording" to opt out.',
      postedAt: posted,
      participantsPresent: ['Dana', 'Sam'],
      platformDialogs: [],
      recordingDeleted: false,
      lateJoiners: [{ name: 'Priya', seenAt: new Date(posted.getTime() + 60_000), notifiedAt: new Date(posted.getTime() + 75_000) }],
      optOuts: [],
    });
    await page.reload();
    await page.getByRole('link', { name: 'Quarterly planning' }).click();
    await page.waitForURL('**/meeting?id=*');
    await page.getByTestId('score').waitFor();
    const score: Array<{ s: number }> = await ds.query(`SELECT communication_score AS s FROM meeting_analyses WHERE meeting_id = $1 AND user_id = $2`, [meetingId, userId]);
    assert.match(await page.getByTestId('score').innerText(), new RegExp(`^${score[0]!.s}`));
    await page.getByTestId('talk-share-chart').locator('svg .recharts-bar-rectangle').first().waitFor();
    assert.equal(await page.getByTestId('talk-share-chart').locator('.recharts-bar-rectangle').count(), 3);
    assert.ok((await page.getByTestId('score-parts').locator('li').count()) >= 5);
    const lines = page.getByTestId('transcript-line');
    await lines.first().waitFor();
    // Virtualized: far fewer rows in the DOM than lines in the transcript.
    assert.ok(seeded.transcript.utterances.length > 40, `${seeded.transcript.utterances.length} utterances`);
    assert.ok((await lines.count()) < seeded.transcript.utterances.length);
    await page.getByTestId('audio').waitFor();
    await page.waitForFunction(() => (document.querySelector('[data-testid="audio"]') as HTMLAudioElement | null)?.readyState! >= 1);
    // Streamed from the API with range requests (media cookie), not downloaded whole into a blob.
    assert.equal(await page.getByTestId('audio').getAttribute('src'), `/api/v1/meetings/${meetingId}/recording`);
    const line = lines.nth(4);
    const start = Number(await line.getAttribute('data-start'));
    await line.click();
    await page.waitForFunction((s) => {
      const a = document.querySelector('[data-testid="audio"]') as HTMLAudioElement;
      return !a.paused && a.currentTime >= s && a.currentTime < s + 5;
    }, start);
    const evidence = page.getByTestId('evidence').first();
    if (await evidence.count()) {
      await evidence.click();
      await page.waitForFunction(() => !(document.querySelector('[data-testid="audio"]') as HTMLAudioElement).paused);
    }
    await page.evaluate(() => (document.querySelector('[data-testid="audio"]') as HTMLAudioElement).pause());
    await page.getByText('Present: Dana, Sam, Priya').waitFor();
    assert.match(await page.getByTestId('late-joiners').innerText(), /^Joined later: Priya \(notice posted again .+\)$/);
    await check('report');
    await page.setViewportSize({ width: 390, height: 844 });
    await check('report-mobile');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  test('practice: complete a module; trends show the meeting', async () => {
    await page.getByRole('link', { name: 'Practice' }).click();
    await page.waitForURL('**/practice');
    const first = page.getByTestId('practice-module').first();
    await first.waitFor();
    const total = await page.getByTestId('practice-module').count();
    assert.ok(total >= 1);
    await first.getByRole('button', { name: /Show \d+ exercise/ }).click();
    await first.getByRole('button', { name: 'I practised this' }).click();
    await first.getByText('1 attempt').waitFor();
    await first.getByRole('button', { name: 'Mark complete' }).click();
    await page.getByTestId('practice-progress').getByText(`1`).first().waitFor();
    await page.locator('[data-testid="practice-module"][data-status="completed"]').first().waitFor();
    await check('practice');
    await page.getByRole('link', { name: 'Trends' }).click();
    await page.getByTestId('trend-charts').waitFor();
    assert.equal(await page.getByTestId('trend-charts').locator('.recharts-line-dots circle, .recharts-dot').count() >= 6, true);
    await check('trends');
  });

  test('team lead view: aggregates over three members, individual figures only when shared', async () => {
    const admin = await registerAndLogin(api, 'admin@example.test');
    await new UsersRepository(ds).update(admin.id, { role: 'admin' });
    const team = await api.request('POST', '/api/v1/teams', { token: admin.accessToken, body: { name: 'Customer Success' } });
    assert.equal(team.status, 201);
    const members: Array<{ id: string; accessToken: string; name: string }> = [];
    for (const [i, name] of ['Ann', 'Bob', 'Cat'].entries()) {
      const m = await registerAndLogin(api, `${name.toLowerCase()}@example.test`);
      members.push({ ...m, name });
      await api.request('POST', `/api/v1/teams/${team.body.id}/members`, { token: admin.accessToken, body: { email: `${name.toLowerCase()}@example.test`, role: 'member' } });
      for (let w = 0; w < 3; w++) {
        await seedAnalysedMeeting(ds, { ownerId: m.id, title: `${name} weekly ${w}`, speakers: [{ name, userId: m.id }, { name: 'Client' }], seed: 20 + i * 3 + w, createdAt: new Date(Date.now() - w * 7 * 86_400_000) });
      }
    }
    await api.request('POST', `/api/v1/teams/${team.body.id}/members`, { token: admin.accessToken, body: { email, role: 'lead' } });
    const share = await api.request('POST', '/graphql', {
      token: members[0]!.accessToken,
      body: { query: 'mutation($i: ShareMetricsInput!) { setShareIndividualMetrics(input: $i) { shareIndividualMetrics } }', variables: { i: { teamId: team.body.id, share: true } } },
    });
    assert.equal(share.body.data.setShareIndividualMetrics.shareIndividualMetrics, true);
    await page.goto('/team');
    await page.getByTestId('team-insights').waitFor();
    // Everyone in the team counts, the lead included (Dana's own meeting too).
    const avg: Array<{ a: number }> = await ds.query(
      `SELECT avg(a.communication_score)::float8 AS a FROM meeting_analyses a JOIN team_memberships tm ON tm.user_id = a.user_id WHERE tm.team_id = $1`,
      [team.body.id],
    );
    assert.ok(Math.abs(Number(await page.getByTestId('team-average').innerText()) - avg[0]!.a) <= 0.051, `team average vs ${avg[0]!.a}`);
    const rows = page.getByRole('table').getByRole('row');
    assert.equal(await rows.count(), 2);
    assert.match(await rows.nth(1).innerText(), /ann@example\.test/);
    assert.equal(await page.getByText(/transcript/i).count(), 1, 'only the privacy note mentions transcripts');
    await check('team');
  });

  test('settings, then delete all my data', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL('**/settings');
    await page.getByLabel('Bot name').waitFor();
    await check('settings');
    await page.getByRole('button', { name: 'Delete all my data' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await check('settings-delete-dialog');
    const confirm = dialog.getByRole('button', { name: 'Delete everything' });
    assert.equal(await confirm.isDisabled(), true);
    await dialog.getByLabel(/Type your email/).fill(email);
    await confirm.click();
    await page.waitForURL('**/signin?deleted=1');
    const left: Array<{ n: number }> = await ds.query(
      `SELECT (SELECT count(*) FROM users WHERE email = $1)::int + (SELECT count(*) FROM meetings WHERE id = $2)::int + (SELECT count(*) FROM bots WHERE meeting_id = $2)::int AS n`,
      [email, meetingId],
    );
    assert.equal(left[0]!.n, 0);
    assert.equal((await api.request('POST', '/api/v1/auth/login', { body: { email, password } })).status, 401);
  });

  test('sign in as the admin; an expired session goes back to sign-in; sign out', async () => {
    await page.goto('/signin');
    await check('signin');
    await page.getByLabel('Email').fill('admin@example.test');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/meetings');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Customer Success' }).waitFor();
    await check('admin');
    // No token is readable by page scripts: the refresh token is an HttpOnly cookie for /api/v1/auth.
    const stored = await page.evaluate(() => Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`));
    assert.deepEqual(stored.filter((kv) => !kv.startsWith('rapport.signedIn=')).filter((kv) => /token|ey[A-Za-z0-9_-]{10,}\./i.test(kv)), []);
    const jar = await page.context().cookies();
    const refreshCookie = jar.find((c) => c.name === 'rapport_refresh');
    assert.ok(refreshCookie, `cookies: ${jar.map((c) => c.name).join(', ')}`);
    assert.deepEqual([refreshCookie.httpOnly, refreshCookie.sameSite, refreshCookie.path], [true, 'Strict', '/api/v1/auth']);
    // A reload keeps me signed in: the tab gets a new access token from the cookie.
    await page.goto('/settings');
    await page.getByLabel('Bot name').waitFor();
    await page.getByTitle('admin@example.test').waitFor(); // my account, read with the new token
    // Revoked elsewhere (another device signed out everywhere, an admin): back to sign-in, saying why.
    await page.waitForLoadState('networkidle');
    await ds.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE email = 'admin@example.test') AND revoked_at IS NULL`);
    await page.goto('/trends');
    await page.waitForURL('**/signin?expired=1**');
    await page.getByText('Your session expired').waitFor();
    await page.getByLabel('Email').fill('admin@example.test');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/trends');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin?signedout=1');
    assert.equal(await page.evaluate(() => localStorage.getItem('rapport.signedIn')), null);
    assert.equal((await page.context().cookies()).find((c) => c.name === 'rapport_refresh'), undefined, 'sign-out cleared the cookie');
    assert.deepEqual(seen.length >= 10, true);
  });
});
