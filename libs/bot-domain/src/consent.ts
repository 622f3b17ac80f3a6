/** The recording notice the bot posts in the meeting chat, and the phrases that make it stop. */
export interface ConsentConfig {
  /** Posted in the meeting chat before recording starts. Meet caps chat messages at 500 chars. */
  noticeText: string;
  /** A chat message containing one of these (case-insensitive, whole words) stops the recording. */
  optOutPhrases: string[];
  /** Posted after an opt-out, just before the bot leaves. */
  optOutReplyText: string;
}

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
  };
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
  lateJoiners: Array<{ name: string; joinedAt: string }>;
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
