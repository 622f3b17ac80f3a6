/** The recording notice the bot posts in the meeting chat, and the phrases that make it stop. */
export interface ConsentConfig {
  /** Posted in the meeting chat before recording starts. Meet caps chat messages at 500 chars. */
  noticeText: string;
  /** A chat message containing one of these (case-insensitive, whole words) stops the recording. */
  optOutPhrases: string[];
  /** Posted after an opt-out, just before the bot leaves. */
  optOutReplyText: string;
  /**
   * People who join after the notice did not see it (Meet shows a late joiner no earlier chat):
   * the notice is posted again, naming them, this long after the first of them joined, so a
   * group arriving together gets one message. Null: never repeated.
   */
  lateJoinerNoticeDelayS: number | null;
}

export const DEFAULT_LATE_JOINER_NOTICE_DELAY_S = 15;

export const DEFAULT_OPT_OUT_PHRASES: readonly string[] = ['stop recording'];

export function defaultNoticeText(optOutPhrases: readonly string[] = DEFAULT_OPT_OUT_PHRASES): string {
  const phrases = optOutPhrases.map((p) => `"${p}"`).join(' or ');
  return (
    'Rapport is recording and transcribing this meeting to give communication feedback. ' +
    `To opt out, type ${phrases} in this chat: the recording will be deleted and the bot will leave.`
  );
}

export const DEFAULT_OPT_OUT_REPLY =
  'Recording stopped at a participant\u2019s request. Everything recorded in this meeting has been deleted. Leaving now.';

export const MAX_CHAT_MESSAGE_CHARS = 500;

export function resolveConsent(partial: Partial<ConsentConfig> | undefined): ConsentConfig {
  const optOutPhrases = partial?.optOutPhrases ?? [...DEFAULT_OPT_OUT_PHRASES];
  return {
    noticeText: partial?.noticeText ?? defaultNoticeText(optOutPhrases),
    optOutPhrases,
    optOutReplyText: partial?.optOutReplyText ?? DEFAULT_OPT_OUT_REPLY,
    lateJoinerNoticeDelayS: partial?.lateJoinerNoticeDelayS === undefined ? DEFAULT_LATE_JOINER_NOTICE_DELAY_S : partial.lateJoinerNoticeDelayS,
  };
}

function listNames(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max);
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} other${rest === 1 ? '' : 's'}`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : (shown[0] ?? '');
}

/**
 * The notice again for people who joined after it, greeting them by name ("Welcome Grace and
 * Linus: <notice>"), within the chat limit: without the names when they do not fit.
 */
export function lateJoinerNotice(names: readonly string[], noticeText: string): string {
  const named = `Welcome ${listNames(names)}: ${noticeText}`;
  return names.length && named.length <= MAX_CHAT_MESSAGE_CHARS ? named : noticeText;
}

function words(text: string): string {
  return ` ${text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;
}

/** The opt-out phrase found in `message`, matched as whole words ignoring case and punctuation. */
export function findOptOutPhrase(message: string, phrases: readonly string[]): string | null {
  const haystack = words(message);
  for (const phrase of phrases) {
    const needle = words(phrase);
    if (needle.trim() && haystack.includes(needle)) return phrase;
  }
  return null;
}

/** The per-meeting consent ledger, written as consent.json and kept by the control plane. */
export interface ConsentLedger {
  noticeText: string;
  /** ISO time the notice was posted; null when it could not be posted (then nothing is recorded). */
  noticePostedAt: string | null;
  channel: 'meeting_chat';
  participantsAtNotice: string[];
  /** Who joined after the notice, and when the notice was posted again for them (null: not yet / never). */
  lateJoiners: Array<{ name: string; joinedAt: string; notifiedAt: string | null }>;
  platformDialogsAcknowledged: Array<{ text: string; at: string }>;
  optOut: { from: string | null; text: string; at: string } | null;
  recordingDeleted: boolean;
}

export function newConsentLedger(noticeText: string): ConsentLedger {
  return {
    noticeText,
    noticePostedAt: null,
    channel: 'meeting_chat',
    participantsAtNotice: [],
    lateJoiners: [],
    platformDialogsAcknowledged: [],
    optOut: null,
    recordingDeleted: false,
  };
}

/**
 * The late joiners to post the notice again for now: every one not yet notified, once the first
 * of them has been in the meeting `delayS` (so people arriving together get one message).
 */
export function lateJoinersToNotify(ledger: ConsentLedger, delayS: number | null, now: number): string[] {
  if (delayS === null || !ledger.noticePostedAt) return [];
  const pending = ledger.lateJoiners.filter((j) => j.notifiedAt === null);
  if (!pending.length) return [];
  const first = Math.min(...pending.map((j) => Date.parse(j.joinedAt)));
  return now - first >= delayS * 1000 ? [...new Set(pending.map((j) => j.name))] : [];
}
