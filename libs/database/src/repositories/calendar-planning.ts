/**
 * What one canonical meeting needs from the bot control plane, given every linked user's
 * calendar event and the meeting's active bot. Pure, so the rules are testable without a
 * database:
 * - some linked user covers it and it has not ended → exactly one bot, due `lead` before start
 *   (or now, when that moment has passed);
 * - a bot still `scheduled` is moved to the new join time (a reschedule) or cancelled when
 *   nobody covers the meeting any more (cancelled, declined, coverage off, disconnected);
 * - a bot past `scheduled` (joining, in the call, ended) is never touched.
 */
export interface PlanLink {
  userId: string;
  covered: boolean;
  cancelled: boolean;
  endsAt: Date;
}

export interface PlanBot {
  id: string;
  userId: string;
  status: string;
  joinAt: Date;
}

export interface PlanInput {
  meetingOwnerId: string;
  start: Date;
  links: PlanLink[];
  /** The meeting's bot that is not done/fatal/cancelled, if any. */
  activeBot: PlanBot | null;
  leadSec: number;
  now: Date;
}

export type PlanAction =
  | { kind: 'create'; userId: string; joinAt: Date }
  | { kind: 'move'; botId: string; joinAt: Date }
  | { kind: 'cancel'; botId: string; reason: 'not_covered' | 'meeting_over' }
  | { kind: 'none'; reason: 'bot_live' | 'up_to_date' | 'not_covered' | 'meeting_over' };

export function planMeetingBot(input: PlanInput): PlanAction {
  const covering = input.links.filter((l) => l.covered && !l.cancelled);
  const bot = input.activeBot;
  if (bot && bot.status !== 'scheduled') return { kind: 'none', reason: 'bot_live' };
  const upcoming = covering.filter((l) => l.endsAt.getTime() > input.now.getTime());
  if (covering.length === 0 || upcoming.length === 0) {
    const reason = covering.length === 0 ? 'not_covered' : 'meeting_over';
    return bot ? { kind: 'cancel', botId: bot.id, reason } : { kind: 'none', reason };
  }
  const due = input.start.getTime() - input.leadSec * 1000;
  const joinAt = new Date(Math.max(due, input.now.getTime()));
  if (!bot) {
    // The meeting's owner when they cover it (their key, their view), else the first who does.
    const userId = upcoming.some((l) => l.userId === input.meetingOwnerId) ? input.meetingOwnerId : upcoming[0].userId;
    return { kind: 'create', userId, joinAt };
  }
  // A bot due in the past stays as it is: the dispatcher is on it.
  if (bot.joinAt.getTime() === due || (due < input.now.getTime() && bot.joinAt.getTime() <= input.now.getTime())) {
    return { kind: 'none', reason: 'up_to_date' };
  }
  return { kind: 'move', botId: bot.id, joinAt };
}
