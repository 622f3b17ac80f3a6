import type { ElementHandle } from 'puppeteer-core';
import {
  clickFirst,
  exists,
  findFirst,
  findPageText,
  sleep,
  normalizeUiText,
  UI_TEXT_FOLDS,
  unlessAborted,
  type BotSession,
  type MeetingBot,
  type MeetingPhase,
  type UiTextFolds,
} from '@rapport/bot-runtime';
import { installMeetObserver } from './meet-observer';
import { ALONE_IN_CALL_TEXTS, MEET_HOSTS, OBSERVER_CSS, SELECTORS, USER_CONTENT_CSS } from './selectors';
import { admissionVerdict, ALL_SCREEN_TEXTS, peopleCountFromLabel, screenForText, type AdmissionSignals } from './states';

/** Reads in a row (500 ms apart in the runtime) that must show the bot alone in the call. */
const ALONE_READS_TO_ADMIT = 2;

export interface MeetBotOptions {
  /** How long the pre-join screen may take before giving up. */
  preJoinTimeoutMs?: number;
  /** A speaking indicator must stay off this long to end a turn (dated from when it went off). */
  speakingStopDebounceMs?: number;
}

/**
 * Google Meet as a guest (field notes B.1): device prompt, name, mic and camera off, "Ask to
 * join" or "Join now", lobby, admission proven by another participant or by in-call-only signals
 * around the bot's own tile (nobody else there yet), dialogs, captions, chat.
 */
export class MeetBot implements MeetingBot {
  readonly platform = 'google_meet';
  readonly hosts = MEET_HOSTS;
  private readonly preJoinTimeoutMs: number;
  private readonly stopDebounceMs: number;
  /** Consecutive reads, once admitted, without call controls and without an end screen. */
  private controlsMissing = 0;
  /** Consecutive pre-admission reads that showed the bot alone in the call (see admissionVerdict). */
  private aloneReads = 0;

  constructor(options: MeetBotOptions = {}) {
    this.preJoinTimeoutMs = options.preJoinTimeoutMs ?? 60000;
    this.stopDebounceMs = options.speakingStopDebounceMs ?? 400;
  }

  async requestToJoin(s: BotSession, url: string): Promise<MeetingPhase> {
    // A leave request (s.signal) cuts every wait short; the runtime then leaves the call.
    const leaving: MeetingPhase = { kind: 'pre_join' };
    const aborted = () => s.signal?.aborted === true;
    if (aborted()) return leaving;
    try {
      const opened = await unlessAborted(s.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 30000 }), s.signal, leaving);
      if (opened === leaving) {
        s.log.info('leave requested while the meeting page was loading');
        return leaving;
      }
    } catch (err) {
      const refused = this.refusedNavigation(s);
      if (refused) return refused;
      throw err;
    }
    const deadline = Date.now() + this.preJoinTimeoutMs;
    let nameTyped = false;
    while (Date.now() < deadline) {
      if (aborted()) {
        s.log.info('leave requested on the join screen');
        return leaving;
      }
      const refused = this.refusedNavigation(s);
      if (refused) return refused;
      const terminal = await this.terminalScreen(s);
      if (terminal) return terminal;
      if (await this.isSignInWall(s)) return { kind: 'fatal', subCode: 'meeting_requires_sign_in' };

      if (await clickFirst(s.page, SELECTORS.devicePromptContinue)) {
        s.log.info('device prompt: continue without microphone and camera');
        await sleep(200, s.signal);
        continue;
      }
      if (!nameTyped) {
        const input = await findFirst(s.page, SELECTORS.nameInput);
        if (input) {
          await this.typeName(input, s.botName);
          nameTyped = true;
        }
      }
      await this.devicesOff(s);
      const join = await findFirst(s.page, SELECTORS.joinButton);
      if (join) {
        const disabled = await join.evaluate((el) => (el as HTMLButtonElement).disabled || el.getAttribute('aria-disabled') === 'true');
        if (!disabled) {
          const label = await join.evaluate((el) => (el as HTMLElement).innerText.trim());
          await join.click();
          await join.dispose();
          // A prompt drawn over the button swallows the click: only a button that went away counts.
          if (await this.joinButtonGone(s)) {
            s.log.info({ button: label }, 'asked to join');
            return { kind: 'pre_join' };
          }
          if (aborted()) continue;
          s.log.warn({ button: label }, 'join click had no effect; looking again');
          continue;
        }
        await join.dispose();
      }
      await sleep(250, s.signal);
    }
    if (aborted()) return leaving;
    s.log.error('pre-join screen: no usable join button');
    return { kind: 'fatal', subCode: 'bot_errored', detail: 'join button not found' };
  }

  async readPhase(s: BotSession, admitted: boolean): Promise<MeetingPhase> {
    const refused = this.refusedNavigation(s);
    if (refused) return refused;
    const text = await findPageText(s.page, ALL_SCREEN_TEXTS, USER_CONTENT_CSS);
    const screen = screenForText(text);
    if (screen?.kind === 'fatal') return { kind: 'fatal', subCode: screen.subCode };
    if (screen?.kind === 'ended') return { kind: 'ended', subCode: screen.subCode };
    if (screen?.kind === 'lobby') {
      if (admitted) return { kind: 'in_call', participants: await this.participants(s) };
      this.aloneReads = 0;
      return { kind: 'waiting_room' };
    }
    if (!admitted && (await this.isSignInWall(s))) return { kind: 'fatal', subCode: 'meeting_requires_sign_in' };

    const participants = await this.participants(s);
    if (admitted) {
      // Once in, the call controls are enough. The page may be switching to an end screen
      // between our reads: look at the texts again, and call a control bar that stays gone for
      // a few ticks without any end text a removal.
      if (await exists(s.page, SELECTORS.leaveCall)) {
        this.controlsMissing = 0;
        return { kind: 'in_call', participants };
      }
      const again = await this.terminalScreen(s);
      if (again) return again;
      this.controlsMissing += 1;
      if (this.controlsMissing >= 3) return { kind: 'ended', subCode: 'bot_kicked_from_call' };
      return { kind: 'in_call', participants };
    }
    // Lobby texts are gone (checked above). Admitted when someone else is there, or when only
    // in-call signals surround the bot's own tile: an open meeting nobody else has joined yet.
    const verdict = participants.length > 0 ? 'in_call' : admissionVerdict(await this.admissionSignals(s, 0));
    if (verdict === 'in_call') {
      this.aloneReads = 0;
      return { kind: 'in_call', participants };
    }
    if (verdict === 'alone_in_call') {
      this.aloneReads += 1;
      if (this.aloneReads >= ALONE_READS_TO_ADMIT) {
        s.log.info('alone in the call: no lobby text, in-call controls only, People = 1');
        return { kind: 'in_call', participants };
      }
      return { kind: 'pre_join' };
    }
    this.aloneReads = 0;
    return { kind: 'pre_join' };
  }

  async dismissDialogs(s: BotSession): Promise<string[]> {
    const acknowledged: string[] = [];
    for (let i = 0; i < 5; i++) {
      const dialog = await findFirst(s.page, SELECTORS.noticeDialog);
      if (!dialog) break;
      const title = await dialog.evaluate((el) => {
        const id = el.getAttribute('aria-labelledby');
        const heading = (id && document.getElementById(id)) || el.querySelector('h1,h2,[role="heading"]');
        return (heading?.textContent ?? (el as HTMLElement).innerText).trim().slice(0, 200);
      });
      const ok = await dialog.evaluateHandle(
        (el, alternatives, folds) => {
          const apostrophes = new RegExp(`[${folds.apostrophes}]`, 'g');
          const quotes = new RegExp(`[${folds.quotes}]`, 'g');
          const norm = (t: string) => t.replace(apostrophes, "'").replace(quotes, '"').replace(/\s+/g, ' ').trim().toLowerCase();
          for (const alt of alternatives) {
            for (const b of Array.from(el.querySelectorAll(alt.css))) {
              const t = norm((b as HTMLElement).innerText);
              if (!alt.text || alt.text.some((x) => norm(x) === t)) return b;
            }
          }
          return null;
        },
        SELECTORS.dialogOk,
        UI_TEXT_FOLDS,
      );
      const button = ok.asElement() as ElementHandle<Element> | null;
      await dialog.dispose();
      if (!button) {
        await ok.dispose();
        break;
      }
      await button.click();
      await button.dispose();
      s.log.info({ dialog: title }, 'acknowledged platform dialog');
      acknowledged.push(title);
      await sleep(150);
    }
    return acknowledged;
  }

  async enableCaptions(s: BotSession): Promise<boolean> {
    if (await exists(s.page, SELECTORS.captionsOn)) return true;
    if (!(await clickFirst(s.page, SELECTORS.captionsOff))) return false;
    for (let i = 0; i < 20; i++) {
      if (await exists(s.page, SELECTORS.captionsOn)) return true;
      await sleep(100);
    }
    return false;
  }

  async observe(s: BotSession): Promise<void> {
    await s.page.evaluate(installMeetObserver, OBSERVER_CSS, s.emitFunction, s.botName, this.stopDebounceMs);
  }

  /** Opens the chat panel, types, sends, and confirms the message is in the list. */
  async sendChatMessage(s: BotSession, text: string): Promise<boolean> {
    let input = await findFirst(s.page, SELECTORS.chatInput);
    if (!input) {
      if (!(await clickFirst(s.page, SELECTORS.chatButton))) return false;
      for (let i = 0; i < 30 && !input; i++) {
        await sleep(100);
        input = await findFirst(s.page, SELECTORS.chatInput);
      }
    }
    if (!input) return false;
    await input.click();
    await input.dispose();
    // Meet caps messages at 500 characters. One insertText (an input event, like a paste) instead
    // of a key event per character: the notice is up sooner, and so is the recording.
    await s.page.keyboard.sendCharacter(text.slice(0, 500));
    if (!(await clickFirst(s.page, SELECTORS.chatSend))) await s.page.keyboard.press('Enter');
    const wanted = normalizeUiText(text.slice(0, 500));
    for (let i = 0; i < 50; i++) {
      const seen = await s.page.evaluate(
        (css: string, t: string, folds: UiTextFolds) => {
          const apostrophes = new RegExp(`[${folds.apostrophes}]`, 'g');
          const quotes = new RegExp(`[${folds.quotes}]`, 'g');
          const norm = (x: string) => x.replace(apostrophes, "'").replace(quotes, '"').replace(/\s+/g, ' ').trim().toLowerCase();
          return Array.from(document.querySelectorAll(css)).some((m) => norm(m.textContent ?? '').includes(t));
        },
        OBSERVER_CSS.chatMessage,
        wanted,
        UI_TEXT_FOLDS,
      );
      if (seen) return true;
      await sleep(100);
    }
    return false;
  }

  async leave(s: BotSession): Promise<void> {
    if (!(await clickFirst(s.page, SELECTORS.leaveCall))) return;
    await sleep(300);
    await clickFirst(s.page, SELECTORS.leaveConfirm);
    s.log.info('left the call');
  }

  private async joinButtonGone(s: BotSession): Promise<boolean> {
    for (let i = 0; i < 20 && !s.signal?.aborted; i++) {
      await sleep(100, s.signal);
      if (!(await exists(s.page, SELECTORS.joinButton))) return true;
    }
    return false;
  }

  private refusedNavigation(s: BotSession): MeetingPhase | null {
    const last = s.blockedNavigations[s.blockedNavigations.length - 1];
    if (!last) return null;
    const host = new URL(last).hostname;
    // Meet sends guests of sign-in-only meetings to the Google Account login.
    if (host === 'accounts.google.com' || host.endsWith('.accounts.google.com')) {
      return { kind: 'fatal', subCode: 'meeting_requires_sign_in', detail: last };
    }
    return { kind: 'fatal', subCode: 'bot_errored', detail: `refused navigation to ${last}` };
  }

  private async terminalScreen(s: BotSession): Promise<MeetingPhase | null> {
    const screen = screenForText(await findPageText(s.page, ALL_SCREEN_TEXTS, USER_CONTENT_CSS));
    if (screen?.kind === 'fatal') return { kind: 'fatal', subCode: screen.subCode };
    if (screen?.kind === 'ended') return { kind: 'ended', subCode: screen.subCode };
    return null;
  }

  private async isSignInWall(s: BotSession): Promise<boolean> {
    if (!(await exists(s.page, SELECTORS.signInHeading, false))) return false;
    return (await findPageText(s.page, ['Google Account', 'to continue to Google Meet'])) !== null;
  }

  private async typeName(input: ElementHandle<Element>, name: string): Promise<void> {
    await input.click({ count: 3 });
    await input.type(name, { delay: 5 });
    await input.dispose();
  }

  private async devicesOff(s: BotSession): Promise<void> {
    for (const sel of [SELECTORS.microphoneOn, SELECTORS.cameraOn]) {
      if (await clickFirst(s.page, sel)) await sleep(100, s.signal);
    }
  }

  /** Other participants' names from their tiles (never the self view). */
  private async participants(s: BotSession): Promise<string[]> {
    return s.page.evaluate(
      (css: typeof OBSERVER_CSS, botName: string) => {
        const names = new Set<string>();
        document.querySelectorAll(css.tile).forEach((tile) => {
          if (tile.querySelector(css.selfMarker) || tile.matches(css.selfMarker)) return;
          const name = (tile.querySelector(css.tileName)?.textContent ?? '').replace(/\s+/g, ' ').trim();
          if (name && name !== botName) names.add(name);
        });
        return [...names];
      },
      OBSERVER_CSS,
      s.botName,
    );
  }

  private async admissionSignals(s: BotSession, otherParticipants: number): Promise<AdmissionSignals> {
    let inCallOnlyControls = 0;
    for (const alt of SELECTORS.inCallOnlyControls) if (await exists(s.page, [alt])) inCallOnlyControls += 1;
    return {
      otherParticipants,
      peopleCount: await this.peopleCount(s),
      aloneText: (await findPageText(s.page, ALONE_IN_CALL_TEXTS, USER_CONTENT_CSS)) !== null,
      selfTile: await exists(s.page, SELECTORS.selfTile, false),
      leaveCall: await exists(s.page, SELECTORS.leaveCall),
      inCallOnlyControls,
      joinScreen: (await exists(s.page, SELECTORS.joinButton)) || (await exists(s.page, SELECTORS.nameInput)),
    };
  }

  /** The People button's count, or null when there is none (pre-join, lobby). */
  private async peopleCount(s: BotSession): Promise<number | null> {
    const el = await findFirst(s.page, SELECTORS.peopleButton, false);
    if (!el) return null;
    const label = await el.evaluate((b) => b.getAttribute('aria-label') ?? '');
    const badge = await el.evaluate((b) => b.querySelector('[data-avatar-count]')?.getAttribute('data-avatar-count') ?? null);
    await el.dispose();
    return peopleCountFromLabel(badge) ?? peopleCountFromLabel(label);
  }
}
