import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ADMIT_AFTER_MS, SimMeeting, newMeetingCode } from './meeting';
import { parseScenario, voicesFor, type ScenarioInput } from './scenario';

function meeting(input: ScenarioInput): SimMeeting {
  const scenario = parseScenario(input);
  return new SimMeeting('abc-defg-hij', scenario, [], voicesFor(scenario));
}

describe('newMeetingCode', () => {
  test('is 3-4-3 lowercase letters and varies', () => {
    const codes = new Set(Array.from({ length: 50 }, () => newMeetingCode()));
    for (const c of codes) assert.match(c, /^[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    assert.ok(codes.size > 45);
  });
});

describe('SimMeeting', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  test('open meeting: joining admits at once and starts the scenario clocks', () => {
    const m = meeting({ participants: [{ name: 'Alice' }], chat: [{ from: 'Alice', text: 'hi', atMs: 500 }], hostEndsAfterMs: 2000 });
    m.pageLoaded();
    assert.equal(m.botStatus, 'prejoin');
    m.requestJoin('Bot', false, false);
    assert.equal(m.botStatus, 'in_call');
    assert.equal(m.admittedAt, 1_000_000);
    mock.timers.tick(499);
    assert.equal(m.chatLog.length, 0);
    mock.timers.tick(1);
    assert.deepEqual(m.chatLog.map((c) => [c.from, c.text, c.at]), [['Alice', 'hi', 1_000_500]]);
    mock.timers.tick(1500);
    assert.equal(m.botStatus, 'ended');
    assert.equal(m.present.length, 0);
  });

  test('lobby_admit: waits admitAfterMs, then the call clocks count from admission', () => {
    const m = meeting({ admission: 'lobby_admit', admitAfterMs: 3000, removeBotAfterMs: 1000 });
    m.pageLoaded();
    m.requestJoin('Bot', false, false);
    assert.equal(m.botStatus, 'lobby');
    mock.timers.tick(2999);
    assert.equal(m.botStatus, 'lobby');
    mock.timers.tick(1);
    assert.equal(m.botStatus, 'in_call');
    assert.equal(m.admittedAt, 1_003_000);
    mock.timers.tick(1000);
    assert.equal(m.botStatus, 'removed');
  });

  test('lobby_deny uses the default delay when none is given', () => {
    const m = meeting({ admission: 'lobby_deny' });
    m.pageLoaded();
    m.requestJoin('Bot', false, false);
    mock.timers.tick(DEFAULT_ADMIT_AFTER_MS);
    assert.equal(m.botStatus, 'denied');
    assert.equal(m.denyReason, 'denied');
  });

  test('lobby_never waits forever without admitAfterMs, and gives up with it', () => {
    const forever = meeting({ admission: 'lobby_never' });
    forever.pageLoaded();
    forever.requestJoin('Bot', false, false);
    mock.timers.tick(3_600_000);
    assert.equal(forever.botStatus, 'lobby');
    forever.admit(); // a host can still let it in by hand
    assert.equal(forever.botStatus, 'in_call');

    const givesUp = meeting({ admission: 'lobby_never', admitAfterMs: 10_000 });
    givesUp.pageLoaded();
    givesUp.requestJoin('Bot', false, false);
    mock.timers.tick(10_000);
    assert.equal(givesUp.botStatus, 'denied');
    assert.equal(givesUp.denyReason, 'no_response');
  });

  test('blocked page: asking to join is refused by the platform', () => {
    const m = meeting({ page: 'blocked', admission: 'lobby_admit' });
    m.pageLoaded();
    m.requestJoin('Bot', false, false);
    assert.equal(m.botStatus, 'denied');
    assert.equal(m.denyReason, 'blocked');
    mock.timers.tick(60_000);
    assert.equal(m.botStatus, 'denied');
  });

  test('everyone leaving keeps the bot in the call; late joiners arrive on time', () => {
    const m = meeting({ participants: [{ name: 'A' }, { name: 'B' }], lateJoiners: [{ name: 'C', atMs: 5000 }], everyoneLeavesAfterMs: 1000 });
    m.pageLoaded();
    m.requestJoin('Bot', false, false);
    assert.deepEqual(m.present.map((p) => p.name), ['A', 'B']);
    mock.timers.tick(1000);
    assert.equal(m.present.length, 0);
    assert.equal(m.botStatus, 'in_call');
    mock.timers.tick(4000);
    assert.deepEqual(m.present.map((p) => p.name), ['C']);
    assert.equal(m.participants.find((p) => p.name === 'C')?.joinedAt, 1_005_000);
  });

  test('one participant leaves and comes back', () => {
    const m = meeting({ participants: [{ name: 'A' }, { name: 'B' }] });
    m.pageLoaded();
    m.requestJoin('Bot', false, false);
    mock.timers.tick(100);
    m.participantLeaves('A');
    assert.deepEqual(m.present.map((p) => p.name), ['B']);
    assert.equal(m.participants.find((p) => p.name === 'A')?.leftAt, 1_000_100);
    m.participantJoins('A');
    assert.deepEqual(m.present.map((p) => p.name).sort(), ['A', 'B']);
    assert.equal(m.participants.find((p) => p.name === 'A')?.leftAt, null);
    assert.deepEqual(m.events.filter((e) => e.type.startsWith('participant_')).map((e) => `${e.type}:${String(e.name)}`), ['participant_left:A', 'participant_joined:A']);
  });

  test('a bot that left stops every pending timer and cannot chat', () => {
    const m = meeting({ participants: [{ name: 'A' }], chat: [{ from: 'A', text: 'later', atMs: 1000 }], hostEndsAfterMs: 2000 });
    m.pageLoaded();
    m.requestJoin('Bot', false, false);
    assert.ok(m.botChat('notice'));
    m.botLeft();
    mock.timers.tick(5000);
    assert.equal(m.botStatus, 'left');
    assert.deepEqual(m.chatLog.map((c) => c.text), ['notice']);
    assert.equal(m.botChat('too late'), null);
  });

  test('utterances are recorded once, for script lines that exist', () => {
    const scenario = parseScenario({ participants: [{ name: 'A' }], script: [{ speaker: 'A', text: 'hello', atMs: 0 }] });
    const m = new SimMeeting('abc-defg-hij', scenario, [
      { index: 0, speaker: 'A', text: 'hello', atMs: 0, voice: 'en-us+m3', durationMs: 800, audioUrl: '/x.wav' },
    ], voicesFor(scenario));
    m.utteranceStarted(0, 10);
    m.utteranceStarted(0, 20);
    m.utteranceStarted(7, 30);
    m.utteranceEnded(0, 810);
    assert.deepEqual(m.utterances, [{ index: 0, speaker: 'A', text: 'hello', startedAt: 10, endedAt: 810 }]);
  });
});
