import type { PageEvent } from './meeting-bot';

export interface TimelineEntry {
  type: 'participant_joined' | 'participant_left' | 'speaking_started' | 'speaking_stopped';
  name: string;
  /** Milliseconds from the start of the recording (negative: before it started). */
  atMs: number;
}

export interface SpeakerTurn {
  speaker: string;
  startMs: number;
  endMs: number;
}

export interface CaptionEntry {
  speaker: string;
  text: string;
  atMs: number;
}

export interface TimelineDocument {
  recordingStartedAt: string | null;
  events: TimelineEntry[];
  speakerTurns: SpeakerTurn[];
}

/**
 * Collects page events with absolute times and renders them relative to the recording start,
 * which is known only once ffmpeg reports it. Speaker turns pair each start with its stop; a
 * turn still open at the end closes at `endAt`.
 */
export class TimelineRecorder {
  private readonly raw: Array<Exclude<PageEvent, { type: 'chat' | 'caption' }>> = [];
  private readonly rawCaptions: Array<Extract<PageEvent, { type: 'caption' }>> = [];

  add(event: PageEvent): void {
    if (event.type === 'chat') return;
    if (event.type === 'caption') this.rawCaptions.push(event);
    else this.raw.push(event);
  }

  clear(): void {
    this.raw.length = 0;
    this.rawCaptions.length = 0;
  }

  timeline(recordingStartedAt: number | null, endAt: number): TimelineDocument {
    const base = recordingStartedAt ?? 0;
    const sorted = [...this.raw].sort((a, b) => a.at - b.at);
    const events: TimelineEntry[] = sorted.map((e) => ({ type: e.type, name: e.name, atMs: e.at - base }));
    const open = new Map<string, number>();
    const turns: SpeakerTurn[] = [];
    const close = (name: string, at: number) => {
      const start = open.get(name);
      if (start === undefined) return;
      open.delete(name);
      const s = Math.max(0, start - base);
      const e = at - base;
      if (recordingStartedAt === null || e > s) turns.push({ speaker: name, startMs: s, endMs: e });
    };
    for (const e of sorted) {
      if (e.type === 'speaking_started') {
        if (!open.has(e.name)) open.set(e.name, e.at);
      } else if (e.type === 'speaking_stopped' || e.type === 'participant_left') {
        close(e.name, e.at);
      }
    }
    for (const name of [...open.keys()]) close(name, endAt);
    turns.sort((a, b) => a.startMs - b.startMs);
    return {
      recordingStartedAt: recordingStartedAt === null ? null : new Date(recordingStartedAt).toISOString(),
      events,
      speakerTurns: turns,
    };
  }

  captions(recordingStartedAt: number | null): CaptionEntry[] {
    const base = recordingStartedAt ?? 0;
    return [...this.rawCaptions].sort((a, b) => a.at - b.at).map((c) => ({ speaker: c.speaker, text: c.text, atMs: c.at - base }));
  }
}
