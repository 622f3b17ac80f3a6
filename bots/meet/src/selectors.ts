import type { Selector } from '@rapport/bot-runtime';

/**
 * Google Meet selectors and texts (field notes B.1, from Attendee, Vexa, screenapp, MeetingBot).
 * Each is a list of alternatives, most stable first: aria-labels and visible texts under the
 * pinned en-US UI, then jsname/data attributes. Never obfuscated class names: they churn.
 * Pinned by selectors.spec.ts against the simulator's saved pages.
 */
export const MEET_HOSTS = ['meet.google.com'] as const;

export const NOT_FOUND_TEXTS = [
  'Check your meeting code',
  'Invalid video call name',
  'Your meeting code has expired',
  'The meeting code you entered doesn’t work',
] as const;

export const BLOCKED_TEXTS = ["You can't join this video call", "You can't join this meeting", 'There is a problem connecting to this video call'] as const;

/**
 * Lobby (waiting room). Checked before any in-call signal. Meet mixes typographic and straight
 * apostrophes between builds; every matcher folds them (UI_TEXT_FOLDS in @rapport/bot-runtime).
 */
export const LOBBY_TEXTS = [
  'Asking to be let in',
  'You’ll join the call when someone lets you in',
  'Please wait until a meeting host brings you into the call',
  'admits you to the call',
  'Waiting for the host to join',
] as const;

export const DENIED_TEXTS = ['Someone in the call denied your request to join', 'You can’t join this call because someone denied your request'] as const;
export const LOBBY_TIMEOUT_TEXTS = ['No one responded to your request to join the call'] as const;
export const REMOVED_TEXTS = ['You’ve been removed from the meeting', 'You have been removed from the meeting'] as const;
export const HOST_ENDED_TEXTS = ['Your host ended the meeting for everyone', 'The host ended the meeting', 'Meeting ended', 'Call ended'] as const;
export const SELF_LEFT_TEXTS = ['You left the meeting'] as const;

/** "You're the only one here": a positive in-call signal when nobody else is in an open meeting. */
export const ALONE_IN_CALL_TEXTS = ['You’re the only one here', 'No one else is here'] as const;

/** Participant-authored content (chat, captions, toasts): never read state texts from there. */
export const USER_CONTENT_CSS = [
  '[data-message-id]',
  '[role="complementary"]',
  '[role="region"][aria-label="Captions"]',
  '[aria-live="polite"]',
] as const;

export const SELECTORS = {
  signInHeading: [
    { css: 'h1#headingText', text: ['Sign in'] },
    { css: 'h1', text: ['Sign in'], exact: true },
    { css: 'input[type="email"][name="identifier"]' },
  ],
  devicePromptContinue: [
    { css: 'button', text: ['Continue without microphone and camera'], exact: true },
    { css: '[role="button"]', text: ['Continue without microphone and camera'] },
  ],
  nameInput: [
    { css: 'input[type="text"][aria-label="Your name"]' },
    { css: 'input[type="text"][placeholder*="name" i]' },
    { css: 'input[jsname][type="text"]' },
  ],
  microphoneOn: [
    { css: '[aria-label^="Turn off microphone"]' },
    { css: '[role="button"][data-is-muted="false"][aria-label*="microphone" i]' },
  ],
  cameraOn: [
    { css: '[aria-label^="Turn off camera"]' },
    { css: '[role="button"][data-is-muted="false"][aria-label*="camera" i]' },
  ],
  joinButton: [
    {
      css: 'button',
      text: ['Ask to join', 'Join now', 'Ask to join anyway', 'Join the call now', 'Join anyway', 'Join here too', 'Switch here'],
      exact: true,
    },
  ],
  leaveCall: [
    { css: 'button[jsname="CQylAd"][aria-label="Leave call"]' },
    { css: 'button[aria-label="Leave call"]' },
    { css: 'button[aria-label^="Leave call"]' },
  ],
  leaveConfirm: [{ css: 'button', text: ['Just leave the meeting', 'Just leave the call'], exact: true }],
  peopleButton: [{ css: 'button[aria-label^="People"]' }],
  /**
   * Controls Meet draws only inside the call, never on the pre-join screen or in the lobby
   * (whose control bar has microphone, camera and "Leave call" only): captions and chat.
   */
  inCallOnlyControls: [
    { css: 'button[aria-label^="Turn on captions"]' },
    { css: 'button[aria-label^="Turn off captions"]' },
    { css: 'button[aria-label^="Chat with everyone"]' },
  ],
  /** The bot's own tile (or the lobby's self preview: both carry `data-participant-id`). */
  selfTile: [{ css: '[data-participant-id] [data-self-name]' }, { css: '[data-participant-id][data-self-name]' }],
  /** Modal dialogs Meet shows after joining; acknowledged with their OK / "Got it" button. */
  noticeDialog: [
    {
      css: 'div[role="dialog"][aria-modal="true"]',
      text: [
        'This video call is being recorded',
        'This video call is being transcribed',
        'Gemini is taking notes',
        'Others may see your video differently',
        'being recorded',
        'taking notes',
      ],
    },
  ],
  dialogOk: [
    { css: 'button[data-mdc-dialog-action="ok"]' },
    { css: 'button', text: ['Got it', 'OK', 'Dismiss'], exact: true },
  ],
  captionsOff: [{ css: 'button[aria-label="Turn on captions"]' }, { css: 'button[aria-label^="Turn on captions"]' }],
  captionsOn: [{ css: 'button[aria-label="Turn off captions"]' }, { css: 'button[aria-label^="Turn off captions"]' }],
  chatButton: [
    { css: 'button[aria-label="Chat with everyone"]' },
    { css: 'button[aria-label^="Chat with everyone"]' },
    { css: 'button[aria-label*="chat" i]' },
  ],
  chatInput: [
    { css: 'textarea[aria-label="Send a message"]' },
    { css: 'textarea[aria-label="Send a message to everyone"]' },
    { css: 'textarea[placeholder*="message" i]' },
  ],
  chatSend: [
    { css: 'button[aria-label="Send a message"]' },
    { css: 'button[aria-label="Send message"]' },
    { css: 'button[jsname="SoqoBf"]' },
  ],
} satisfies Record<string, Selector>;

/**
 * Plain CSS the in-page observers use (they run inside the page, where only strings travel).
 * Participant tiles carry `data-participant-id`; the self view does too (a known trap, Vexa
 * admission.ts), so tiles containing `[data-self-name]` are skipped.
 */
export const OBSERVER_CSS = {
  tile: '[data-participant-id]',
  selfMarker: '[data-self-name]',
  tileName: 'span.notranslate, [data-participant-name]',
  audioLevel: '[data-audio-level]',
  captionsRegion: 'div[role="region"][aria-label="Captions"]',
  captionSpeaker: '.notranslate, [data-speaker-name]',
  chatMessage: '[data-message-id]',
  chatSenderAttr: 'data-sender-name',
  chatText: '[jsname="dTKtvb"]',
} as const;
