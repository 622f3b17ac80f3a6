import {
  CALL_ENDED_SUB_CODES,
  FATAL_SUB_CODES,
  type BotEvent,
  type BotStatusCode,
  type BotSubCode,
} from './bot-status';

/**
 * Legal moves. `null` is "no status yet" (a created bot). Any live status may go to `fatal`;
 * `done` and `fatal` are terminal. Recording may stop without leaving (opt-out, then leave).
 */
export const BOT_TRANSITIONS: Readonly<Record<BotStatusCode | 'created', readonly BotStatusCode[]>> = {
  created: ['joining_call', 'fatal'],
  joining_call: ['in_waiting_room', 'in_call_not_recording', 'call_ended', 'fatal'],
  in_waiting_room: ['in_call_not_recording', 'call_ended', 'fatal'],
  in_call_not_recording: ['in_call_recording', 'call_ended', 'fatal'],
  in_call_recording: ['in_call_not_recording', 'call_ended', 'fatal'],
  call_ended: ['done', 'fatal'],
  done: [],
  fatal: [],
};

export class IllegalBotTransitionError extends Error {
  constructor(
    readonly from: BotStatusCode | null,
    readonly to: BotStatusCode,
    readonly subCode: BotSubCode | null,
    reason: string,
  ) {
    super(`illegal bot transition ${from ?? 'created'} -> ${to}${subCode ? `/${subCode}` : ''}: ${reason}`);
    this.name = 'IllegalBotTransitionError';
  }
}

/** Throws {@link IllegalBotTransitionError} unless `from -> to/subCode` is allowed. */
export function assertTransition(from: BotStatusCode | null, to: BotStatusCode, subCode: BotSubCode | null): void {
  const allowed = BOT_TRANSITIONS[from ?? 'created'];
  if (!allowed.includes(to)) throw new IllegalBotTransitionError(from, to, subCode, 'not in the transition table');
  if (to === 'call_ended') {
    if (subCode === null || !(CALL_ENDED_SUB_CODES as readonly string[]).includes(subCode)) {
      throw new IllegalBotTransitionError(from, to, subCode, 'call_ended needs a call-ended sub-code');
    }
  } else if (to === 'fatal') {
    if (subCode === null || !(FATAL_SUB_CODES as readonly string[]).includes(subCode)) {
      throw new IllegalBotTransitionError(from, to, subCode, 'fatal needs a fatal sub-code');
    }
  } else if (subCode !== null) {
    throw new IllegalBotTransitionError(from, to, subCode, `${to} takes no sub-code`);
  }
}

export function canTransition(from: BotStatusCode | null, to: BotStatusCode, subCode: BotSubCode | null): boolean {
  try {
    assertTransition(from, to, subCode);
    return true;
  } catch (err) {
    if (err instanceof IllegalBotTransitionError) return false;
    throw err;
  }
}

/**
 * The status of one bot, changed only through the transition table. Each accepted change is
 * returned as a {@link BotEvent} and kept in `events` (append-only).
 */
export class BotStateMachine {
  private current: BotStatusCode | null;
  private readonly history: BotEvent[] = [];

  constructor(initial: BotStatusCode | null = null, private readonly clock: () => Date = () => new Date()) {
    this.current = initial;
  }

  get status(): BotStatusCode | null {
    return this.current;
  }

  get events(): readonly BotEvent[] {
    return this.history;
  }

  /** The sub-code of the latest event, if any. */
  get lastSubCode(): BotSubCode | null {
    return this.history.length ? this.history[this.history.length - 1].subCode : null;
  }

  transition(to: BotStatusCode, subCode: BotSubCode | null = null): BotEvent {
    assertTransition(this.current, to, subCode);
    const event: BotEvent = { code: to, subCode, at: this.clock().toISOString() };
    this.current = to;
    this.history.push(event);
    return event;
  }

  canTransition(to: BotStatusCode, subCode: BotSubCode | null = null): boolean {
    return canTransition(this.current, to, subCode);
  }
}
