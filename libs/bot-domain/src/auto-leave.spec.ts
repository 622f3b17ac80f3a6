import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_AUTO_LEAVE, evaluateAutoLeave, isBotName, resolveAutoLeave, type AutoLeaveObservation } from './index';

const T0 = 1_000_000;
const S = 1000;
const cfg = resolveAutoLeave(undefined);

function obs(partial: Partial<AutoLeaveObservation>): AutoLeaveObservation {
  return {
    now: T0,
    joinStartedAt: T0,
    waitingRoomSince: null,
    inCallSince: null,
    participants: [],
    lastParticipantSeenAt: null,
    lastHumanSeenAt: null,
    lastSoundAt: null,
    ...partial,
  };
}

describe('evaluateAutoLeave', () => {
  test('defaults match the product decision', () => {
    assert.equal(DEFAULT_AUTO_LEAVE.waitingRoomTimeoutS, 900);
    assert.equal(DEFAULT_AUTO_LEAVE.nooneJoinedTimeoutS, 900);
    assert.equal(DEFAULT_AUTO_LEAVE.everyoneLeftTimeoutS, 30);
    assert.equal(DEFAULT_AUTO_LEAVE.silenceTimeoutS, 600);
    assert.equal(DEFAULT_AUTO_LEAVE.silenceActivateAfterS, 1200);
    assert.equal(DEFAULT_AUTO_LEAVE.onlyBotsTimeoutS, 60);
    assert.equal(DEFAULT_AUTO_LEAVE.maxDurationS, 14400);
  });

  test('waiting room: stays until the budget is spent', () => {
    const base = { waitingRoomSince: T0 };
    assert.deepEqual(evaluateAutoLeave(cfg, obs({ ...base, now: T0 + 899 * S })), { leave: false });
    assert.deepEqual(evaluateAutoLeave(cfg, obs({ ...base, now: T0 + 900 * S })), {
      leave: true,
      subCode: 'timeout_exceeded_waiting_room',
    });
  });

  test('nobody joined vs everyone left', () => {
    const inCall = { inCallSince: T0 };
    assert.deepEqual(evaluateAutoLeave(cfg, obs({ ...inCall, now: T0 + 900 * S })), {
      leave: true,
      subCode: 'timeout_exceeded_noone_joined',
    });
    const left = { ...inCall, lastParticipantSeenAt: T0 + 100 * S, lastHumanSeenAt: T0 + 100 * S, lastSoundAt: T0 + 100 * S };
    assert.deepEqual(evaluateAutoLeave(cfg, obs({ ...left, now: T0 + 129 * S })), { leave: false });
    assert.deepEqual(evaluateAutoLeave(cfg, obs({ ...left, now: T0 + 130 * S })), {
      leave: true,
      subCode: 'timeout_exceeded_everyone_left',
    });
    // Someone present again: the everyone-left rule does not fire.
    assert.deepEqual(evaluateAutoLeave(cfg, obs({ ...left, participants: ['Ada'], now: T0 + 130 * S })), { leave: false });
  });

  test('only bots present', () => {
    const o = { inCallSince: T0, participants: ['Otter.ai', 'Fireflies Notetaker'], lastParticipantSeenAt: T0 + 70 * S, lastHumanSeenAt: T0 + 10 * S, lastSoundAt: T0 + 70 * S };
    assert.deepEqual(evaluateAutoLeave(cfg, obs({ ...o, now: T0 + 69 * S })), { leave: false });
    assert.deepEqual(evaluateAutoLeave(cfg, obs({ ...o, now: T0 + 70 * S })), {
      leave: true,
      subCode: 'timeout_exceeded_only_bots_detected',
    });
    assert.deepEqual(evaluateAutoLeave(cfg, obs({ ...o, participants: ['Otter.ai', 'Grace'], now: T0 + 70 * S })), { leave: false });
  });

  test('silence only counts after the activation delay', () => {
    const o = { inCallSince: T0, participants: ['Ada'], lastParticipantSeenAt: T0 + 5000 * S, lastHumanSeenAt: T0 + 5000 * S };
    // Silent from the start, but the rule wakes up only at 1200 s.
    assert.deepEqual(evaluateAutoLeave(cfg, obs({ ...o, now: T0 + 1199 * S })), { leave: false });
    assert.deepEqual(evaluateAutoLeave(cfg, obs({ ...o, now: T0 + 1200 * S })), {
      leave: true,
      subCode: 'timeout_exceeded_silence_detected',
    });
    assert.deepEqual(evaluateAutoLeave(cfg, obs({ ...o, lastSoundAt: T0 + 1000 * S, now: T0 + 1599 * S })), { leave: false });
    assert.deepEqual(evaluateAutoLeave(cfg, obs({ ...o, lastSoundAt: T0 + 1000 * S, now: T0 + 1600 * S })), {
      leave: true,
      subCode: 'timeout_exceeded_silence_detected',
    });
  });

  test('max duration wins over everything and counts from joining', () => {
    assert.deepEqual(evaluateAutoLeave(cfg, obs({ waitingRoomSince: T0, now: T0 + 4 * 3600 * S })), {
      leave: true,
      subCode: 'timeout_exceeded_max_duration',
    });
  });

  test('every rule is configurable and can be turned off', () => {
    const custom = resolveAutoLeave({ everyoneLeftTimeoutS: 2, maxDurationS: null, silenceTimeoutS: null });
    const left = { inCallSince: T0, lastParticipantSeenAt: T0, lastHumanSeenAt: T0, lastSoundAt: T0 };
    assert.deepEqual(evaluateAutoLeave(custom, obs({ ...left, now: T0 + 2 * S })), {
      leave: true,
      subCode: 'timeout_exceeded_everyone_left',
    });
    assert.deepEqual(
      evaluateAutoLeave(custom, obs({ inCallSince: T0, participants: ['Ada'], lastParticipantSeenAt: T0, lastHumanSeenAt: T0, now: T0 + 10 * 3600 * S })),
      { leave: false },
    );
  });

  test('bot names match whole words, not substrings', () => {
    assert.equal(isBotName('Otter.ai', cfg.botNameKeywords), true);
    assert.equal(isBotName('Read.ai meeting notes', cfg.botNameKeywords), true);
    assert.equal(isBotName('Abbott', cfg.botNameKeywords), false);
    assert.equal(isBotName('Robot Roberts', ['bot']), false);
  });
});
