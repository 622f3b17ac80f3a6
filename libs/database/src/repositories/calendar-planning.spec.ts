import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type PlanInput, planMeetingBot } from './calendar-planning';

const now = new Date('2026-11-25T10:00:00Z');
const start = new Date('2026-11-25T11:00:00Z');
const end = new Date('2026-11-25T11:30:00Z');
const link = (userId: string, covered = true, cancelled = false) => ({ userId, covered, cancelled, endsAt: end });
const base = (over: Partial<PlanInput>): PlanInput => ({ meetingOwnerId: 'a', start, links: [link('a')], activeBot: null, leadSec: 60, now, ...over });

describe('planMeetingBot', () => {
  test('creates one bot due lead seconds before the start, for the owner when they cover it', () => {
    assert.deepEqual(planMeetingBot(base({ links: [link('b'), link('a')] })), { kind: 'create', userId: 'a', joinAt: new Date('2026-11-25T10:59:00Z') });
  });

  test('a meeting covered only by another linked user gets a bot for that user', () => {
    const action = planMeetingBot(base({ links: [link('a', false), link('b')] }));
    assert.equal(action.kind, 'create');
    assert.equal(action.kind === 'create' && action.userId, 'b');
  });

  test('a meeting already under way gets a bot joining now; one that has ended gets none', () => {
    const during = new Date('2026-11-25T11:10:00Z');
    assert.deepEqual(planMeetingBot(base({ now: during })), { kind: 'create', userId: 'a', joinAt: during });
    assert.deepEqual(planMeetingBot(base({ now: new Date('2026-11-25T12:00:00Z') })), { kind: 'none', reason: 'meeting_over' });
  });

  test('a reschedule moves a scheduled bot; an unchanged one is left alone', () => {
    const bot = { id: 'bot1', userId: 'a', status: 'scheduled', joinAt: new Date('2026-11-25T10:59:00Z') };
    assert.deepEqual(planMeetingBot(base({ activeBot: bot })), { kind: 'none', reason: 'up_to_date' });
    const later = new Date('2026-11-25T15:00:00Z');
    assert.deepEqual(planMeetingBot(base({ activeBot: bot, start: later })), { kind: 'move', botId: 'bot1', joinAt: new Date('2026-11-25T14:59:00Z') });
  });

  test('nobody covering (declined, cancelled, coverage off) cancels a scheduled bot', () => {
    const bot = { id: 'bot1', userId: 'a', status: 'scheduled', joinAt: new Date('2026-11-25T10:59:00Z') };
    assert.deepEqual(planMeetingBot(base({ activeBot: bot, links: [link('a', false), link('b', true, true)] })), { kind: 'cancel', botId: 'bot1', reason: 'not_covered' });
    assert.deepEqual(planMeetingBot(base({ links: [] })), { kind: 'none', reason: 'not_covered' });
  });

  test('a bot already joining or in the call is never changed', () => {
    for (const status of ['joining_call', 'in_waiting_room', 'in_call_recording']) {
      const bot = { id: 'bot1', userId: 'a', status, joinAt: new Date('2026-11-25T10:59:00Z') };
      assert.deepEqual(planMeetingBot(base({ activeBot: bot, links: [] })), { kind: 'none', reason: 'bot_live' });
      assert.deepEqual(planMeetingBot(base({ activeBot: bot, start: new Date('2026-11-25T15:00:00Z') })), { kind: 'none', reason: 'bot_live' });
    }
  });

  test('a scheduled bot whose join time has passed is not moved to "now" over and over', () => {
    const during = new Date('2026-11-25T11:05:00Z');
    const bot = { id: 'bot1', userId: 'a', status: 'scheduled', joinAt: new Date('2026-11-25T11:01:00Z') };
    assert.deepEqual(planMeetingBot(base({ activeBot: bot, now: during })), { kind: 'none', reason: 'up_to_date' });
  });
});
