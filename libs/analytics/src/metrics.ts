import type { Transcript } from './transcript';
import { buildTimeline, type Timeline } from './timeline';

/** Meeting-level metrics. Definitions: docs/metrics.md. */
export interface MeetingMetrics {
  /** `durationSec` from the input, or the last utterance end if that is later (or none given). */
  durationSec: number;
  /** Time with ≥ 2 speakers talking over time with ≥ 1; 0 when nobody spoke. */
  overlapShare: number;
  /** Gini coefficient of talkTimeSec across all listed speakers (0 = equal, (N−1)/N = one talker). */
  talkTimeGini: number;
  /** Floor transfers between different speakers per minute of meeting. */
  speakerSwitchesPerMinute: number;
}

/** Per-speaker metrics. Nullable fields are null when there is nothing to measure them on. */
export interface SpeakerMetrics {
  id: string;
  name: string;
  /** Union of the speaker's own utterance intervals, seconds. */
  talkTimeSec: number;
  /** talkTimeSec over the sum of all speakers' talkTimeSec (overlap counts for each speaker). */
  talkTimeShare: number;
  wordCount: number;
  /** wordCount per minute of talkTimeSec; null when talkTimeSec is 0. */
  wordsPerMinute: number | null;
  /** Fillers per 100 words; null when wordCount is 0. */
  fillerWordsPer100: number | null;
  /** Runs of question marks in the speaker's text. */
  questionCount: number;
  longestMonologueSec: number;
  /** Runs of floor-holding talk (backchannels inside someone else's talk are not turns). */
  turns: number;
  /** Turns this speaker took by starting ≥ 1 s before the previous holder stopped. */
  interruptionsMade: number;
  /** Turns other speakers took from this speaker that way. */
  interruptionsReceived: number;
  /** Median signed floor-transfer offset into this speaker's turns; null with no such transfer. */
  medianResponseGapSec: number | null;
}

export interface TranscriptMetrics {
  meeting: MeetingMetrics;
  speakers: SpeakerMetrics[];
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Gini coefficient, mean absolute difference over twice the mean: Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄).
 * 0 for equal values, for fewer than two values, or when all are 0.
 */
export function gini(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const s = [...values].sort((a, b) => a - b);
  const total = s.reduce((a, b) => a + b, 0);
  if (total <= 0) return 0;
  // Sorted form of the double sum: Σ (2i − n + 1) xᵢ over ascending xᵢ, i from 0.
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (2 * i - n + 1) * s[i];
  return weighted / (n * total);
}

/** Metrics from an already built timeline (lets the analysis reuse one timeline). */
export function metricsFromTimeline(tl: Timeline): TranscriptMetrics {
  const n = tl.speakers.length;
  const totalTalk = tl.speakers.reduce((a, s) => a + s.talkTimeSec, 0);
  const made = new Array<number>(n).fill(0);
  const received = new Array<number>(n).fill(0);
  const offsets: number[][] = Array.from({ length: n }, () => []);
  for (const tr of tl.transfers) {
    offsets[tr.to].push(tr.offset);
    if (tr.interruption) {
      made[tr.to]++;
      received[tr.from]++;
    }
  }
  const speakers = tl.speakers.map((s, i): SpeakerMetrics => {
    const gap = median(offsets[i]);
    return {
      id: s.id,
      name: s.name,
      talkTimeSec: round(s.talkTimeSec, 3),
      talkTimeShare: totalTalk > 0 ? round(s.talkTimeSec / totalTalk, 4) : 0,
      wordCount: s.wordCount,
      wordsPerMinute: s.talkTimeSec > 0 ? round(s.wordCount / (s.talkTimeSec / 60), 1) : null,
      fillerWordsPer100: s.wordCount > 0 ? round((100 * s.fillerCount) / s.wordCount, 2) : null,
      questionCount: s.questionCount,
      longestMonologueSec: s.longestMonologue ? round(s.longestMonologue.end - s.longestMonologue.start, 3) : 0,
      turns: s.turns,
      interruptionsMade: made[i],
      interruptionsReceived: received[i],
      medianResponseGapSec: gap === null ? null : round(gap, 3),
    };
  });
  const minutes = tl.durationSec / 60;
  return {
    meeting: {
      durationSec: round(tl.durationSec, 3),
      overlapShare: tl.speechSec > 0 ? round(tl.overlapSec / tl.speechSec, 4) : 0,
      talkTimeGini: round(
        gini(tl.speakers.map((s) => s.talkTimeSec)),
        4,
      ),
      speakerSwitchesPerMinute: minutes > 0 ? round(tl.transfers.length / minutes, 3) : 0,
    },
    speakers,
  };
}

/** All metrics of a validated transcript (see `parseTranscript`). Deterministic. */
export function computeMetrics(t: Transcript): TranscriptMetrics {
  return metricsFromTimeline(buildTimeline(t));
}
