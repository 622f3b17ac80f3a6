import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { SimulatorClient, startSimulator, type RunningSimulator, type ScenarioInput } from './index';
import { askToJoin, buttonWithText, clickButtonWithText, hasText, launchChromium, mustFind, waitForText } from './testing/browser';

/**
 * The simulator driven like a bot drives Meet: real Chromium, only the real Meet selectors and
 * texts (field notes B.1), checking both what the page shows and what the server reports.
 */
describe('meeting simulator in Chromium', () => {
  let sim: RunningSimulator;
  let client: SimulatorClient;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    sim = await startSimulator({ port: 0 });
    client = new SimulatorClient(sim.origin);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await sim?.close();
  });

  async function open(scenario: ScenarioInput): Promise<{ code: string; page: Page }> {
    const created = await client.createMeeting(scenario);
    const context = await browser.createBrowserContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(created.simUrl);
    return { code: created.code, page };
  }

  async function peopleLabel(page: Page): Promise<string | null> {
    return page.$eval('button[aria-label^="People"]', (e) => e.getAttribute('aria-label'));
  }

  async function otherTiles(page: Page): Promise<string[]> {
    return page.$$eval('[data-participant-id]', (tiles) =>
      tiles.filter((t) => !t.querySelector('[data-self-name]')).map((t) => t.querySelector('span.notranslate')?.textContent ?? ''),
    );
  }

  test('create: 201 with a Meet-shaped code and both URLs; bad scenarios are 400 naming the field', async () => {
    const res = await fetch(`${sim.origin}/_sim/meetings`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ scenario: { participants: [{ name: 'Alice' }] } }),
    });
    assert.equal(res.status, 201);
    const body = (await res.json()) as { code: string; url: string; simUrl: string };
    assert.match(body.code, /^[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    assert.equal(body.url, `https://meet.google.com/${body.code}`);
    assert.equal(body.simUrl, `${sim.origin}/${body.code}`);
    const state = await client.state(body.code);
    assert.equal(state.botStatus, 'not_arrived');

    const bad = await fetch(`${sim.origin}/_sim/meetings`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ scenario: { admission: 'maybe' } }),
    });
    assert.equal(bad.status, 400);
    const err = (await bad.json()) as { code: string; message: string };
    assert.equal(err.code, 'invalid_scenario');
    assert.match(err.message, /scenario\.admission/);

    const unknown = await fetch(`${sim.origin}/_sim/meetings/zzz-zzzz-zzz`);
    assert.equal(unknown.status, 404);
  });

  test('open meeting: device prompt first, only "Join now", then in the call with the humans', async () => {
    const { code, page } = await open({ participants: [{ name: 'Alice Adams' }, { name: 'Bob Brown' }] });
    // The device prompt is a modal dialog that covers the pre-join screen.
    await mustFind(page, 'div[aria-modal="true"][role="dialog"]');
    assert.ok(await page.$(buttonWithText('Continue without microphone and camera')));
    const covered = await page.$eval('input[type="text"][aria-label="Your name"]', (input) => {
      const r = input.getBoundingClientRect();
      const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return top !== input;
    });
    assert.ok(covered, 'the name field is behind the device prompt');
    assert.equal(await page.$(buttonWithText('Ask to join')), null, 'open meetings show only "Join now"');
    assert.ok(await page.$(buttonWithText('Join now')));
    assert.equal((await client.state(code)).botStatus, 'prejoin');

    await askToJoin(page, 'Rapport Notetaker', { expectButton: 'Join now' });
    await mustFind(page, 'button[aria-label^="People"]');
    assert.equal(await peopleLabel(page), 'People - 3 joined');
    assert.deepEqual((await otherTiles(page)).sort(), ['Alice Adams', 'Bob Brown']);
    assert.equal(await hasText(page, 'You’re the only one here'), false);
    assert.equal(await page.$eval('[data-self-name]', (e) => e.getAttribute('data-self-name')), 'Rapport Notetaker');
    assert.ok(await page.$('button[jsname="CQylAd"][aria-label="Leave call"]'));

    const state = await client.state(code);
    assert.equal(state.botStatus, 'in_call');
    assert.equal(state.botName, 'Rapport Notetaker');
    assert.ok(state.admittedAt !== null);
    const join = state.events.find((e) => e.type === 'join_requested');
    assert.equal(join?.micOn, false);
    assert.equal(join?.cameraOn, false);
  });

  test('without the device prompt the pre-join toggles say "Turn off …" and turn off when clicked', async () => {
    const { code, page } = await open({ devicePrompt: false });
    await mustFind(page, 'input[type="text"][aria-label="Your name"]');
    assert.equal(await page.$('div[aria-modal="true"][role="dialog"]'), null);
    const joinDisabled = await page.$eval('xpath///button[.//span[text()="Join now"]]', (b) => (b as HTMLButtonElement).disabled);
    assert.ok(joinDisabled, 'join is disabled until a name is typed');
    await (await mustFind(page, '[aria-label="Turn off microphone"]')).click();
    await (await mustFind(page, '[aria-label="Turn off camera"]')).click();
    await mustFind(page, '[aria-label="Turn on microphone"][data-is-muted="true"]');
    await mustFind(page, '[aria-label="Turn on camera"]');
    await page.type('input[type="text"][aria-label="Your name"]', 'Bot');
    await clickButtonWithText(page, 'Join now');
    const state = await client.waitFor(code, (s) => s.botStatus === 'in_call');
    const join = state.events.find((e) => e.type === 'join_requested');
    assert.equal(join?.micOn, false);
    assert.equal(join?.cameraOn, false);
  });

  test('lobby then admitted: lobby texts and the "Leave call" trap, then a real in-call signal', async () => {
    const { code, page } = await open({ admission: 'lobby_admit', admitAfterMs: 1500, participants: [{ name: 'Host Hannah' }] });
    assert.equal(await page.$(buttonWithText('Join now')), null);
    await askToJoin(page, 'Bot', { expectButton: 'Ask to join' });
    await waitForText(page, 'Asking to be let in');
    assert.ok(await hasText(page, 'You’ll join the call when someone lets you in'), 'typographic apostrophe');
    // The trap: call controls are there in the lobby, a participant tile or People count is not.
    assert.ok(await page.$('button[aria-label="Leave call"]'), 'the lobby renders "Leave call" too');
    assert.equal(await page.$('button[aria-label^="People"]'), null);
    assert.deepEqual(await otherTiles(page), []);
    const lobby = await client.state(code);
    assert.equal(lobby.botStatus, 'lobby');
    assert.equal(lobby.admittedAt, null);

    await mustFind(page, 'button[aria-label^="People"]', 5000);
    assert.equal(await hasText(page, 'Asking to be let in'), false);
    assert.deepEqual(await otherTiles(page), ['Host Hannah']);
    const state = await client.state(code);
    assert.equal(state.botStatus, 'in_call');
    const entered = state.events.find((e) => e.type === 'lobby_entered')!.at;
    assert.ok(state.admittedAt! - entered >= 1450, `admitted ${state.admittedAt! - entered} ms after entering the lobby`);
  });

  test('lobby denied', async () => {
    const { code, page } = await open({ admission: 'lobby_deny', admitAfterMs: 300 });
    await askToJoin(page, 'Bot', { expectButton: 'Ask to join' });
    await waitForText(page, 'Someone in the call denied your request to join');
    assert.equal(await page.$('button[aria-label="Leave call"]'), null);
    const state = await client.state(code);
    assert.equal(state.botStatus, 'denied');
    assert.equal(state.denyReason, 'denied');
  });

  test('lobby never answered: Meet gives up with "No one responded…"', async () => {
    const { code, page } = await open({ admission: 'lobby_never', admitAfterMs: 500 });
    await askToJoin(page, 'Bot', { expectButton: 'Ask to join' });
    await waitForText(page, 'No one responded to your request to join the call');
    assert.equal((await client.state(code)).denyReason, 'no_response');
  });

  test('host drives the lobby by hand: admit, and 409 when the bot is not in the lobby', async () => {
    const { code, page } = await open({ admission: 'lobby_never', participants: [{ name: 'Alice' }] });
    await assert.rejects(client.act(code, { type: 'admit' }), /409 bot_not_in_lobby/);
    await askToJoin(page, 'Bot', { expectButton: 'Ask to join' });
    await waitForText(page, 'Asking to be let in');
    await client.waitFor(code, (s) => s.botStatus === 'lobby');
    await client.act(code, { type: 'admit' });
    await mustFind(page, 'button[aria-label^="People"]', 5000);
    assert.equal(await peopleLabel(page), 'People - 2 joined');
    await client.act(code, { type: 'chat', from: 'Alice', text: 'welcome' });
    await client.act(code, { type: 'participant_leave', name: 'Alice' });
    await page.waitForFunction(() => document.querySelector('button[aria-label^="People"]')?.getAttribute('aria-label') === 'People - 1 joined', { timeout: 3000 });
    await assert.rejects(client.act(code, { type: 'participant_leave', name: 'Alice' }), /409 participant_not_present/);
    await client.act(code, { type: 'participant_join', name: 'Alice' });
    await page.waitForFunction(() => document.querySelector('button[aria-label^="People"]')?.getAttribute('aria-label') === 'People - 2 joined', { timeout: 3000 });
    await client.act(code, { type: 'remove_bot' });
    await waitForText(page, "You've been removed from the meeting");
  });

  test('blocked: "You can\'t join this video call" after asking', async () => {
    const { code, page } = await open({ page: 'blocked', admission: 'lobby_admit' });
    await askToJoin(page, 'Bot', { expectButton: 'Ask to join' });
    await waitForText(page, "You can't join this video call");
    const state = await client.state(code);
    assert.equal(state.botStatus, 'denied');
    assert.equal(state.denyReason, 'blocked');
  });

  test('not found: "Check your meeting code", for the scenario and for unknown codes', async () => {
    const { page } = await open({ page: 'not_found' });
    assert.ok(await hasText(page, 'Check your meeting code'));
    assert.equal(await page.$('input[aria-label="Your name"]'), null);
    const res = await page.goto(`${sim.origin}/abc-defg-hij`);
    assert.equal(res?.status(), 404);
    assert.ok(await hasText(page, 'Check your meeting code'));
  });

  test('sign-in wall: h1 "Sign in" and "to continue to Google Meet"', async () => {
    const { page } = await open({ page: 'sign_in_required' });
    assert.equal(await page.$eval('h1', (e) => e.textContent), 'Sign in');
    assert.ok(await hasText(page, 'to continue to Google Meet'));
    assert.ok(await hasText(page, 'your Google Account'));
    assert.equal(await page.$('input[aria-label="Your name"]'), null);
  });

  test('recording and Gemini dialogs: modal, acknowledged with data-mdc-dialog-action="ok", reported', async () => {
    const { code, page } = await open({ recordingDialog: true, geminiDialog: true, participants: [{ name: 'Alice' }] });
    await askToJoin(page, 'Bot', { expectButton: 'Join now' });
    const first = await mustFind(page, 'div[aria-modal="true"][role="dialog"]');
    assert.match(await first.evaluate((e) => e.textContent ?? ''), /This video call is being recorded/);
    // Modal for real: the chat button underneath does not receive clicks.
    const blocked = await page.$eval('button[aria-label="Chat with everyone"]', (b) => {
      const r = b.getBoundingClientRect();
      return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) !== b;
    });
    assert.ok(blocked);
    await (await mustFind(page, 'div[aria-modal="true"][role="dialog"] button[data-mdc-dialog-action="ok"]')).click();
    await waitForText(page, 'Gemini is taking notes');
    await clickButtonWithText(page, 'Got it');
    await page.waitForFunction(() => !document.querySelector('div[aria-modal="true"][role="dialog"]'), { timeout: 3000 });
    const state = await client.waitFor(code, (s) => s.events.filter((e) => e.type === 'dialog_ack').length === 2);
    assert.deepEqual(state.events.filter((e) => e.type === 'dialog_ack').map((e) => e.value), ['recording', 'gemini']);
    assert.equal(state.botStatus, 'in_call');
  });

  test('speech: clips play at their times, speaking indicator and captions follow, ground truth reported', async () => {
    const { code, page } = await open({
      participants: [{ name: 'Alice' }, { name: 'Bob', voice: 'en-gb+m4' }],
      script: [
        { speaker: 'Alice', text: 'Good morning everyone, shall we start?', atMs: 1200 },
        { speaker: 'Bob', text: 'Yes, the numbers look good this week.', atMs: 5000 },
      ],
    });
    const created = await client.state(code);
    const [aliceLine, bobLine] = created.scenario.script;
    assert.ok(aliceLine && bobLine);
    assert.ok(aliceLine.durationMs > 1000 && aliceLine.durationMs < 5000, `clip length ${aliceLine.durationMs}`);
    assert.notEqual(aliceLine.voice, bobLine.voice);
    assert.equal(bobLine.voice, 'en-gb+m4');

    await askToJoin(page, 'Bot', { expectButton: 'Join now' });
    await (await mustFind(page, 'button[aria-label="Turn on captions"]')).click();
    await mustFind(page, 'button[aria-label="Turn off captions"]');

    // While Alice speaks: her tile's audio level moves, Bob's stays 0; captions name her.
    await page.waitForFunction(
      () => {
        const tile = Array.from(document.querySelectorAll('[data-participant-id]')).find((t) => t.querySelector('span.notranslate')?.textContent === 'Alice');
        return tile?.querySelector('[data-audio-level]')?.getAttribute('data-audio-level') !== '0';
      },
      { timeout: 5000, polling: 50 },
    );
    const levels = await page.$$eval('[data-participant-id]', (tiles) =>
      Object.fromEntries(
        tiles
          .filter((t) => t.querySelector('[data-audio-level]'))
          .map((t) => [t.querySelector('span.notranslate')?.textContent, t.querySelector('[data-audio-level]')?.getAttribute('data-audio-level')]),
      ),
    );
    assert.notEqual(levels.Alice, '0');
    assert.equal(levels.Bob, '0');
    const caption = await page.$eval('[role="region"][aria-label="Captions"]', (e) => e.textContent ?? '');
    assert.match(caption, /^Alice/);

    const state = await client.waitFor(code, (s) => s.utterances.length === 2 && s.utterances.every((u) => u.endedAt !== null), 15_000);
    const [a, b] = state.utterances;
    assert.ok(a && b && a.endedAt !== null && b.endedAt !== null);
    assert.equal(a.speaker, 'Alice');
    assert.equal(b.speaker, 'Bob');
    const admittedAt = state.admittedAt!;
    assert.ok(Math.abs(a.startedAt - (admittedAt + 1200)) < 150, `Alice started ${a.startedAt - admittedAt} ms after admission`);
    assert.ok(Math.abs(b.startedAt - (admittedAt + 5000)) < 150, `Bob started ${b.startedAt - admittedAt} ms after admission`);
    // The page waited for each clip to play out before reporting its end...
    const endReceived = (i: number): number => state.events.find((e) => e.type === 'utterance_ended' && e.index === i)!.at;
    assert.ok(endReceived(0) >= a.startedAt + aliceLine.durationMs - 100, 'Alice\'s end reported only after her clip played');
    assert.ok(endReceived(1) >= b.startedAt + bobLine.durationMs - 100, 'Bob\'s end reported only after his clip played');
    // ...and the length the browser decoded matches the WAV length the server announced.
    assert.ok(Math.abs(a.endedAt - a.startedAt - aliceLine.durationMs) < 250, `Alice played ${a.endedAt - a.startedAt} ms of ${aliceLine.durationMs}`);
    assert.ok(Math.abs(b.endedAt - b.startedAt - bobLine.durationMs) < 250, `Bob played ${b.endedAt - b.startedAt} ms of ${bobLine.durationMs}`);
    assert.ok(a.endedAt <= b.startedAt, 'no overlap when the script has none');

    // After speech the indicator is back to silent and the captions hold Bob's full line.
    await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-audio-level]')).every((e) => e.getAttribute('data-audio-level') === '0'), { timeout: 2000 });
    const last = await page.$eval('[role="region"][aria-label="Captions"]', (e) => e.lastElementChild?.textContent ?? '');
    assert.equal(last, 'BobYes, the numbers look good this week.');

    // The page fetches the clips from the simulator as WAV.
    const view = (await (await fetch(`${sim.origin}/_sim/meetings/${code}/view`)).json()) as { script: Array<{ audioUrl: string }> };
    const clip = await fetch(`${sim.origin}${view.script[0]!.audioUrl}`);
    assert.equal(clip.status, 200);
    assert.equal(clip.headers.get('content-type'), 'audio/wav');
    assert.equal(Buffer.from(await clip.arrayBuffer()).toString('ascii', 0, 4), 'RIFF');
  });

  test('chat: the bot\'s message reaches the server with its time; scripted messages show in the panel', async () => {
    const { code, page } = await open({ participants: [{ name: 'Alice' }], chat: [{ from: 'Alice', text: 'stop recording', atMs: 1500 }] });
    await askToJoin(page, 'Bot', { expectButton: 'Join now' });
    await (await mustFind(page, 'button[aria-label="Chat with everyone"]')).click();
    const box = await mustFind(page, 'textarea[aria-label="Send a message"]');
    const notice = 'Rapport is recording and transcribing this call. Write "stop recording" to opt out.';
    const before = Date.now();
    await box.type(notice);
    await (await mustFind(page, 'button[aria-label="Send a message"]:not([disabled])')).click();
    let state = await client.waitFor(code, (s) => s.chatLog.some((c) => c.from === 'Bot'));
    const sent = state.chatLog.find((c) => c.from === 'Bot')!;
    assert.equal(sent.text, notice);
    assert.ok(sent.at >= before && sent.at <= Date.now());

    // Enter sends too.
    await box.type('second');
    await page.keyboard.press('Enter');
    state = await client.waitFor(code, (s) => s.chatLog.some((c) => c.text === 'second'));

    await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-message-id]')).some((e) => e.textContent?.startsWith('Alice')), {
      timeout: 5000,
    });
    const messages = await page.$$eval('[data-message-id]', (els) => els.map((e) => e.textContent ?? ''));
    assert.ok(messages.some((m) => m.startsWith('You') && m.includes(notice)));
    assert.ok(messages.some((m) => m.startsWith('Alice') && m.endsWith('stop recording')));
    const senders = await page.$$eval('[data-message-id]', (els) => els.map((e) => e.getAttribute('data-sender-name')));
    assert.ok(senders.includes('You') && senders.includes('Alice'));
    state = await client.state(code);
    const optOut = state.chatLog.find((c) => c.text === 'stop recording')!;
    assert.ok(optOut.at - state.admittedAt! >= 1450, 'scripted chat counts from admission');
  });

  test('host ends the meeting: end text, call UI gone', async () => {
    const { code, page } = await open({ participants: [{ name: 'Alice' }], hostEndsAfterMs: 1000 });
    await askToJoin(page, 'Bot', { expectButton: 'Join now' });
    await mustFind(page, 'button[aria-label^="People"]');
    await waitForText(page, 'Your host ended the meeting for everyone');
    assert.equal(await page.$('button[aria-label="Leave call"]'), null);
    assert.equal(await page.$('[data-participant-id]'), null);
    assert.equal((await client.state(code)).botStatus, 'ended');
  });

  test('everyone leaves: tiles go, People drops to 1; late joiners come in on time', async () => {
    const { code, page } = await open({
      participants: [{ name: 'Alice' }, { name: 'Bob' }],
      lateJoiners: [{ name: 'Carol', atMs: 800 }],
      everyoneLeavesAfterMs: 2000,
    });
    await askToJoin(page, 'Bot', { expectButton: 'Join now' });
    await mustFind(page, 'button[aria-label^="People"]');
    assert.equal(await peopleLabel(page), 'People - 3 joined');
    await page.waitForFunction(() => document.querySelector('button[aria-label^="People"]')?.getAttribute('aria-label') === 'People - 4 joined', { timeout: 3000 });
    assert.ok((await otherTiles(page)).includes('Carol'));
    await page.waitForFunction(() => document.querySelector('button[aria-label^="People"]')?.getAttribute('aria-label') === 'People - 1 joined', { timeout: 4000 });
    assert.deepEqual(await otherTiles(page), []);
    assert.ok(await page.$('[data-self-name]'), 'the bot is still in the call');
    await waitForText(page, 'You’re the only one here', 2000);
    const state = await client.state(code);
    assert.equal(state.botStatus, 'in_call');
    assert.ok(state.participants.every((p) => p.leftAt !== null));
    const carol = state.participants.find((p) => p.name === 'Carol')!;
    assert.ok(carol.joinedAt! - state.admittedAt! >= 780);
  });

  test('speech stops when the speaker leaves; lines of absent speakers are not played', async () => {
    const { code, page } = await open({
      participants: [{ name: 'Alice' }],
      lateJoiners: [{ name: 'Carol', atMs: 2500 }],
      script: [
        { speaker: 'Carol', text: 'I am not here yet.', atMs: 300 },
        { speaker: 'Alice', text: 'This is a rather long sentence that will be cut off when everybody leaves the call.', atMs: 600 },
        { speaker: 'Alice', text: 'Nobody will hear this.', atMs: 4000 },
      ],
      everyoneLeavesAfterMs: 2000,
    });
    await askToJoin(page, 'Bot', { expectButton: 'Join now' });
    const state = await client.waitFor(code, (s) => s.events.some((e) => e.type === 'participant_left') && s.utterances.some((u) => u.endedAt !== null), 8000);
    await new Promise((r) => setTimeout(r, 2500)); // past the last line's time
    const final = await client.state(code);
    assert.deepEqual(final.utterances.map((u) => u.index), [1], 'only Alice\'s first line played');
    const cut = final.utterances[0]!;
    const full = final.scenario.script[1]!.durationMs;
    const played = cut.endedAt! - cut.startedAt;
    assert.ok(played < full - 500, `played ${played} ms of ${full}`);
    assert.ok(Math.abs(cut.endedAt! - (state.admittedAt! + 2000)) < 400, 'cut when everyone left');
    assert.equal(await page.$eval('[data-self-name]', () => document.querySelectorAll('[data-audio-level]:not([data-audio-level="0"])').length), 0);
  });

  test('removed from the meeting', async () => {
    const { code, page } = await open({ participants: [{ name: 'Alice' }], removeBotAfterMs: 800 });
    await askToJoin(page, 'Bot', { expectButton: 'Join now' });
    await waitForText(page, "You've been removed from the meeting");
    assert.equal(await page.$('button[aria-label="Leave call"]'), null);
    assert.equal((await client.state(code)).botStatus, 'removed');
  });

  test('the bot leaves with "Leave call"', async () => {
    const { code, page } = await open({ participants: [{ name: 'Alice' }] });
    await askToJoin(page, 'Bot', { expectButton: 'Join now' });
    await mustFind(page, 'button[aria-label^="People"]');
    await (await mustFind(page, 'button[jsname="CQylAd"][aria-label="Leave call"]')).click();
    await waitForText(page, 'You left the meeting');
    assert.equal((await client.state(code)).botStatus, 'left');
  });

  test('a page that dies without leaving: still in the call, lastSeenAt stops', async () => {
    const { code, page } = await open({ participants: [{ name: 'Alice' }] });
    await askToJoin(page, 'Bot', { expectButton: 'Join now' });
    await mustFind(page, 'button[aria-label^="People"]');
    await page.close();
    const closedAt = Date.now();
    await new Promise((r) => setTimeout(r, 800));
    const state = await client.state(code);
    assert.equal(state.botStatus, 'in_call');
    assert.ok(state.lastSeenAt !== null && state.lastSeenAt <= closedAt + 50, `last seen ${state.lastSeenAt! - closedAt} ms after close`);
  });

  test('class names are random per page load', async () => {
    const { page } = await open({});
    await mustFind(page, 'input[aria-label="Your name"]');
    const first = await page.$eval('input[aria-label="Your name"]', (e) => e.className);
    await page.reload();
    await mustFind(page, 'input[aria-label="Your name"]');
    const second = await page.$eval('input[aria-label="Your name"]', (e) => e.className);
    assert.notEqual(first, second);
  });
});
