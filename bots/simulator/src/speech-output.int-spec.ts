import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import puppeteer, { type Browser } from 'puppeteer-core';
import { SimulatorClient, startSimulator, type RunningSimulator } from './index';
import { askToJoin, mustFind } from './testing/browser';
import { startPrivatePulse, voicedSegments, type PrivatePulse } from './testing/pulse';

/**
 * The scripted speech really comes out of Chromium's default audio output (a PulseAudio sink,
 * as the bot sets it up), at the times the page reports to the server.
 */
describe('simulator speech reaches the audio output', () => {
  let sim: RunningSimulator;
  let pulse: PrivatePulse;
  let browser: Browser;

  before(async () => {
    sim = await startSimulator({ port: 0 });
    pulse = await startPrivatePulse();
    browser = await puppeteer.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      // Puppeteer mutes audio by default; the bot unmutes it the same way.
      ignoreDefaultArgs: ['--mute-audio'],
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
      env: { ...process.env, PULSE_SERVER: pulse.server, PULSE_SINK: pulse.sink },
    });
  });

  after(async () => {
    await browser?.close();
    await pulse?.stop();
    await sim?.close();
  });

  test('two speakers are audible, one stretch each, where the ground truth says', async () => {
    const client = new SimulatorClient(sim.origin);
    const created = await client.createMeeting({
      participants: [{ name: 'Alice' }, { name: 'Bob' }],
      script: [
        { speaker: 'Alice', text: 'The first topic is the budget for next year', atMs: 800 },
        { speaker: 'Bob', text: 'I think we should spend less on travel', atMs: 5000 },
      ],
    });
    const rate = 16000;
    const recording = pulse.record(rate);
    const page = await browser.newPage();
    await page.goto(created.simUrl);
    await askToJoin(page, 'Bot', { expectButton: 'Join now' });
    await mustFind(page, 'button[aria-label^="People"]');
    const state = await client.waitFor(created.code, (s) => s.utterances.length === 2 && s.utterances.every((u) => u.endedAt !== null), 20_000);
    await new Promise((r) => setTimeout(r, 300));
    const pcm = await recording.stop();

    const segments = voicedSegments(pcm, rate);
    assert.equal(segments.length, 2, `voiced segments: ${JSON.stringify(segments)}`);
    const [a, b] = state.utterances;
    const [sa, sb] = segments;
    assert.ok(a && b && sa && sb && a.endedAt !== null && b.endedAt !== null);
    // Relative timing is free of the recorder's start latency.
    const reportedGap = b.startedAt - a.startedAt;
    const audibleGap = sb[0] - sa[0];
    // (The absolute position is not checked: parec's first sample comes an unknown while after spawn.)
    // Alone this holds within ~25 ms; a loaded 2-core machine has shown underruns of ~360 ms, so
    // the bound is the product's own tolerance for speaker turns (500 ms, issue 3).
    const detail = `segments ${JSON.stringify(segments)}, utterances ${JSON.stringify(state.utterances)}, admitted ${state.admittedAt}`;
    assert.ok(Math.abs(audibleGap - reportedGap) < 500, `audible gap ${audibleGap} ms vs reported ${reportedGap} ms; ${detail}`);
    // And the reported starts are where the script put them.
    assert.ok(Math.abs(a.startedAt - state.admittedAt! - 800) < 200, `Alice reported at +${a.startedAt - state.admittedAt!} ms; ${detail}`);
    assert.ok(Math.abs(b.startedAt - state.admittedAt! - 5000) < 200, `Bob reported at +${b.startedAt - state.admittedAt!} ms; ${detail}`);
    // Each stretch lies within its clip (espeak-ng pads a little silence at the ends).
    const [lineA, lineB] = state.scenario.script;
    assert.ok(lineA && lineB);
    for (const [seg, line] of [[sa, lineA], [sb, lineB]] as const) {
      const len = seg[1] - seg[0];
      // Upper bound with room for a glitch (inserted silence) when the machine is loaded.
      assert.ok(len <= line.durationMs + 200 && len >= line.durationMs * 0.6, `audible ${len} ms of a ${line.durationMs} ms clip; ${detail}`);
    }
  });
});
