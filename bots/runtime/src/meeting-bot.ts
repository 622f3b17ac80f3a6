import type { Page } from 'puppeteer-core';
import type { Logger } from 'pino';
import type { CallEndedSubCode, FatalSubCode } from '@rapport/bot-domain';

/** Where the bot is in the meeting, as one look at the page tells. */
export type MeetingPhase =
  | { kind: 'pre_join' }
  | { kind: 'waiting_room' }
  /** Admitted, with a positive signal (another participant, or in-call-only signals), never from call controls alone. */
  | { kind: 'in_call'; participants: string[] }
  | { kind: 'ended'; subCode: CallEndedSubCode }
  | { kind: 'fatal'; subCode: FatalSubCode; detail?: string };

/** What page observers report; `at` is epoch ms taken in the page. */
export type PageEvent =
  | { type: 'participant_joined' | 'participant_left'; name: string; at: number }
  | { type: 'speaking_started' | 'speaking_stopped'; name: string; at: number }
  | { type: 'caption'; speaker: string; text: string; at: number }
  | { type: 'chat'; from: string; text: string; self: boolean; at: number };

export interface BotSession {
  page: Page;
  botName: string;
  log: Logger;
  /** Main-frame navigations the guard refused, newest last (a sign-in redirect lands here). */
  blockedNavigations: readonly string[];
  /** Name of the page function (exposed by the runtime) that observers call with a PageEvent. */
  emitFunction: string;
  /**
   * Aborted when the bot is asked to leave (API, SIGTERM). Platform code stops every wait of the
   * join flow when it fires and returns; the runtime then leaves with `bot_received_leave_call`.
   */
  signal?: AbortSignal;
}

/**
 * What each platform implements (`bots/<platform>/src/<platform>.bot.ts`, with its `selectors.ts`
 * and `states.ts`). The runtime owns statuses, audio, consent, auto-leave and the watchdog; the
 * platform bot only knows its pages.
 */
export interface MeetingBot {
  readonly platform: string;
  /** Hosts the bot may navigate to (`*.` = any subdomain). */
  readonly hosts: readonly string[];
  /**
   * Opens the (already origin-mapped) URL and gets through the pre-join screen. Returns promptly
   * (any phase; the runtime looks at the signal first) once `session.signal` is aborted.
   */
  requestToJoin(session: BotSession, url: string): Promise<MeetingPhase>;
  /**
   * One look at the page. Before admission it checks lobby texts first and reports `in_call`
   * only on a positive signal; once `admitted`, the call controls are enough to stay in call.
   */
  readPhase(session: BotSession, admitted: boolean): Promise<MeetingPhase>;
  /** Acknowledges platform dialogs (recording, transcription, AI notes); returns their texts. */
  dismissDialogs(session: BotSession): Promise<string[]>;
  /** Turns the platform's captions on; false when it could not. */
  enableCaptions(session: BotSession): Promise<boolean>;
  /** Installs page observers that call `session.emitFunction` with PageEvents. */
  observe(session: BotSession): Promise<void>;
  /** Posts a chat message to everyone; false when it could not be posted. */
  sendChatMessage(session: BotSession, text: string): Promise<boolean>;
  /** Leaves the call through the platform's own control. */
  leave(session: BotSession): Promise<void>;
}
