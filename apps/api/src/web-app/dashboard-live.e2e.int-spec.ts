import 'reflect-metadata';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Bull from 'bull';
import { chromium, type Browser, type Page } from 'playwright-core';
import { QUEUES, botChannels, bullOptions } from '@rapport/queue';
import { SimulatorClient, startSimulator, type RunningSimulator } from '@rapport/simulator';
import { startApi, configEnv, waitFor, type ApiHarness } from '../../test/api-harness';

/**
 * The whole product with no vendor keys, driven through the dashboard: the API (serving the
 * dashboard), the scheduler, the bot runner (a real bot in Chromium with PulseAudio and ffmpeg)
 * and the worker (the analysis pipeline, transcribing from the platform captions) as real
 * processes, and the meeting simulator. Sign up → invite the bot by pasting the simulator
 * meeting's link → watch the status change live → the analysis lands → open the report and
 * play a transcript line.
 */
const ADA = 'Ada Lovelace';
const GRACE = 'Grace Hopper';
const appEntry = (app: string) => join(__dirname, '..', '..', '..', app, 'src', 'main.js');



describe('dashboard with a real bot in the simulator', { timeout: 600_000 }, () => {
  let sim: RunningSimulator;
  let api: ApiHarness;
  let browser: Browser;
  let page: Page;
  let botsQueue: Bull.Queue;
  let analysisQueue: Bull.Queue;
  const procs: ChildProcess[] = [];

  before(async () => {
    sim = await startSimulator();
    api = await startApi({
      BOT_JOIN_LEAD_SEC: '1',
      BOT_HEARTBEAT_SEC: '1',
      BOT_DISPATCH_INTERVAL_SEC: '1',
      BOT_RUNNER_CONCURRENCY: '1',
      BOT_WORK_DIR: mkdtempSync(join(tmpdir(), 'rapport-web-bot-')),
      SCHEDULER_PORT: '0',
      WORKER_PORT: '0',
      BOT_RUNNER_PORT: '0',
    });
    const env = { ...process.env, ...configEnv(api.config), LOG_LEVEL: process.env.RAPPORT_E2E_LOG_LEVEL ?? 'warn', RAPPORT_PLATFORM_ORIGINS: `meet.google.com=${sim.origin}` };
    for (const app of ['scheduler', 'bot-runner', 'worker']) procs.push(spawn(process.execPath, [appEntry(app)], { env, stdio: ['ignore', 'inherit', 'inherit'] }));
    botsQueue = new Bull(QUEUES.bots, bullOptions(api.config));
    analysisQueue = new Bull(QUEUES.analysis, bullOptions(api.config));
    const channels = botChannels(api.config.REDIS_PREFIX);
    const subscribers = async (channel: string) => Number(((await botsQueue.client.pubsub('NUMSUB', channel)) as [string, number])[1]);
    await waitFor(
      'scheduler, runner and worker ready',
      async () => (await subscribers(channels.created)) > 0 && (await botsQueue.getWorkers()).length > 0 && (await analysisQueue.getWorkers()).length > 0,
      60_000,
    );
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
    });
    page = await (await browser.newContext({ baseURL: api.baseUrl, viewport: { width: 1280, height: 860 } })).newPage();
  });

  after(async () => {
    await browser?.close();
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => (p.exitCode !== null || p.signalCode !== null ? null : new Promise((r) => p.once('exit', r)))));
    await botsQueue?.close();
    await analysisQueue?.close();
    await api?.close();
    await sim?.close();
  });

  test('sign up, invite the bot, watch it join live, open the report and play a line', async () => {
    await page.goto('/signup');
    await page.getByLabel('Email').fill('ada@example.test');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL('**/onboarding');
    // The pipeline recognises me among the speakers by my display name.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel(/Display name/).fill(ADA);
    await page.getByRole('button', { name: 'Save', exact: true }).first().click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).first().waitFor();

    const meeting = await new SimulatorClient(sim.origin).createMeeting({
      admission: 'open',
      participants: [{ name: ADA }, { name: GRACE }],
      script: [
        { speaker: ADA, text: 'Good morning everyone, thanks for joining the planning call today.', atMs: 2000 },
        { speaker: GRACE, text: 'Morning. I have the numbers from last week ready to share.', atMs: 7000 },
        { speaker: ADA, text: 'Great, so what did the numbers show about the new release?', atMs: 12000 },
        { speaker: GRACE, text: 'Usage went up by a third, and support tickets went down.', atMs: 17000 },
        { speaker: ADA, text: 'Excellent. Let us plan the next steps and meet again on Friday.', atMs: 22000 },
      ],
      hostEndsAfterMs: 30_000,
    });
    await page.getByRole('link', { name: 'Meetings' }).click();
    await page.getByLabel('Meeting link').fill(meeting.url);
    await page.locator('#meeting-link-status').getByText(/Google Meet meeting/).waitFor();
    await page.getByRole('button', { name: 'Invite the bot' }).click();
    // Live over SSE: the badge follows the bot without a reload.
    await page.locator('[data-testid="bot-status"][data-status="in_call_recording"]').waitFor({ timeout: 90_000 });
    await page.locator('[data-testid="bot-status"][data-status="done"]').waitFor({ timeout: 120_000 });
    // The analysis lands and the list shows my score (it polls only while an analysis runs).
    await page.getByLabel(/^Score \d+ of 100$/).waitFor({ timeout: 180_000 });
    // …and the new report is announced at the top of the page.
    await page.getByTestId('new-reports').getByRole('link', { name: /^Your report for “.+” is ready: \d+\/100$/ }).waitFor({ timeout: 30_000 });
    await page.getByTestId('meeting-list').getByRole('link').first().click();
    await page.waitForURL('**/meeting?id=*');
    await page.getByTestId('score').waitFor();
    await page.getByTestId('talk-share-chart').locator('.recharts-bar-rectangle').first().waitFor();
    const lines = page.getByTestId('transcript-line');
    await lines.first().waitFor({ timeout: 30_000 });
    assert.match(await page.getByTestId('transcript').innerText(), /numbers/i);
    await page.getByTestId('audio').waitFor();
    const line = lines.nth(1);
    const start = Number(await line.getAttribute('data-start'));
    await line.click();
    await page.waitForFunction((s) => {
      const a = document.querySelector('[data-testid="audio"]') as HTMLAudioElement;
      return !a.paused && a.currentTime >= s;
    }, start);
    // Analyse again: a new run is queued and, when it finishes (it may be too quick to see
    // "Analysing…"), the page shows the new analysis time and the report is still there.
    const analysedAt = page.getByTestId('analysed-at');
    const firstRun = await analysedAt.getAttribute('data-value');
    assert.ok(firstRun, 'the first analysis time is shown');
    await page.getByRole('button', { name: 'Analyse again' }).click();
    await page.waitForFunction(
      (prev) => {
        const v = document.querySelector('[data-testid="analysed-at"]')?.getAttribute('data-value');
        return !!v && v !== prev;
      },
      firstRun,
      { timeout: 120_000 },
    );
    assert.ok(Date.parse((await analysedAt.getAttribute('data-value'))!) > Date.parse(firstRun));
    await page.getByTestId('score').waitFor();
  });
});
