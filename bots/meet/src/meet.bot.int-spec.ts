import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@rapport/common';
import { lateJoinerNotice, resolveBotOptions, resolveConsent, type BotEvent, type ConsentLedger } from '@rapport/bot-domain';
import {
  createBotLogger,
  launchBrowser,
  parsePlatformOrigins,
  readRuntimeEnv,
  runBot,
  type BotSession,
  type CaptionEntry,
  type LaunchedBrowser,
  type TimelineDocument,
} from '@rapport/bot-runtime';
import { SimulatorClient, startSimulator, type RunningSimulator } from '@rapport/simulator';
import { MeetBot } from './meet.bot';
import { meanVolumeDb, mediaDurationS, runMeetScenario, statusPath } from './testing/harness';

/**
 * The Meet bot end to end: real Chromium, PulseAudio, ffmpeg and the meeting simulator.
 * Scripts and timeouts are short so the suite stays reasonable on 2 cores.
 */
let sim: RunningSimulator;
before(async () => {
  sim = await startSimulator({ port: 0 });
});
after(async () => {
  await sim.close();
});

const ADA = 'Ada Lovelace';
const GRACE = 'Grace Hopper';
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/**
 * `rapport bot join` as a user runs it, or the Meet bot's own entry (`entry: 'meet'`): from dist/
 * in CI, from sources under tsx.
 */
function runCli(
  args: string[],
  env: Record<string, string>,
  entry: 'cli' | 'meet' = 'cli',
  onStdout?: (stdoutSoFar: string, child: ChildProcess) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const fromDist = __filename.endsWith('.js');
  const rel = entry === 'cli' ? ['apps', 'cli', 'src', 'main'] : ['bots', 'meet', 'src', 'main'];
  const main = fromDist ? join(repoRoot(), 'dist', ...rel) + '.js' : join(repoRoot(), ...rel) + '.ts';
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv.filter((a) => !a.startsWith('--test')), main, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('Meet bot in the simulator', { timeout: 300_000 }, () => {
  test('rapport bot join: open meeting, consent first, recording, timeline and captions match the script', { timeout: 90_000 }, async () => {
    const client = new SimulatorClient(sim.origin);
    const meeting = await client.createMeeting({
      admission: 'open',
      participants: [{ name: ADA }, { name: GRACE }],
      script: [
        { speaker: ADA, text: 'Good morning everyone, let us start with the roadmap.', atMs: 3000 },
        { speaker: GRACE, text: 'Thanks Ada. The compiler release is on track for Friday.', atMs: 7500 },
      ],
      hostEndsAfterMs: 13000,
    });
    const out = mkdtempSync(join(tmpdir(), 'rapport-cli-int-'));
    const run = await runCli(['bot', 'join', meeting.url, '--out', out, '--name', 'Rapport Notetaker'], {
      RAPPORT_PLATFORM_ORIGINS: `meet.google.com=${sim.origin}`,
    });
    assert.equal(run.code, 0, run.stderr.slice(-3000));
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as BotEvent);
    for (const e of events) assert.deepEqual(Object.keys(e), ['code', 'subCode', 'at']);
    assert.deepEqual(statusPath(events), ['joining_call', 'in_call_not_recording', 'in_call_recording', 'call_ended/call_ended_by_host', 'done']);

    const state = await client.state(meeting.code);
    const recordingAt = Date.parse(events[2].at);
    const endedAt = Date.parse(events[3].at);

    // The notice reached the meeting chat before recording started.
    const notice = state.chatLog.find((m) => m.from === 'Rapport Notetaker');
    assert.ok(notice, 'notice in chat');
    assert.equal(notice.text, resolveConsent(undefined).noticeText);
    assert.ok(notice.at < recordingAt, `notice at ${notice.at}, recording at ${recordingAt}`);
    const consent = readJson<ConsentLedger>(join(out, 'consent.json'));
    assert.ok(consent.noticePostedAt && Date.parse(consent.noticePostedAt) <= recordingAt);
    assert.deepEqual([...consent.participantsAtNotice].sort(), [ADA, GRACE]);

    // Recording: as long as the meeting was recorded (within 2 %), speech where the script spoke.
    const timeline = readJson<TimelineDocument>(join(out, 'timeline.json'));
    assert.ok(timeline.recordingStartedAt);
    const recStart = Date.parse(timeline.recordingStartedAt);
    const file = join(out, 'recording.ogg');
    const durationS = mediaDurationS(file);
    const expectedS = (endedAt - recStart) / 1000;
    assert.ok(Math.abs(durationS - expectedS) <= 0.02 * expectedS, `recording ${durationS}s, recorded span ${expectedS}s`);
    assert.equal(state.utterances.length, 2);
    for (const u of state.utterances) {
      assert.ok(u.endedAt);
      const startS = (u.startedAt - recStart) / 1000;
      const lenS = (u.endedAt - u.startedAt) / 1000;
      const speech = meanVolumeDb(file, startS + 0.2, lenS - 0.4);
      assert.ok(speech > -35, `${u.speaker}: mean ${speech} dB during the utterance`);
    }
    const firstS = (state.utterances[0].startedAt - recStart) / 1000;
    assert.ok(meanVolumeDb(file, 0, firstS - 0.3) < -60, 'silence before anyone speaks');

    // Speaker turns within 500 ms of what the simulator actually played.
    for (const u of state.utterances) {
      const turn = timeline.speakerTurns.find((t) => t.speaker === u.speaker);
      assert.ok(turn, `turn for ${u.speaker}`);
      assert.ok(Math.abs(turn.startMs - (u.startedAt - recStart)) <= 500, `${u.speaker} start ${turn.startMs} vs ${u.startedAt - recStart}`);
      assert.ok(Math.abs(turn.endMs - ((u.endedAt ?? 0) - recStart)) <= 500, `${u.speaker} end ${turn.endMs} vs ${(u.endedAt ?? 0) - recStart}`);
    }
    const captions = readJson<CaptionEntry[]>(join(out, 'captions.json'));
    assert.deepEqual(
      captions.map((c) => [c.speaker, c.text]),
      state.utterances.map((u) => [u.speaker, u.text]),
    );
  });

  test('the Meet bot entry point refuses what is not a Meet link (exit 2)', { timeout: 30_000 }, async () => {
    for (const url of ['https://zoom.us/j/1234567890', 'https://meet.google.com.evil.example/abc-defg-hij']) {
      const r = await runCli([url], {}, 'meet');
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /not a Google Meet link/);
      assert.equal(r.stdout, '');
    }
  });

  test('lobby, admitted, dialogs acknowledged, leaves when everyone left (short timeout)', { timeout: 60_000 }, async () => {
    const { events, state, outDir, result } = await runMeetScenario(
      sim,
      {
        admission: 'lobby_admit',
        admitAfterMs: 1500,
        recordingDialog: true,
        geminiDialog: true,
        participants: [{ name: ADA }],
        lateJoiners: [{ name: 'Linus Torvalds', atMs: 3500 }],
        script: [{ speaker: ADA, text: 'Welcome, we will keep this short.', atMs: 2500 }],
        everyoneLeavesAfterMs: 6000,
      },
      { autoLeave: { everyoneLeftTimeoutS: 2 }, consent: { lateJoinerNoticeDelayS: 1 } },
    );
    assert.deepEqual(statusPath(events), [
      'joining_call',
      'in_waiting_room',
      'in_call_not_recording',
      'in_call_recording',
      'call_ended/timeout_exceeded_everyone_left',
      'done',
    ]);
    assert.equal(state.botStatus, 'left', 'the bot used Leave call');
    const acks = state.events.filter((e) => e.type === 'dialog_ack').map((e) => e.value);
    assert.deepEqual([...acks].sort(), ['gemini', 'recording']);
    const consent = readJson<ConsentLedger>(join(outDir, 'consent.json'));
    assert.equal(consent.platformDialogsAcknowledged.length, 2);
    assert.deepEqual(consent.participantsAtNotice, [ADA]);
    assert.deepEqual(consent.lateJoiners.map((j) => j.name), ['Linus Torvalds']);
    // Linus missed the notice: the bot posted it again, greeting him, a second after he came in.
    const noticeText = resolveConsent(undefined).noticeText;
    const again = state.chatLog.find((m) => m.from === 'Rapport Notetaker' && m.text === lateJoinerNotice(['Linus Torvalds'], noticeText));
    assert.ok(again, `notice for the late joiner in chat: ${JSON.stringify(state.chatLog.map((m) => m.text))}`);
    const linusJoined = state.participants.find((p) => p.name === 'Linus Torvalds')!.joinedAt!;
    assert.ok(again.at >= linusJoined + 1000, `posted ${again.at - linusJoined} ms after he joined`);
    assert.ok(consent.lateJoiners[0]!.notifiedAt && Date.parse(consent.lateJoiners[0]!.notifiedAt) >= again.at - 1000);
    assert.equal(state.chatLog.filter((m) => m.from === 'Rapport Notetaker').length, 2, 'the notice, then once for Linus');
    assert.ok(result.recordingPath && existsSync(result.recordingPath));
    const left = Date.parse(events[4].at) - (state.participants[0].leftAt ?? 0);
    // Presence is sampled every 500 ms tick, so the 2 s timer may start up to one tick early.
    assert.ok(left >= 1400 && left < 5000, `left ${left} ms after everyone else`);
  });

  test('"stop recording" in chat: recording deleted, said so in chat, left', { timeout: 60_000 }, async () => {
    const { events, state, outDir, result } = await runMeetScenario(sim, {
      admission: 'open',
      participants: [{ name: ADA }],
      script: [{ speaker: ADA, text: 'Before we begin, one moment please.', atMs: 2500 }],
      chat: [{ from: ADA, text: 'Please stop recording, this is confidential.', atMs: 6000 }],
    });
    assert.deepEqual(statusPath(events), [
      'joining_call',
      'in_call_not_recording',
      'in_call_recording',
      'in_call_not_recording',
      'call_ended/recording_stopped_by_participant',
      'done',
    ]);
    assert.equal(result.recordingPath, null);
    for (const f of ['recording.ogg', 'segments', 'timeline.json', 'captions.json']) assert.equal(existsSync(join(outDir, f)), false, f);
    const consent = readJson<ConsentLedger>(join(outDir, 'consent.json'));
    assert.equal(consent.recordingDeleted, true);
    assert.equal(consent.optOut?.from, ADA);
    const reply = state.chatLog.find((m) => m.text === resolveConsent(undefined).optOutReplyText);
    assert.ok(reply, `reply in chat: ${JSON.stringify(state.chatLog)}`);
    assert.equal(state.botStatus, 'left');
  });

  test('open meeting nobody else joins: in call, notice, recording, then timeout_exceeded_noone_joined', { timeout: 60_000 }, async () => {
    const { events, state, outDir } = await runMeetScenario(sim, { admission: 'open', participants: [] }, { autoLeave: { nooneJoinedTimeoutS: 3 } });
    assert.deepEqual(statusPath(events), [
      'joining_call',
      'in_call_not_recording',
      'in_call_recording',
      'call_ended/timeout_exceeded_noone_joined',
      'done',
    ]);
    const inCallAt = Date.parse(events[1].at);
    const leftAfter = Date.parse(events[3].at) - inCallAt;
    assert.ok(leftAfter >= 3000 && leftAfter < 6000, `left ${leftAfter} ms after getting in`);
    const notice = state.chatLog.find((m) => m.text === resolveConsent(undefined).noticeText);
    assert.ok(notice && notice.at < Date.parse(events[2].at), 'notice in chat before recording');
    const consent = readJson<ConsentLedger>(join(outDir, 'consent.json'));
    assert.deepEqual(consent.participantsAtNotice, []);
    assert.equal(state.botStatus, 'left', 'the bot used Leave call');
  });

  test('a leave request (Ctrl-C, API) leaves through Leave call', { timeout: 60_000 }, async () => {
    const leave = new AbortController();
    const { events, state } = await runMeetScenario(
      sim,
      { admission: 'open', participants: [{ name: ADA }] },
      {},
      { signal: leave.signal, onEvent: (e) => e.code === 'in_call_recording' && setTimeout(() => leave.abort(), 1500) },
    );
    assert.deepEqual(statusPath(events), ['joining_call', 'in_call_not_recording', 'in_call_recording', 'call_ended/bot_received_leave_call', 'done']);
    assert.equal(state.botStatus, 'left');
  });

  test('auto-leave on silence and on only bots, measured from the audio and the names', { timeout: 90_000 }, async () => {
    const silent = await runMeetScenario(
      sim,
      { admission: 'open', participants: [{ name: ADA }], script: [{ speaker: ADA, text: 'Just one sentence, then quiet.', atMs: 2500 }] },
      { autoLeave: { silenceTimeoutS: 3, silenceActivateAfterS: 1 } },
    );
    assert.deepEqual(statusPath(silent.events).slice(-2), ['call_ended/timeout_exceeded_silence_detected', 'done']);
    const spoke = silent.state.utterances[0];
    assert.ok(spoke?.endedAt, 'the sentence was played');
    const quietFor = Date.parse(silent.events[silent.events.length - 2].at) - spoke.endedAt;
    assert.ok(quietFor >= 3000 && quietFor < 6500, `left ${quietFor} ms after the last speech`);

    const bots = await runMeetScenario(sim, { admission: 'open', participants: [{ name: 'Otter.ai' }] }, { autoLeave: { onlyBotsTimeoutS: 2 } });
    assert.deepEqual(statusPath(bots.events).slice(-2), ['call_ended/timeout_exceeded_only_bots_detected', 'done']);
  });

  const failures: Array<{ name: string; scenario: Parameters<typeof runMeetScenario>[1]; options?: Parameters<typeof runMeetScenario>[2]; path: string[] }> = [
    { name: 'meeting not found', scenario: { page: 'not_found' }, path: ['joining_call', 'fatal/meeting_not_found'] },
    { name: 'sign-in required', scenario: { page: 'sign_in_required' }, path: ['joining_call', 'fatal/meeting_requires_sign_in'] },
    { name: 'blocked by Meet', scenario: { page: 'blocked' }, path: ['joining_call', 'fatal/bot_blocked_by_platform'] },
    {
      name: 'request denied',
      scenario: { admission: 'lobby_deny', admitAfterMs: 1000 },
      path: ['joining_call', 'in_waiting_room', 'call_ended/request_to_join_denied', 'done'],
    },
    {
      name: 'waiting room budget spent',
      scenario: { admission: 'lobby_never', admitAfterMs: 60000 },
      options: { autoLeave: { waitingRoomTimeoutS: 2 } },
      path: ['joining_call', 'in_waiting_room', 'call_ended/timeout_exceeded_waiting_room', 'done'],
    },
    {
      name: 'removed from the call',
      scenario: { admission: 'open', participants: [{ name: ADA }], removeBotAfterMs: 3500 },
      path: ['joining_call', 'in_call_not_recording', 'in_call_recording', 'call_ended/bot_kicked_from_call', 'done'],
    },
  ];
  for (const f of failures) {
    test(`failure: ${f.name}`, { timeout: 60_000 }, async () => {
      const { events, outDir } = await runMeetScenario(sim, f.scenario, f.options);
      assert.deepEqual(statusPath(events), f.path);
      const consent = readJson<ConsentLedger>(join(outDir, 'consent.json'));
      if (!f.path.some((p) => p === 'in_call_recording')) {
        assert.equal(consent.noticePostedAt, null);
        assert.equal(existsSync(join(outDir, 'recording.ogg')), false);
      }
    });
  }

  test('SIGKILL of Chromium mid-meeting: fatal/bot_errored, audio before the crash kept', { timeout: 60_000 }, async () => {
    let pid = 0;
    let killedAt = 0;
    const { events, outDir, result } = await runMeetScenario(
      sim,
      {
        admission: 'open',
        participants: [{ name: ADA }],
        script: [{ speaker: ADA, text: 'This is a long update about the state of the project and what comes next for the team.', atMs: 2500 }],
        hostEndsAfterMs: 60000,
      },
      {},
      {
        onBrowser: (p) => (pid = p),
        onEvent: (e) => {
          if (e.code === 'in_call_recording') {
            setTimeout(() => {
              killedAt = Date.now();
              process.kill(pid, 'SIGKILL');
            }, 7000);
          }
        },
      },
    );
    assert.deepEqual(statusPath(events), ['joining_call', 'in_call_not_recording', 'in_call_recording', 'fatal/bot_errored']);
    const detectedMs = Date.parse(events[3].at) - killedAt;
    assert.ok(detectedMs < 5000, `crash noticed after ${detectedMs} ms`);
    assert.ok(result.recordingPath, 'segments joined into recording.ogg');
    const timeline = readJson<TimelineDocument>(join(outDir, 'timeline.json'));
    const recordedS = (killedAt - Date.parse(timeline.recordingStartedAt ?? '')) / 1000;
    const keptS = mediaDurationS(result.recordingPath);
    assert.ok(keptS >= recordedS - 10, `kept ${keptS}s of ${recordedS}s`);
    assert.ok(meanVolumeDb(result.recordingPath, 3, 3) > -35, 'speech before the crash is in the file');
  });
});

/**
 * Admission read by the real bot code in Chromium on the simulator's saved screens, changed the
 * way other Meet builds draw them (no "only one here" card, lobby texts we do not know).
 */
describe('Meet admission on saved screens', { timeout: 60_000 }, () => {
  let launched: LaunchedBrowser;
  let profile: string;
  before(async () => {
    profile = mkdtempSync(join(tmpdir(), 'rapport-admission-int-'));
    launched = await launchBrowser({ executablePath: readRuntimeEnv().chromiumPath, env: {}, userDataDir: profile });
  });
  after(async () => {
    await launched.browser.close();
    rmSync(profile, { recursive: true, force: true });
  });

  /** Three reads 100 ms apart of a fixture, after `changes` ran in the page, in order. */
  async function reads(fixture: string, ...changes: Array<() => void>): Promise<string[]> {
    const html = readFileSync(join(repoRoot(), 'bots', 'simulator', 'fixtures', `${fixture}.html`), 'utf8').replace(/<script\b[\s\S]*?<\/script>/g, '');
    const page = launched.page;
    await page.setContent(html, { waitUntil: 'domcontentloaded' });
    // setContent keeps the document, so the runtime's __name shim for tsx-compiled page functions is not there.
    await page.evaluate("Object.defineProperty(globalThis, '__name', { value: (f) => f, configurable: true, writable: true })");
    for (const change of changes) await page.evaluate(change);
    const session: BotSession = { page, botName: 'Rapport Notetaker', log: createBotLogger('warn'), blockedNavigations: [], emitFunction: '__none' };
    const bot = new MeetBot();
    const kinds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const phase = await bot.readPhase(session, false);
      kinds.push('subCode' in phase ? `${phase.kind}/${phase.subCode}` : phase.kind);
      await new Promise((r) => setTimeout(r, 100));
    }
    return kinds;
  }

  // Leaves the bot alone in the call: other tiles gone, People = 1, no "only one here" card.
  const alone = () => {
    document.querySelectorAll('[data-participant-id]').forEach((t) => {
      if (!t.querySelector('[data-self-name]')) t.remove();
    });
    const people = document.querySelector('button[aria-label^="People"]');
    people?.setAttribute('aria-label', 'People - 1 joined');
    people?.querySelector('[data-avatar-count]')?.setAttribute('data-avatar-count', '1');
  };
  const dropLobbyTexts = () => document.querySelectorAll('[role="status"]').forEach((el) => el.remove());

  test('open meeting, nobody else in, no "only one here" card: in call on the second read', async () => {
    assert.deepEqual(await reads('in-call', alone), ['pre_join', 'in_call', 'in_call']);
  });

  test('the lobby never reads as in call: as saved, without its texts, with a People button', async () => {
    assert.deepEqual(await reads('lobby'), ['waiting_room', 'waiting_room', 'waiting_room']);
    assert.deepEqual(await reads('lobby', dropLobbyTexts), ['pre_join', 'pre_join', 'pre_join']);
    const addPeople = () => {
      const b = document.createElement('button');
      b.setAttribute('aria-label', 'People - 1 joined');
      b.textContent = '1';
      document.querySelector('[aria-label="Call controls"]')?.appendChild(b);
    };
    assert.deepEqual(await reads('lobby', dropLobbyTexts, addPeople), ['pre_join', 'pre_join', 'pre_join']);
  });

  test('removal screen read with any apostrophe', async () => {
    const removed = 'ended/bot_kicked_from_call';
    assert.deepEqual(await reads('removed'), [removed, removed, removed], 'as saved: straight apostrophe');
    for (const ch of ['\u2019', '\uff07', '\u2032']) {
      const swap = new Function(`document.querySelectorAll('div,span,h1,h2,p').forEach((el) => { if (el.children.length === 0) el.textContent = (el.textContent || '').replace("You've", 'You${ch}ve'); });`) as () => void;
      assert.deepEqual(await reads('removed', swap), [removed, removed, removed], `U+${ch.codePointAt(0)?.toString(16)}`);
    }
  });

  test('a lobby text on the alone screen wins', async () => {
    const addLobbyText = () => {
      const d = document.createElement('div');
      d.textContent = 'Asking to be let in…';
      document.body.appendChild(d);
    };
    assert.deepEqual(await reads('in-call', alone, addLobbyText), ['waiting_room', 'waiting_room', 'waiting_room']);
  });
});

/**
 * A leave request or SIGTERM while the bot is still before the lobby (page loading, join screen
 * that never offers a usable button) ends the bot at once, not after the pre-join timeouts.
 */
describe('leave during pre-join', { timeout: 120_000 }, () => {
  let server: Server;
  let origin: string;
  before(async () => {
    // /hng-…: never answers (goto waits); anything else: a Meet-looking page with no join button.
    server = createServer((req, res) => {
      if (req.url?.startsWith('/hng-')) return;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><title>Meet</title><h2>Getting ready…</h2><div role="progressbar"></div>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  test('abort on a join screen without a join button: call_ended/bot_received_leave_call at once', { timeout: 90_000 }, async () => {
    const leave = new AbortController();
    let abortedAt = 0;
    const result = await runBot({
      bot: new MeetBot(),
      botId: `int_prejoin_${process.pid}`,
      meetingUrl: 'https://meet.google.com/abc-defg-hij',
      outDir: mkdtempSync(join(tmpdir(), 'rapport-prejoin-int-')),
      options: resolveBotOptions({}),
      log: createBotLogger(process.env.RAPPORT_TEST_BOT_LOG ?? 'warn'),
      env: { ...readRuntimeEnv(), platformOrigins: parsePlatformOrigins(`meet.google.com=${origin}`) },
      signal: leave.signal,
      onBrowser: () =>
        setTimeout(() => {
          abortedAt = Date.now();
          leave.abort();
        }, 2000),
    });
    assert.deepEqual(statusPath(result.events), ['joining_call', 'call_ended/bot_received_leave_call', 'done']);
    const tookMs = Date.parse(result.events[1].at) - abortedAt;
    assert.ok(tookMs < 3000, `left ${tookMs} ms after the leave request`);
  });

  test('SIGTERM while the meeting page is still loading: exit 0, bot_received_leave_call at once', { timeout: 90_000 }, async () => {
    let signalledAt = 0;
    const run = await runCli(['https://meet.google.com/hng-hang-hng', '--out', mkdtempSync(join(tmpdir(), 'rapport-prejoin-int-'))], { RAPPORT_PLATFORM_ORIGINS: `meet.google.com=${origin}` }, 'meet', (out, child) => {
      if (!signalledAt && out.includes('"joining_call"')) {
        signalledAt = Date.now() + 2000;
        setTimeout(() => child.kill('SIGTERM'), 2000);
      }
    });
    assert.equal(run.code, 0, run.stderr.slice(-3000));
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as BotEvent);
    assert.deepEqual(statusPath(events), ['joining_call', 'call_ended/bot_received_leave_call', 'done']);
    const tookMs = Date.parse(events[1].at) - signalledAt;
    assert.ok(tookMs < 3000, `left ${tookMs} ms after SIGTERM`);
  });
});
