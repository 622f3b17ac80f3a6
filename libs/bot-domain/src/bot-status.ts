/**
 * Bot statuses and sub-codes, Recall-compatible (field notes C.1). A status is where the bot is;
 * a sub-code says why it got there. `call_ended` and `fatal` always carry a sub-code, the other
 * statuses never do.
 */
export const BOT_STATUS_CODES = [
  'joining_call',
  'in_waiting_room',
  'in_call_not_recording',
  'in_call_recording',
  'call_ended',
  'done',
  'fatal',
] as const;
export type BotStatusCode = (typeof BOT_STATUS_CODES)[number];

/** Why a call ended: normal ends, auto-leave rules, and being refused or removed. */
export const CALL_ENDED_SUB_CODES = [
  'call_ended_by_host',
  'bot_kicked_from_call',
  'bot_kicked_from_waiting_room',
  'request_to_join_denied',
  'timeout_exceeded_waiting_room',
  'timeout_exceeded_noone_joined',
  'timeout_exceeded_everyone_left',
  'timeout_exceeded_silence_detected',
  'timeout_exceeded_only_bots_detected',
  'timeout_exceeded_max_duration',
  'bot_received_leave_call',
  'recording_stopped_by_participant',
] as const;

/** Why a bot failed: the meeting could not be joined at all, or the bot itself broke. */
export const FATAL_SUB_CODES = [
  'meeting_not_found',
  'meeting_requires_sign_in',
  'bot_blocked_by_platform',
  'bot_errored',
] as const;

export const BOT_SUB_CODES = [...CALL_ENDED_SUB_CODES, ...FATAL_SUB_CODES] as const;
export type CallEndedSubCode = (typeof CALL_ENDED_SUB_CODES)[number];
export type FatalSubCode = (typeof FATAL_SUB_CODES)[number];
export type BotSubCode = CallEndedSubCode | FatalSubCode;

/** One status change. The control plane stores each as an append-only `bot_events` row. */
export interface BotEvent {
  code: BotStatusCode;
  subCode: BotSubCode | null;
  /** ISO 8601 time of the change. */
  at: string;
}

export function isBotStatusCode(value: string): value is BotStatusCode {
  return (BOT_STATUS_CODES as readonly string[]).includes(value);
}

export function isBotSubCode(value: string): value is BotSubCode {
  return (BOT_SUB_CODES as readonly string[]).includes(value);
}

export function isTerminalStatus(code: BotStatusCode): boolean {
  return code === 'done' || code === 'fatal';
}

/**
 * Sub-codes after which `rapport bot join` exits 0: the meeting happened and the bot left for an
 * expected reason. Refusals and removals (denied, kicked, waiting-room timeout) are not normal.
 */
const NORMAL_END_SUB_CODES: ReadonlySet<BotSubCode> = new Set<BotSubCode>([
  'call_ended_by_host',
  'timeout_exceeded_noone_joined',
  'timeout_exceeded_everyone_left',
  'timeout_exceeded_silence_detected',
  'timeout_exceeded_only_bots_detected',
  'timeout_exceeded_max_duration',
  'bot_received_leave_call',
  'recording_stopped_by_participant',
]);

export function isNormalEnd(subCode: BotSubCode | null): boolean {
  return subCode !== null && NORMAL_END_SUB_CODES.has(subCode);
}
