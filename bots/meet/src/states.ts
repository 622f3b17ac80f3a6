import type { CallEndedSubCode, FatalSubCode } from '@rapport/bot-domain';
import { normalizeUiText } from '@rapport/bot-runtime';
import {
  BLOCKED_TEXTS,
  DENIED_TEXTS,
  HOST_ENDED_TEXTS,
  LOBBY_TEXTS,
  LOBBY_TIMEOUT_TEXTS,
  NOT_FOUND_TEXTS,
  REMOVED_TEXTS,
  SELF_LEFT_TEXTS,
} from './selectors';

/**
 * What each Meet screen text means for the bot's status. Order matters: terminal screens first,
 * then the lobby (checked before any in-call signal, field notes B.1 step 10).
 */
export type MeetScreen =
  | { kind: 'fatal'; subCode: FatalSubCode }
  | { kind: 'ended'; subCode: CallEndedSubCode }
  | { kind: 'lobby' };

export const SCREEN_TEXTS: ReadonlyArray<{ texts: readonly string[]; screen: MeetScreen }> = [
  { texts: NOT_FOUND_TEXTS, screen: { kind: 'fatal', subCode: 'meeting_not_found' } },
  { texts: BLOCKED_TEXTS, screen: { kind: 'fatal', subCode: 'bot_blocked_by_platform' } },
  { texts: DENIED_TEXTS, screen: { kind: 'ended', subCode: 'request_to_join_denied' } },
  { texts: LOBBY_TIMEOUT_TEXTS, screen: { kind: 'ended', subCode: 'timeout_exceeded_waiting_room' } },
  { texts: REMOVED_TEXTS, screen: { kind: 'ended', subCode: 'bot_kicked_from_call' } },
  { texts: HOST_ENDED_TEXTS, screen: { kind: 'ended', subCode: 'call_ended_by_host' } },
  // Only reached when the bot did not leave by itself (e.g. a dialog's "Leave meeting").
  { texts: SELF_LEFT_TEXTS, screen: { kind: 'ended', subCode: 'bot_kicked_from_call' } },
  { texts: LOBBY_TEXTS, screen: { kind: 'lobby' } },
];

/** All state texts, in checking order, for one pass over the page text. */
export const ALL_SCREEN_TEXTS: readonly string[] = SCREEN_TEXTS.flatMap((s) => s.texts);

/**
 * The screen a state text stands for; apostrophes, quotes, case and spacing do not matter
 * ("You've been removed…" and "You’ve been removed…" are the same screen).
 */
export function screenForText(text: string | null): MeetScreen | null {
  if (text === null) return null;
  const wanted = normalizeUiText(text);
  for (const entry of SCREEN_TEXTS) if (entry.texts.some((t) => normalizeUiText(t) === wanted)) return entry.screen;
  return null;
}

/** Parses the People button label ("People - 3 joined", "People (3)") into a count. */
export function peopleCountFromLabel(label: string | null): number | null {
  if (!label) return null;
  const m = /(\d+)/.exec(label);
  return m ? Number.parseInt(m[1], 10) : null;
}

/** What one look at the page shows about admission, once no lobby or end text is on screen. */
export interface AdmissionSignals {
  /** Tiles of other participants (never the self view). */
  otherParticipants: number;
  /** The People button's count (it counts the bot), or null when there is no People button. */
  peopleCount: number | null;
  /** Meet's own "You’re the only one here" card. */
  aloneText: boolean;
  /** The bot's own tile (the lobby's self preview carries the same markers). */
  selfTile: boolean;
  /** "Leave call" (the lobby shows it too). */
  leaveCall: boolean;
  /** How many in-call-only controls (captions, chat) are on screen. */
  inCallOnlyControls: number;
  /** The join button or the name field is still there. */
  joinScreen: boolean;
}

/**
 * `in_call`: admitted, proven by someone else or by Meet's own words. `alone_in_call`: no lobby
 * text, no join screen, and only in-call controls around the bot's own tile with People = 1;
 * the caller confirms it on a second read before believing it (a lobby screen may be
 * half-drawn). `not_admitted`: anything else. Call controls alone never count: the lobby has
 * "Leave call" and a self preview with `data-participant-id` as well.
 */
export type AdmissionVerdict = 'in_call' | 'alone_in_call' | 'not_admitted';

export function admissionVerdict(s: AdmissionSignals): AdmissionVerdict {
  if (s.otherParticipants > 0 || (s.peopleCount ?? 0) >= 2) return 'in_call';
  if (s.joinScreen) return 'not_admitted';
  if (s.aloneText) return 'in_call';
  if (s.peopleCount === 1 && s.selfTile && s.leaveCall && s.inCallOnlyControls > 0) return 'alone_in_call';
  return 'not_admitted';
}
