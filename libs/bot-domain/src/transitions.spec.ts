import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BOT_STATUS_CODES,
  BOT_SUB_CODES,
  BotStateMachine,
  IllegalBotTransitionError,
  assertTransition,
  canTransition,
  isNormalEnd,
} from './index';

describe('bot transitions', () => {
  test('the happy path is legal and yields Recall-shaped events', () => {
    let t = Date.parse('2026-01-01T10:00:00Z');
    const sm = new BotStateMachine(null, () => new Date((t += 1000)));
    sm.transition('joining_call');
    sm.transition('in_waiting_room');
    sm.transition('in_call_not_recording');
    sm.transition('in_call_recording');
    sm.transition('call_ended', 'call_ended_by_host');
    const last = sm.transition('done');
    assert.deepEqual(last, { code: 'done', subCode: null, at: '2026-01-01T10:00:06.000Z' });
    assert.deepEqual(
      sm.events.map((e) => e.code),
      ['joining_call', 'in_waiting_room', 'in_call_not_recording', 'in_call_recording', 'call_ended', 'done'],
    );
    assert.equal(sm.status, 'done');
  });

  test('illegal moves throw a typed error and leave the status unchanged', () => {
    const sm = new BotStateMachine();
    sm.transition('joining_call');
    assert.throws(() => sm.transition('in_call_recording'), IllegalBotTransitionError);
    assert.equal(sm.status, 'joining_call');
    sm.transition('fatal', 'meeting_not_found');
    for (const code of BOT_STATUS_CODES) {
      assert.equal(sm.canTransition(code, code === 'fatal' ? 'bot_errored' : code === 'call_ended' ? 'call_ended_by_host' : null), false);
    }
  });

  test('call_ended and fatal need a sub-code of their own kind; other statuses take none', () => {
    assert.throws(() => assertTransition('in_call_recording', 'call_ended', null), /needs a call-ended sub-code/);
    assert.throws(() => assertTransition('in_call_recording', 'call_ended', 'bot_errored'), /needs a call-ended sub-code/);
    assert.throws(() => assertTransition('joining_call', 'fatal', 'call_ended_by_host'), /needs a fatal sub-code/);
    assert.throws(() => assertTransition('joining_call', 'in_waiting_room', 'bot_errored'), /takes no sub-code/);
    assert.equal(canTransition('in_waiting_room', 'call_ended', 'request_to_join_denied'), true);
    assert.equal(canTransition('in_call_recording', 'fatal', 'bot_errored'), true);
  });

  test('recording can stop without leaving (opt-out), and done only follows call_ended', () => {
    assert.equal(canTransition('in_call_recording', 'in_call_not_recording', null), true);
    assert.equal(canTransition('in_call_recording', 'done', null), false);
    assert.equal(canTransition(null, 'in_call_not_recording', null), false);
  });

  test('every required sub-code exists', () => {
    for (const code of [
      'call_ended_by_host', 'bot_kicked_from_call', 'bot_kicked_from_waiting_room', 'request_to_join_denied',
      'timeout_exceeded_waiting_room', 'timeout_exceeded_noone_joined', 'timeout_exceeded_everyone_left',
      'timeout_exceeded_silence_detected', 'timeout_exceeded_only_bots_detected', 'timeout_exceeded_max_duration',
      'bot_received_leave_call', 'recording_stopped_by_participant', 'meeting_not_found', 'meeting_requires_sign_in',
      'bot_blocked_by_platform', 'bot_errored',
    ]) {
      assert.ok((BOT_SUB_CODES as readonly string[]).includes(code), code);
    }
  });

  test('normal ends are the ones where the meeting happened', () => {
    assert.equal(isNormalEnd('call_ended_by_host'), true);
    assert.equal(isNormalEnd('timeout_exceeded_everyone_left'), true);
    assert.equal(isNormalEnd('request_to_join_denied'), false);
    assert.equal(isNormalEnd('bot_kicked_from_call'), false);
    assert.equal(isNormalEnd(null), false);
  });
});
