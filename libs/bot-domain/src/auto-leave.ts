import type { CallEndedSubCode } from './bot-status';

/**
 * Auto-leave rules (field notes C.5), every one configurable per bot. Times are in seconds;
 * `null` turns a rule off.
 */
export interface AutoLeaveConfig {
  /** Leave when still in the waiting room after this long. */
  waitingRoomTimeoutS: number | null;
  /** Leave when no other participant has appeared this long after entering the call. */
  nooneJoinedTimeoutS: number | null;
  /** Leave when everyone else has been gone this long (after someone was there). */
  everyoneLeftTimeoutS: number | null;
  /** Leave after this much continuous silence... */
  silenceTimeoutS: number | null;
  /** ...but only once the bot has been in the call this long. */
  silenceActivateAfterS: number;
  /** Leave when only bots (names matching `botNameKeywords`) have been present this long. */
  onlyBotsTimeoutS: number | null;
  /** Word sequences that mark a participant name as a bot, matched case-insensitively. */
  botNameKeywords: string[];
  /** Leave after this long from the start of joining, whatever happens. */
  maxDurationS: number | null;
}

export const DEFAULT_AUTO_LEAVE: Readonly<AutoLeaveConfig> = Object.freeze({
  waitingRoomTimeoutS: 900,
  nooneJoinedTimeoutS: 900,
  everyoneLeftTimeoutS: 30,
  silenceTimeoutS: 600,
  silenceActivateAfterS: 1200,
  onlyBotsTimeoutS: 60,
  botNameKeywords: ['bot', 'notetaker', 'note taker', 'recorder', 'otter', 'fireflies', 'fathom', 'read ai', 'tl dv'],
  maxDurationS: 4 * 3600,
});

export function resolveAutoLeave(partial: Partial<AutoLeaveConfig> | undefined): AutoLeaveConfig {
  return { ...DEFAULT_AUTO_LEAVE, botNameKeywords: [...DEFAULT_AUTO_LEAVE.botNameKeywords], ...(partial ?? {}) };
}

/**
 * What the bot has seen so far. All times are epoch milliseconds; the runtime keeps these
 * up to date and asks {@link evaluateAutoLeave} on every tick.
 */
export interface AutoLeaveObservation {
  now: number;
  /** When the bot started joining (max duration counts from here). */
  joinStartedAt: number;
  /** Set while the bot is in the waiting room: when it got there. */
  waitingRoomSince: number | null;
  /** Set once the bot is in the call: when it got in. */
  inCallSince: number | null;
  /** Names of the other participants present now (never the bot itself). */
  participants: readonly string[];
  /** Last time at least one other participant was present, or null if nobody ever was. */
  lastParticipantSeenAt: number | null;
  /** Last time at least one other participant who is not a bot was present. */
  lastHumanSeenAt: number | null;
  /** Last time sound (or a speaking indicator) was observed, or null if never. */
  lastSoundAt: number | null;
}

export type AutoLeaveDecision = { leave: false } | { leave: true; subCode: CallEndedSubCode };

function normalizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** True when `name` contains one of `keywords` as a whole-word sequence ("Otter.ai" matches "otter"). */
export function isBotName(name: string, keywords: readonly string[]): boolean {
  const words = normalizeWords(name);
  return keywords.some((keyword) => {
    const kw = normalizeWords(keyword);
    if (kw.length === 0) return false;
    for (let i = 0; i + kw.length <= words.length; i++) {
      if (kw.every((w, j) => words[i + j] === w)) return true;
    }
    return false;
  });
}

function exceeded(since: number | null, now: number, timeoutS: number | null): boolean {
  return since !== null && timeoutS !== null && now - since >= timeoutS * 1000;
}

/**
 * Pure auto-leave decision. Rules are checked in a fixed order so that the most specific reason
 * wins: max duration, waiting room, nobody joined, everyone left, only bots, silence.
 */
export function evaluateAutoLeave(config: AutoLeaveConfig, o: AutoLeaveObservation): AutoLeaveDecision {
  if (exceeded(o.joinStartedAt, o.now, config.maxDurationS)) {
    return { leave: true, subCode: 'timeout_exceeded_max_duration' };
  }
  if (o.inCallSince === null) {
    if (exceeded(o.waitingRoomSince, o.now, config.waitingRoomTimeoutS)) {
      return { leave: true, subCode: 'timeout_exceeded_waiting_room' };
    }
    return { leave: false };
  }
  const present = o.participants.length > 0;
  if (o.lastParticipantSeenAt === null) {
    if (exceeded(o.inCallSince, o.now, config.nooneJoinedTimeoutS)) {
      return { leave: true, subCode: 'timeout_exceeded_noone_joined' };
    }
  } else if (!present && exceeded(o.lastParticipantSeenAt, o.now, config.everyoneLeftTimeoutS)) {
    return { leave: true, subCode: 'timeout_exceeded_everyone_left' };
  }
  if (present && o.participants.every((name) => isBotName(name, config.botNameKeywords))) {
    if (exceeded(o.lastHumanSeenAt ?? o.inCallSince, o.now, config.onlyBotsTimeoutS)) {
      return { leave: true, subCode: 'timeout_exceeded_only_bots_detected' };
    }
  }
  if (config.silenceTimeoutS !== null && o.now - o.inCallSince >= config.silenceActivateAfterS * 1000) {
    const quietSince = Math.max(o.lastSoundAt ?? o.inCallSince, o.inCallSince);
    if (exceeded(quietSince, o.now, config.silenceTimeoutS)) {
      return { leave: true, subCode: 'timeout_exceeded_silence_detected' };
    }
  }
  return { leave: false };
}
