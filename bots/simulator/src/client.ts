import type { Scenario, ScenarioInput } from './scenario';
import type { BotStatus, DenyReason, SimEvent } from './meeting';

/** `POST /_sim/meetings` answer. */
export interface CreatedMeeting {
  code: string;
  /** The real-looking link a bot is given (mapped to the simulator by RAPPORT_PLATFORM_ORIGINS). */
  url: string;
  /** The same meeting on the simulator's own origin. */
  simUrl: string;
}

/** `GET /_sim/meetings/:code`: the meeting's state and ground truth. Times are epoch ms. */
export interface MeetingState {
  code: string;
  /** The validated scenario, defaults filled in; script lines carry their voice and clip length. */
  scenario: Omit<Scenario, 'script'> & {
    script: Array<{ speaker: string; text: string; atMs: number; voice: string; durationMs: number }>;
  };
  botName: string | null;
  botStatus: BotStatus;
  denyReason: DenyReason | null;
  createdAt: number;
  admittedAt: number | null;
  lastSeenAt: number | null;
  chatLog: Array<{ from: string; text: string; at: number }>;
  participants: Array<{ id: string; name: string; voice: string; joinedAt: number | null; leftAt: number | null }>;
  utterances: Array<{ index: number; speaker: string; text: string; startedAt: number; endedAt: number | null }>;
  events: SimEvent[];
}

export type HostAction =
  | { type: 'admit' | 'deny' | 'remove_bot' | 'end' | 'everyone_leave' }
  | { type: 'participant_join' | 'participant_leave'; name: string }
  | { type: 'chat'; from: string; text: string };

/** A typed client for the control API, for tests and benchmarks driving the simulator. */
export class SimulatorClient {
  constructor(readonly origin: string) {}

  async createMeeting(scenario: ScenarioInput = {}): Promise<CreatedMeeting> {
    return this.call<CreatedMeeting>('POST', '/_sim/meetings', { scenario });
  }

  async state(code: string): Promise<MeetingState> {
    return this.call<MeetingState>('GET', `/_sim/meetings/${code}`);
  }

  async act(code: string, action: HostAction): Promise<MeetingState> {
    return this.call<MeetingState>('POST', `/_sim/meetings/${code}/actions`, action);
  }

  /** Polls the state until `predicate` holds; throws with the last state after `timeoutMs`. */
  async waitFor(code: string, predicate: (s: MeetingState) => boolean, timeoutMs = 10_000): Promise<MeetingState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.state(code);
      if (predicate(s)) return s;
      if (Date.now() > deadline) {
        throw new Error(`simulator: condition not met in ${timeoutMs} ms; botStatus=${s.botStatus}, events=${s.events.map((e) => e.type).join(',')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.origin}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as unknown;
    if (!res.ok) {
      const err = json as { code?: string; message?: string };
      throw new Error(`simulator ${method} ${path}: ${res.status} ${err.code ?? ''} ${err.message ?? ''}`.trim());
    }
    return json as T;
  }
}
