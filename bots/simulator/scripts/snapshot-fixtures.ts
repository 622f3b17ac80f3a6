/**
 * Regenerates bots/simulator/fixtures/*.html: the simulator's pages as the bot sees them, for
 * pinning bot selectors in unit tests without a browser.
 *   npx tsx bots/simulator/scripts/snapshot-fixtures.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { repoRoot } from '@rapport/common';
import { SimulatorClient, startSimulator, type ScenarioInput } from '../src/index';
import { askToJoin, clickButtonWithText, launchChromium, mustFind, waitForText } from '../src/testing/browser';

async function main(): Promise<void> {
  const dir = join(repoRoot(), 'bots', 'simulator', 'fixtures');
  mkdirSync(dir, { recursive: true });
  const sim = await startSimulator({ port: 0 });
  const client = new SimulatorClient(sim.origin);
  const browser = await launchChromium();
  const origin = sim.origin;

  async function open(scenario: ScenarioInput): Promise<{ page: Page; code: string }> {
    const created = await client.createMeeting(scenario);
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.goto(created.simUrl);
    return { page, code: created.code };
  }
  async function save(page: Page, name: string): Promise<void> {
    // Pages are served at /<code> on the simulator; write them as if from meet.google.com.
    const html = (await page.content()).split(origin).join('https://meet.google.com');
    writeFileSync(join(dir, `${name}.html`), `${html}\n`);
    process.stdout.write(`wrote fixtures/${name}.html\n`);
  }

  try {
    let { page } = await open({ admission: 'lobby_admit', admitAfterMs: 600_000 });
    await mustFind(page, 'input[aria-label="Your name"]');
    await save(page, 'prejoin-device-prompt');
    await clickButtonWithText(page, 'Continue without microphone and camera');
    await save(page, 'prejoin-ask-to-join');
    await askToJoin(page, 'Rapport Notetaker', { expectButton: 'Ask to join' });
    await waitForText(page, 'Asking to be let in');
    await save(page, 'lobby');

    ({ page } = await open({ devicePrompt: false, participants: [{ name: 'Alice Adams' }] }));
    await mustFind(page, 'input[aria-label="Your name"]');
    await save(page, 'prejoin-join-now');

    ({ page } = await open({
      recordingDialog: true,
      geminiDialog: true,
      participants: [{ name: 'Alice Adams' }, { name: 'Bob Brown' }],
      script: [{ speaker: 'Alice Adams', text: 'Good morning everyone, let us look at the numbers for this quarter together.', atMs: 300 }],
      chat: [{ from: 'Bob Brown', text: 'Morning! Slides are in the doc.', atMs: 100 }],
    }));
    await askToJoin(page, 'Rapport Notetaker', { expectButton: 'Join now' });
    await mustFind(page, 'div[aria-modal="true"][role="dialog"]');
    await save(page, 'in-call-recording-dialog');
    await clickButtonWithText(page, 'Got it');
    await waitForText(page, 'Gemini is taking notes');
    await save(page, 'in-call-gemini-dialog');
    await clickButtonWithText(page, 'Got it');
    await (await mustFind(page, 'button[aria-label="Turn on captions"]')).click();
    await (await mustFind(page, 'button[aria-label="Chat with everyone"]')).click();
    await (await mustFind(page, 'textarea[aria-label="Send a message"]')).type('Rapport is recording this call. Write "stop recording" to opt out.');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-message-id]').length === 2, { timeout: 5000 });
    await page.waitForFunction(() => document.querySelector('[data-audio-level]:not([data-audio-level="0"])'), { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 1200));
    await save(page, 'in-call');

    const ends: Array<[string, ScenarioInput, string, 'Join now' | 'Ask to join']> = [
      ['denied', { admission: 'lobby_deny', admitAfterMs: 100 }, 'Someone in the call denied your request to join', 'Ask to join'],
      ['no-response', { admission: 'lobby_never', admitAfterMs: 100 }, 'No one responded to your request to join the call', 'Ask to join'],
      ['blocked', { page: 'blocked', admission: 'lobby_admit' }, "You can't join this video call", 'Ask to join'],
      ['removed', { removeBotAfterMs: 100 }, "You've been removed from the meeting", 'Join now'],
      ['host-ended', { hostEndsAfterMs: 100 }, 'Your host ended the meeting for everyone', 'Join now'],
    ];
    for (const [name, scenario, text, button] of ends) {
      ({ page } = await open(scenario));
      await askToJoin(page, 'Rapport Notetaker', { expectButton: button });
      await waitForText(page, text);
      await save(page, name);
    }
    ({ page } = await open({ page: 'not_found' }));
    await save(page, 'not-found');
    ({ page } = await open({ page: 'sign_in_required' }));
    await save(page, 'sign-in');
  } finally {
    await browser.close();
    await sim.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
