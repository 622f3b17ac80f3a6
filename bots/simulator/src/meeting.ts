import { randomBytes } from 'node:crypto';
import type { Scenario } from './scenario';

/** Where the bot is, as the simulated host sees it. */
export type BotStatus = 'not_arrived' | 'prejoin' | 'lobby' | 'in_call' | 'denied' | 'removed' | 'left' | 'ended';
/** Why a bot that asked to join did not get in (`blocked` = "You can't join this video call"). */
export type DenyReason = 'denied' | 'no_response' | 'blocked';

export interface SimEvent {
  type: string;
  /** epoch ms, server clock (page-reported events carry the page's clock in their own fields). */
  at: number;
  [detail: string]: unknown;
}

export interface SimParticipant {
  id: string;
  name: string;
  voice: string;
  /** epoch ms; null while a late joiner has not joined yet. */
  joinedAt: number | null;
  leftAt: number | null;
}

export interface ScriptLine {
  index: number;
  speaker: string;
  text: string;
  atMs: number;
  voice: string;
  durationMs: number;
  audioUrl: string;
}

export interface ChatEntry {
  id: number;
  from: string;
  text: string;
  at: number;
}

export interface Utterance {
  index: number;
  speaker: string;
  text: string;
  startedAt: number;
  endedAt: number | null;
}

const TERMINAL: ReadonlySet<BotStatus> = new Set(['denied', 'removed', 'left', 'ended']);
/** Lobby decisions come this long after "Ask to join" when the scenario names no time. */
export const DEFAULT_ADMIT_AFTER_MS = 1500;

/** A random Meet-shaped code, e.g. `abc-defg-hij` (3-4-3 lowercase letters). */
export function newMeetingCode(): string {
  const bytes = randomBytes(10);
  const letters = Array.from(bytes, (b) => String.fromCharCode(97 + (b % 26))).join('');
  return `${letters.slice(0, 3)}-${letters.slice(3, 7)}-${letters.slice(7, 10)}`;
}

/**
 * One simulated meeting: the host's side of the call. The server is the truth for who is in
 * the call and what happened; the page renders it and reports back what it actually did
 * (join request, clips played, chat sent, dialogs acknowledged, leaving).
 */
export class SimMeeting {
  botName: string | null = null;
  botStatus: BotStatus = 'not_arrived';
  denyReason: DenyReason | null = null;
  admittedAt: number | null = null;
  /** Last time the page polled; lets tests see a page that died without leaving. */
  lastSeenAt: number | null = null;
  /** Counts the views handed out, so the page can drop a poll answer that arrives after a newer one. */
  private viewRevision = 0;
  readonly createdAt = Date.now();
  readonly participants: SimParticipant[];
  readonly chatLog: ChatEntry[] = [];
  readonly utterances: Utterance[] = [];
  readonly events: SimEvent[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextChatId = 1;

  constructor(
    readonly code: string,
    readonly scenario: Scenario,
    readonly script: ScriptLine[],
    voices: Map<string, string>,
  ) {
    let n = 0;
    const participant = (name: string, joinedAt: number | null): SimParticipant => ({
      id: `spaces/${code.replace(/-/g, '')}/devices/${++n + 100}`,
      name,
      voice: voices.get(name) ?? 'en-us',
      joinedAt,
      leftAt: null,
    });
    this.participants = [
      ...scenario.participants.map((p) => participant(p.name, this.createdAt)),
      ...scenario.lateJoiners.map((p) => participant(p.name, null)),
    ];
    this.log('meeting_created');
  }

  get present(): SimParticipant[] {
    return this.participants.filter((p) => p.joinedAt !== null && p.leftAt === null);
  }

  log(type: string, detail: Record<string, unknown> = {}): void {
    this.events.push({ type, at: Date.now(), ...detail });
  }

  pageLoaded(): void {
    this.lastSeenAt = Date.now();
    this.log('page_loaded', { page: this.scenario.page });
    if (this.scenario.page === 'normal' && this.botStatus === 'not_arrived') this.botStatus = 'prejoin';
  }

  /** The page clicked "Ask to join" / "Join now". */
  requestJoin(name: string, micOn: boolean, cameraOn: boolean): void {
    if (this.botStatus !== 'prejoin' && this.botStatus !== 'not_arrived') return;
    this.botName = name;
    this.log('join_requested', { name, micOn, cameraOn });
    if (this.scenario.page === 'blocked') {
      this.setDenied('blocked');
      return;
    }
    if (this.scenario.admission === 'open') {
      this.admit();
      return;
    }
    this.botStatus = 'lobby';
    this.log('lobby_entered');
    const after = this.scenario.admitAfterMs;
    switch (this.scenario.admission) {
      case 'lobby_admit':
        this.after(after ?? DEFAULT_ADMIT_AFTER_MS, () => this.admit());
        break;
      case 'lobby_deny':
        this.after(after ?? DEFAULT_ADMIT_AFTER_MS, () => this.deny());
        break;
      case 'lobby_never':
        // Meet gives up on its own after a while; without a time the bot has to time out itself.
        if (after !== undefined) this.after(after, () => this.setDenied('no_response'));
        break;
    }
  }

  admit(): void {
    if (this.botStatus !== 'lobby' && this.botStatus !== 'prejoin') return;
    this.botStatus = 'in_call';
    this.admittedAt = Date.now();
    this.clearTimers();
    this.log('admitted');
    const s = this.scenario;
    if (s.hostEndsAfterMs !== undefined) this.after(s.hostEndsAfterMs, () => this.end());
    if (s.everyoneLeavesAfterMs !== undefined) this.after(s.everyoneLeavesAfterMs, () => this.everyoneLeave());
    if (s.removeBotAfterMs !== undefined) this.after(s.removeBotAfterMs, () => this.removeBot());
    for (const msg of s.chat) this.after(msg.atMs, () => this.participantChat(msg.from, msg.text));
    for (const late of s.lateJoiners) this.after(late.atMs, () => this.participantJoins(late.name));
  }

  deny(): void {
    if (this.botStatus === 'lobby') this.setDenied('denied');
  }

  removeBot(): void {
    if (this.botStatus !== 'in_call') return;
    this.botStatus = 'removed';
    this.log('bot_removed');
    this.clearTimers();
  }

  end(): void {
    if (TERMINAL.has(this.botStatus)) return;
    const now = Date.now();
    for (const p of this.present) p.leftAt = now;
    this.botStatus = 'ended';
    this.log('meeting_ended');
    this.clearTimers();
  }

  everyoneLeave(): void {
    const now = Date.now();
    for (const p of this.present) {
      p.leftAt = now;
      this.log('participant_left', { name: p.name });
    }
  }

  participantJoins(name: string): void {
    const p = this.participants.find((x) => x.name === name);
    if (!p || (p.joinedAt !== null && p.leftAt === null)) return;
    p.joinedAt = Date.now();
    p.leftAt = null;
    this.log('participant_joined', { name });
  }

  participantLeaves(name: string): void {
    const p = this.present.find((x) => x.name === name);
    if (!p) return;
    p.leftAt = Date.now();
    this.log('participant_left', { name });
  }

  participantChat(from: string, text: string): ChatEntry {
    const entry = { id: this.nextChatId++, from, text, at: Date.now() };
    this.chatLog.push(entry);
    this.log('chat', { from, text });
    return entry;
  }

  /** The bot (the page) sent a chat message; only possible while in the call. */
  botChat(text: string): ChatEntry | null {
    if (this.botStatus !== 'in_call' || this.botName === null) return null;
    return this.participantChat(this.botName, text);
  }

  botLeft(): void {
    if (this.botStatus !== 'in_call' && this.botStatus !== 'lobby') return;
    this.botStatus = 'left';
    this.log('bot_left');
    this.clearTimers();
  }

  utteranceStarted(index: number, startedAt: number): void {
    const line = this.script[index];
    if (!line || this.utterances.some((u) => u.index === index)) return;
    this.utterances.push({ index, speaker: line.speaker, text: line.text, startedAt, endedAt: null });
    this.log('utterance_started', { index, speaker: line.speaker, pageAt: startedAt });
  }

  utteranceEnded(index: number, endedAt: number): void {
    const u = this.utterances.find((x) => x.index === index);
    if (!u || u.endedAt !== null) return;
    u.endedAt = endedAt;
    this.log('utterance_ended', { index, speaker: u.speaker, pageAt: endedAt });
  }

  dispose(): void {
    this.clearTimers();
  }

  /** Ground truth for tests: `GET /_sim/meetings/:code`. */
  state(): Record<string, unknown> {
    return {
      code: this.code,
      scenario: {
        ...this.scenario,
        script: this.script.map(({ speaker, text, atMs, voice, durationMs }) => ({ speaker, text, atMs, voice, durationMs })),
      },
      botName: this.botName,
      botStatus: this.botStatus,
      denyReason: this.denyReason,
      createdAt: this.createdAt,
      admittedAt: this.admittedAt,
      lastSeenAt: this.lastSeenAt,
      chatLog: this.chatLog.map(({ from, text, at }) => ({ from, text, at })),
      participants: this.participants.map(({ id, name, voice, joinedAt, leftAt }) => ({ id, name, voice, joinedAt, leftAt })),
      utterances: this.utterances.map((u) => ({ ...u })),
      events: this.events.map((e) => ({ ...e })),
    };
  }

  /** What the page needs to render; polled by the page a few times a second. */
  view(): Record<string, unknown> {
    this.lastSeenAt = Date.now();
    return {
      revision: ++this.viewRevision,
      serverNow: this.lastSeenAt,
      page: this.scenario.page,
      admission: this.scenario.admission,
      devicePrompt: this.scenario.devicePrompt,
      dialogs: [
        ...(this.scenario.recordingDialog ? ['recording'] : []),
        ...(this.scenario.geminiDialog ? ['gemini'] : []),
      ],
      botName: this.botName,
      botStatus: this.botStatus,
      denyReason: this.denyReason,
      admittedAt: this.admittedAt,
      participants: this.present.map(({ id, name }) => ({ id, name })),
      chat: this.chatLog,
      script: this.script.map(({ index, speaker, text, atMs, durationMs, audioUrl }) => ({ index, speaker, text, atMs, durationMs, audioUrl })),
    };
  }

  private setDenied(reason: DenyReason): void {
    this.botStatus = 'denied';
    this.denyReason = reason;
    this.log(reason === 'blocked' ? 'blocked' : reason === 'no_response' ? 'lobby_timed_out' : 'denied');
    this.clearTimers();
  }

  private after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
