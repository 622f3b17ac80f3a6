import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { Logger } from 'pino';
import {
  BotStateMachine,
  evaluateAutoLeave,
  findOptOutPhrase,
  isBotName,
  isTerminalStatus,
  lateJoinerNotice,
  lateJoinersToNotify,
  newConsentLedger,
  type BotEvent,
  type BotOptions,
  type BotStatusCode,
  type BotSubCode,
  type ConsentLedger,
} from '@rapport/bot-domain';
import { AudioRecorder, RECORDING_EXT } from './audio-recorder';
import { launchBrowser } from './browser';
import { DEFAULT_WATCHDOG, MediaWatchdog, type WatchdogConfig } from './media-watchdog';
import type { BotSession, MeetingBot, MeetingPhase, PageEvent } from './meeting-bot';
import { installNavigationGuard } from './navigation-guard';
import { mapPlatformUrl } from './platform-origins';
import { sleep, withTimeout } from './process-util';
import { createNullSink, ensurePulseAudio, removeNullSink, type NullSink, type PulseEnv } from './pulse-audio';
import { readRuntimeEnv, type RuntimeEnv } from './runtime-env';
import { TimelineRecorder } from './timeline';

export interface RunBotOptions {
  bot: MeetingBot;
  /** Used for the sink name and logs; letters, digits, `_` and `-`. */
  botId: string;
  /** The meeting link on the real platform; RAPPORT_PLATFORM_ORIGINS may map it elsewhere. */
  meetingUrl: string;
  outDir: string;
  options: BotOptions;
  log: Logger;
  env?: RuntimeEnv;
  onEvent?: (event: BotEvent) => void;
  /** Called once Chromium runs (the bot runner records the pid; tests kill it). */
  onBrowser?: (info: { pid: number }) => void;
  /** Aborting asks the bot to leave (`bot_received_leave_call`). */
  signal?: AbortSignal;
  tickMs?: number;
  /** Give up when the pre-join screen does not lead anywhere (join button never found). */
  preJoinTimeoutMs?: number;
  watchdog?: WatchdogConfig;
  segmentSeconds?: number;
}

export interface BotRunResult {
  events: BotEvent[];
  final: BotEvent;
  recordingPath: string | null;
  outDir: string;
  /** Segments kept when they could not be joined (fatal paths keep whatever was recorded). */
  segmentPaths: string[];
}

const EMIT_FUNCTION = '__rapportEmit';

/**
 * Runs one bot through one meeting: statuses through the transition table, audio plumbing,
 * consent notice before any recording, opt-out, auto-leave, media watchdog, output files.
 * Platform specifics stay behind {@link MeetingBot}.
 */
export async function runBot(opts: RunBotOptions): Promise<BotRunResult> {
  return new BotRun(opts).run();
}

class BotRun {
  private readonly sm = new BotStateMachine();
  private readonly env: RuntimeEnv;
  private readonly log: Logger;
  private readonly timeline = new TimelineRecorder();
  private readonly ledger: ConsentLedger;
  private readonly blocked: string[] = [];
  private readonly watchdog: MediaWatchdog;
  private readonly pendingChat: Array<Extract<PageEvent, { type: 'chat' }>> = [];
  private readonly seenParticipants = new Set<string>();
  private pulse: PulseEnv | null = null;
  private sink: NullSink | null = null;
  private browser: Browser | null = null;
  private page: Page | null = null;
  private browserAlive = false;
  private userDataDir: string | null = null;
  private recorder: AudioRecorder | null = null;
  private recordingDeleted = false;
  private joinStartedAt = Date.now();
  private waitingRoomSince: number | null = null;
  private inCallSince: number | null = null;
  private participants: string[] = [];
  private lastParticipantSeenAt: number | null = null;
  private lastHumanSeenAt: number | null = null;
  private lastSpeechAt: number | null = null;
  /** After a failed late-joiner notice, the next try waits until then. */
  private lateNoticeRetryAt = 0;

  constructor(private readonly opts: RunBotOptions) {
    this.env = opts.env ?? readRuntimeEnv();
    this.log = opts.log.child({ botId: opts.botId });
    this.ledger = newConsentLedger(opts.options.consent.noticeText);
    this.watchdog = new MediaWatchdog(opts.watchdog ?? DEFAULT_WATCHDOG);
  }

  private get status(): BotStatusCode | null {
    return this.sm.status;
  }

  private emit(code: BotStatusCode, subCode: BotSubCode | null = null): void {
    const event = this.sm.transition(code, subCode);
    this.log.info({ code, subCode }, 'status');
    this.opts.onEvent?.(event);
  }

  private session(): BotSession {
    if (!this.page) throw new Error('no page');
    return {
      page: this.page,
      botName: this.opts.options.botName,
      log: this.log,
      blockedNavigations: this.blocked,
      emitFunction: EMIT_FUNCTION,
      signal: this.opts.signal,
    };
  }

  async run(): Promise<BotRunResult> {
    mkdirSync(this.opts.outDir, { recursive: true });
    this.joinStartedAt = Date.now();
    this.emit('joining_call');
    let recordingPath: string | null = null;
    try {
      await this.launch();
      const url = mapPlatformUrl(this.opts.meetingUrl, this.env.platformOrigins);
      this.log.info({ url }, 'opening meeting');
      const first = await this.opts.bot.requestToJoin(this.session(), url);
      await this.lifecycle(first);
    } catch (err) {
      this.log.error({ err }, 'bot failed');
      if (!isTerminalStatus(this.status ?? 'joining_call') && this.status !== 'call_ended') this.emit('fatal', 'bot_errored');
    } finally {
      recordingPath = await this.writeOutputs();
      await this.teardown();
    }
    if (this.status === 'call_ended') this.emit('done');
    const events = [...this.sm.events];
    return {
      events,
      final: events[events.length - 1],
      recordingPath,
      outDir: this.opts.outDir,
      segmentPaths: this.recorder && !recordingPath && !this.recordingDeleted ? this.recorder.segmentFiles() : [],
    };
  }

  private async launch(): Promise<void> {
    this.pulse = await ensurePulseAudio(this.env);
    this.sink = await createNullSink(this.pulse, this.opts.botId);
    this.userDataDir = mkdtempSync(join(tmpdir(), 'rapport-chromium-'));
    const launched = await launchBrowser({
      executablePath: this.env.chromiumPath,
      env: { ...this.pulse, PULSE_SINK: this.sink.name },
      userDataDir: this.userDataDir,
    });
    this.browser = launched.browser;
    this.page = launched.page;
    this.browserAlive = true;
    launched.browser.on('disconnected', () => (this.browserAlive = false));
    launched.browser.process()?.on('exit', () => (this.browserAlive = false));
    this.log.info({ pid: launched.pid, sink: this.sink.name }, 'chromium started');
    this.opts.onBrowser?.({ pid: launched.pid });
    await installNavigationGuard(launched.page, this.opts.bot.hosts, this.env.platformOrigins, (url) => {
      this.blocked.push(url);
      this.log.warn({ url }, 'refused navigation outside the platform');
    });
    await launched.page.exposeFunction(EMIT_FUNCTION, (event: PageEvent) => this.onPageEvent(event));
  }

  private onPageEvent(event: PageEvent): void {
    this.timeline.add(event);
    if (event.type === 'speaking_started' || event.type === 'caption') this.lastSpeechAt = Math.max(this.lastSpeechAt ?? 0, event.at);
    if (event.type === 'chat' && !event.self) this.pendingChat.push(event);
    if (event.type === 'participant_joined' && this.ledger.noticePostedAt && !this.seenParticipants.has(event.name)) {
      this.noteParticipant(event.name, event.at);
    }
  }

  private noteParticipant(name: string, at: number): void {
    if (this.seenParticipants.has(name) || name === this.opts.options.botName) return;
    this.seenParticipants.add(name);
    if (this.ledger.noticePostedAt) this.ledger.lateJoiners.push({ name, joinedAt: new Date(at).toISOString(), notifiedAt: null });
  }

  private async pageResponsive(timeoutMs = 3000): Promise<boolean> {
    if (!this.page) return false;
    return withTimeout(
      this.page.evaluate(() => 1).then(() => true, () => false),
      timeoutMs,
      false,
    );
  }

  private async lifecycle(initial: MeetingPhase): Promise<void> {
    const tickMs = this.opts.tickMs ?? 500;
    const preJoinTimeoutMs = this.opts.preJoinTimeoutMs ?? 90000;
    const autoLeave = this.opts.options.autoLeave;
    let phase: MeetingPhase | null = initial;
    for (;;) {
      const now = Date.now();
      const inCall = this.status === 'in_call_not_recording' || this.status === 'in_call_recording';

      const verdict = this.watchdog.check({
        now,
        bytesWritten: this.recorder?.running ? this.recorder.bytesWritten() : null,
        pageResponsive: phase !== null || (await this.pageResponsive()),
        browserAlive: this.browserAlive,
      });
      if (!verdict.ok) {
        this.log.error({ reason: verdict.reason }, 'media watchdog: bot is not alive');
        this.emit('fatal', 'bot_errored');
        return;
      }

      if (this.opts.signal?.aborted) {
        await this.leaveCall();
        this.emit('call_ended', 'bot_received_leave_call');
        return;
      }

      if (phase) {
        switch (phase.kind) {
          case 'fatal':
            this.log.warn({ subCode: phase.subCode, detail: phase.detail }, 'cannot join');
            this.emit('fatal', phase.subCode);
            return;
          case 'ended':
            this.emit('call_ended', phase.subCode);
            return;
          case 'waiting_room':
            if (this.status === 'joining_call') {
              this.waitingRoomSince = now;
              this.emit('in_waiting_room');
            }
            break;
          case 'in_call':
            this.updateParticipants(phase.participants, now);
            if (!inCall) {
              this.inCallSince = now;
              this.waitingRoomSince = null;
              this.emit('in_call_not_recording');
              const started = await this.startRecording();
              if (!started) return;
            }
            break;
          case 'pre_join':
            if (this.status === 'joining_call' && now - this.joinStartedAt > preJoinTimeoutMs) {
              this.log.error('the join screen never led to the lobby or the call');
              this.emit('fatal', 'bot_errored');
              return;
            }
            break;
        }
      }

      if (this.inCallSince !== null) {
        if (await this.handleOptOut()) return;
        await this.notifyLateJoiners(now);
        await this.opts.bot.dismissDialogs(this.session()).then(
          (texts) => this.acknowledge(texts),
          () => undefined,
        );
      }

      const decision = evaluateAutoLeave(autoLeave, {
        now,
        joinStartedAt: this.joinStartedAt,
        waitingRoomSince: this.waitingRoomSince,
        inCallSince: this.inCallSince,
        participants: this.participants,
        lastParticipantSeenAt: this.lastParticipantSeenAt,
        lastHumanSeenAt: this.lastHumanSeenAt,
        lastSoundAt: this.lastSoundAt(now),
      });
      if (decision.leave) {
        this.log.info({ subCode: decision.subCode }, 'auto-leave');
        await this.leaveCall();
        this.emit('call_ended', decision.subCode);
        return;
      }

      await sleep(tickMs, this.opts.signal);
      const admitted = this.inCallSince !== null;
      phase = this.browserAlive ? await withTimeout(this.opts.bot.readPhase(this.session(), admitted).catch(() => null), 10000, null) : null;
    }
  }

  private lastSoundAt(now: number): number | null {
    const fromAudio = this.recorder?.lastSoundAt(now) ?? null;
    if (fromAudio === null) return this.lastSpeechAt;
    return Math.max(fromAudio, this.lastSpeechAt ?? 0);
  }

  private updateParticipants(names: string[], now: number): void {
    const others = names.filter((n) => n !== this.opts.options.botName);
    this.participants = others;
    if (others.length) this.lastParticipantSeenAt = now;
    if (others.some((n) => !isBotName(n, this.opts.options.autoLeave.botNameKeywords))) this.lastHumanSeenAt = now;
    for (const name of others) this.noteParticipant(name, now);
  }

  private acknowledge(texts: string[]): void {
    for (const text of texts) this.ledger.platformDialogsAcknowledged.push({ text, at: new Date().toISOString() });
  }

  /**
   * Consent first: dialogs acknowledged, observers on, captions on, then the notice in chat.
   * No notice, no recording: the bot leaves and ends `fatal/bot_errored` (it could not do its
   * job), with the ledger showing the notice was never posted. Returns false once the bot has
   * ended; true otherwise (a leave request arriving meanwhile skips the notice and recording).
   */
  private async startRecording(): Promise<boolean> {
    const session = this.session();
    this.acknowledge(await this.opts.bot.dismissDialogs(session).catch(() => []));
    await this.opts.bot.observe(session);
    const captions = await this.opts.bot.enableCaptions(session).catch(() => false);
    if (!captions) this.log.warn('captions could not be turned on; the timeline still has speaking indicators');
    // Asked to leave meanwhile: no notice, no recording; the next tick leaves (bot_received_leave_call).
    if (this.opts.signal?.aborted) return true;
    const posted = await this.opts.bot.sendChatMessage(session, this.opts.options.consent.noticeText).catch((err: unknown) => {
      this.log.error({ err }, 'posting the notice failed');
      return false;
    });
    if (!posted) {
      this.log.error('the recording notice could not be posted: not recording');
      await this.leaveCall();
      this.emit('fatal', 'bot_errored');
      return false;
    }
    this.ledger.noticePostedAt = new Date().toISOString();
    this.ledger.participantsAtNotice = [...this.participants];
    for (const name of this.participants) this.seenParticipants.add(name);
    if (!this.pulse || !this.sink) throw new Error('audio is not set up');
    this.recorder = new AudioRecorder({
      source: this.sink.monitor,
      dir: this.opts.outDir,
      pulse: this.pulse,
      log: this.log,
      segmentSeconds: this.opts.segmentSeconds ?? 5,
    });
    const startedAt = await this.recorder.start();
    this.log.info({ recordingStartedAt: new Date(startedAt).toISOString() }, 'recording');
    this.emit('in_call_recording');
    return true;
  }

  /**
   * People who joined after the notice did not see it: post it again naming them (debounced by
   * `lateJoinerNoticeDelayS`), and record when. A failed post is retried 10 s later; the
   * recording goes on (everyone present at the start was told, and the ledger shows who was not).
   */
  private async notifyLateJoiners(now: number): Promise<void> {
    if (now < this.lateNoticeRetryAt || this.recordingDeleted) return;
    const { noticeText, lateJoinerNoticeDelayS } = this.opts.options.consent;
    const names = lateJoinersToNotify(this.ledger, lateJoinerNoticeDelayS, now);
    if (!names.length) return;
    const posted = await this.opts.bot.sendChatMessage(this.session(), lateJoinerNotice(names, noticeText)).catch(() => false);
    if (!posted) {
      this.lateNoticeRetryAt = now + 10_000;
      this.log.warn({ names }, 'the notice for late joiners could not be posted; trying again in 10 s');
      return;
    }
    const at = new Date().toISOString();
    for (const j of this.ledger.lateJoiners) if (j.notifiedAt === null && names.includes(j.name)) j.notifiedAt = at;
    this.log.info({ names }, 'notice posted again for late joiners');
  }

  /** Opt-out in chat: stop, delete everything recorded, say so, leave. */
  private async handleOptOut(): Promise<boolean> {
    const phrases = this.opts.options.consent.optOutPhrases;
    while (this.pendingChat.length) {
      const message = this.pendingChat.shift() as Extract<PageEvent, { type: 'chat' }>;
      if (!findOptOutPhrase(message.text, phrases)) continue;
      this.log.info({ from: message.from }, 'opt-out requested in chat');
      this.ledger.optOut = { from: message.from || null, text: message.text, at: new Date(message.at).toISOString() };
      if (this.recorder) await this.recorder.discard();
      this.recordingDeleted = true;
      this.ledger.recordingDeleted = true;
      this.timeline.clear();
      if (this.status === 'in_call_recording') this.emit('in_call_not_recording');
      await this.opts.bot.sendChatMessage(this.session(), this.opts.options.consent.optOutReplyText).catch(() => false);
      await this.leaveCall();
      this.emit('call_ended', 'recording_stopped_by_participant');
      return true;
    }
    return false;
  }

  private async leaveCall(): Promise<void> {
    if (!this.page || !this.browserAlive) return;
    // A page still loading (or hung) has no Leave call to click, and every look at it would wait
    // for the load: close it instead of waiting out the 10 s below.
    if (!(await this.pageResponsive(1000))) {
      this.log.warn('page not answering: closing it without Leave call');
      return;
    }
    await withTimeout(this.opts.bot.leave(this.session()).catch((err: unknown) => this.log.warn({ err }, 'leave failed')), 10000, undefined);
  }

  /** Recording, timeline, captions, consent ledger. Fatal paths keep whatever was recorded. */
  private async writeOutputs(): Promise<string | null> {
    const endAt = Date.now();
    let recordingPath: string | null = null;
    if (this.recorder && !this.recordingDeleted) {
      recordingPath = await this.recorder.finalize().catch((err: unknown) => {
        this.log.error({ err }, 'finalising the recording failed');
        return null;
      });
    }
    const dir = this.opts.outDir;
    const write = (name: string, value: unknown) => writeFileSync(join(dir, name), JSON.stringify(value, null, 2) + '\n');
    if (!this.recordingDeleted) {
      const startedAt = this.recorder?.startedAt ?? null;
      write('timeline.json', this.timeline.timeline(startedAt, endAt));
      write('captions.json', this.timeline.captions(startedAt));
    } else {
      for (const f of ['timeline.json', 'captions.json', `recording.${RECORDING_EXT}`]) rmSync(join(dir, f), { force: true });
    }
    write('consent.json', this.ledger);
    return recordingPath;
  }

  private async teardown(): Promise<void> {
    if (this.browser) {
      const proc = this.browser.process();
      await withTimeout(this.browser.close().catch(() => undefined), 5000, undefined);
      if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
    if (this.pulse && this.sink) await removeNullSink(this.pulse, this.sink);
    if (this.userDataDir) rmSync(this.userDataDir, { recursive: true, force: true });
  }
}
