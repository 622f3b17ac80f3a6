import { AppError } from '@rapport/common';
import type { Transcript, Word } from './transcript';
import { countQuestions, findFillers, tokenize } from './text';

/**
 * The timeline model every metric is computed from: utterances prepared once (tokens, fillers,
 * questions), each speaker's talk intervals, the floor sequence (who holds the floor, turn by
 * turn) and the floor transfers between turns. Definitions and their reasons: docs/metrics.md.
 */

/** Another speaker's utterance this long or longer takes the floor (shorter ones are backchannels). */
export const FLOOR_TAKING_MIN_SEC = 1;
/** A pause between one speaker's utterances this long or longer ends a monologue. */
export const MONOLOGUE_MAX_PAUSE_SEC = 3;
/** A floor transfer that starts this much or more before the previous speaker stops is an interruption. */
export const INTERRUPTION_MIN_OVERLAP_SEC = 1;
/**
 * Slack for the threshold comparisons above: in binary floating point 0.9 − 1.9 is
 * −0.9999999999999999, which must still count as a full second of overlap.
 */
const EPS = 1e-9;

export interface PreparedUtterance {
  /** Position in the input `utterances` array. */
  readonly index: number;
  readonly speaker: string;
  readonly speakerIdx: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly words: readonly Word[] | undefined;
  readonly tokens: readonly string[];
  readonly fillers: ReadonlyArray<{ index: number; length: 1 | 2 }>;
  readonly questions: number;
}

/** A maximal interval in which one speaker talks (the union of their own utterances). */
export interface Spurt {
  readonly speakerIdx: number;
  readonly start: number;
  readonly end: number;
}

/** Word-timed talkspurts merge across silences shorter than this (the field notes' AMI definition). */
export const TALKSPURT_BRIDGE_SEC = 0.3;

/** A change of floor holder: `from` stopped at `fromEnd`, `to` started at `toStart`. */
export interface FloorTransfer {
  readonly from: number;
  readonly to: number;
  readonly fromEnd: number;
  readonly toStart: number;
  /** Floor-transfer offset: `toStart - fromEnd`; negative when the new speaker started in overlap. */
  readonly offset: number;
  readonly interruption: boolean;
}

export interface Monologue {
  readonly start: number;
  readonly end: number;
  /** Indices into `Timeline.utterances` of the speaker's utterances inside the run. */
  readonly utterances: readonly number[];
}

export interface SpeakerTimeline {
  readonly id: string;
  readonly name: string;
  readonly role: 'facilitator' | 'participant' | undefined;
  /** Indices into `Timeline.utterances`, in time order. */
  readonly utterances: readonly number[];
  readonly spurts: readonly Spurt[];
  readonly talkTimeSec: number;
  readonly wordCount: number;
  readonly fillerCount: number;
  readonly questionCount: number;
  readonly turns: number;
  readonly longestMonologue: Monologue | undefined;
}

export interface Timeline {
  readonly durationSec: number;
  /**
   * What the floor model (turns, transfers, interruptions, response gaps) is built on: word-timed
   * talkspurts when every utterance that has a duration carries word timings, else utterances.
   */
  readonly floorBasis: 'words' | 'utterances';
  /** Sorted by start, then end, then input position. */
  readonly utterances: readonly PreparedUtterance[];
  readonly speakers: readonly SpeakerTimeline[];
  readonly transfers: readonly FloorTransfer[];
  /** Time with at least one speaker talking. */
  readonly speechSec: number;
  /** Time with at least two speakers talking at once. */
  readonly overlapSec: number;
}

/**
 * Union of intervals already sorted by start; intervals less than `bridge` seconds apart (touching
 * ones always) merge. Zero-length intervals vanish.
 */
function unionSorted(
  intervals: ReadonlyArray<{ start: number; end: number }>,
  speakerIdx: number,
  bridge = 0,
): Spurt[] {
  const out: Spurt[] = [];
  let curStart = -1;
  let curEnd = -1;
  for (const iv of intervals) {
    if (iv.end <= iv.start) continue;
    if (curEnd >= 0 && (iv.start <= curEnd || iv.start - curEnd < bridge)) {
      if (iv.end > curEnd) curEnd = iv.end;
    } else {
      if (curEnd >= 0) out.push({ speakerIdx, start: curStart, end: curEnd });
      curStart = iv.start;
      curEnd = iv.end;
    }
  }
  if (curEnd >= 0) out.push({ speakerIdx, start: curStart, end: curEnd });
  return out;
}

/** Seconds covered by ≥ 1 and by ≥ 2 speakers, by a sweep over all speakers' spurts. */
function coverage(spurts: readonly Spurt[]): { speechSec: number; overlapSec: number } {
  const events: Array<[number, number]> = [];
  for (const s of spurts) {
    events.push([s.start, 1], [s.end, -1]);
  }
  // Ends before starts at the same instant: one speaker handing over exactly is not overlap.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let active = 0;
  let prev = 0;
  let speechSec = 0;
  let overlapSec = 0;
  for (const [t, delta] of events) {
    const dt = t - prev;
    if (active >= 1) speechSec += dt;
    if (active >= 2) overlapSec += dt;
    active += delta;
    prev = t;
  }
  return { speechSec, overlapSec };
}

/**
 * Floor spurts: spurts not contained in another speaker's spurt. A spurt inside someone else's
 * (a "yeah" while they talk) is a backchannel: it neither takes the floor nor breaks a turn.
 * Among what is left, starts and ends both increase, so consecutive spurts define the transfers.
 */
function floorSpurts(all: readonly Spurt[]): Spurt[] {
  const sorted = [...all].sort((a, b) => a.start - b.start || b.end - a.end || a.speakerIdx - b.speakerIdx);
  // The latest end seen so far, and the latest end by any other speaker than that one.
  let b1 = { speakerIdx: -1, end: -Infinity };
  let b2 = { speakerIdx: -1, end: -Infinity };
  const out: Spurt[] = [];
  for (const s of sorted) {
    const otherEnd = b1.speakerIdx !== s.speakerIdx ? b1.end : b2.end;
    if (otherEnd < s.end) out.push(s);
    if (s.speakerIdx === b1.speakerIdx) {
      if (s.end > b1.end) b1 = { speakerIdx: s.speakerIdx, end: s.end };
    } else if (s.end > b1.end) {
      b2 = b1;
      b1 = { speakerIdx: s.speakerIdx, end: s.end };
    } else if (s.end > b2.end) {
      b2 = { speakerIdx: s.speakerIdx, end: s.end };
    }
  }
  return out;
}

function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether some value of `sorted` lies strictly between a and b. */
function anyStrictlyBetween(sorted: readonly number[], a: number, b: number): boolean {
  const i = lowerBound(sorted, a);
  let j = i;
  while (j < sorted.length && sorted[j] === a) j++;
  return j < sorted.length && sorted[j] < b;
}

/**
 * Longest run of the speaker's utterances in which no other speaker's utterance of ≥ 1 s starts
 * and no pause between own utterances reaches 3 s; measured first start to last end.
 * Greedy maximal runs are enough: validity of a run only shrinks as it grows on either side.
 */
function longestMonologue(
  own: readonly number[],
  utterances: readonly PreparedUtterance[],
  otherFloorStarts: readonly number[],
): Monologue | undefined {
  let best: Monologue | undefined;
  let runStart = 0;
  let runEnd = 0;
  let run: number[] = [];
  const close = (): void => {
    if (run.length === 0) return;
    if (best === undefined || runEnd - runStart > best.end - best.start) {
      best = { start: runStart, end: runEnd, utterances: run };
    }
  };
  for (const idx of own) {
    const u = utterances[idx];
    if (u.end <= u.start) continue; // zero-length utterances have no extent to hold the floor with
    const joins =
      run.length > 0 &&
      u.start - runEnd < MONOLOGUE_MAX_PAUSE_SEC - EPS &&
      !anyStrictlyBetween(otherFloorStarts, runStart, Math.max(runEnd, u.end));
    if (joins) {
      run.push(idx);
      if (u.end > runEnd) runEnd = u.end;
    } else {
      close();
      run = [idx];
      runStart = u.start;
      runEnd = u.end;
    }
  }
  close();
  return best;
}

/** Builds the timeline of a validated transcript. O(n log n) in the number of utterances. */
export function buildTimeline(t: Transcript): Timeline {
  const speakerIndex = new Map<string, number>();
  t.speakers.forEach((s, i) => speakerIndex.set(s.id, i));

  const utterances: PreparedUtterance[] = t.utterances
    .map((u, index) => {
      const speakerIdx = speakerIndex.get(u.speaker);
      // parseTranscript rejects this already; callers that build a Transcript by hand get the same error.
      if (speakerIdx === undefined) {
        throw new AppError(
          'bad_request',
          'invalid_transcript',
          `invalid transcript: utterances[${index}].speaker: unknown speaker "${u.speaker}" (not in speakers[].id)`,
        );
      }
      const tokens = tokenize(u.text);
      return {
        index,
        speaker: u.speaker,
        speakerIdx,
        start: u.start,
        end: u.end,
        text: u.text,
        words: u.words,
        tokens,
        fillers: findFillers(tokens),
        questions: countQuestions(u.text),
      };
    })
    .sort((a, b) => a.start - b.start || a.end - b.end || a.index - b.index);

  const n = t.speakers.length;
  const own: number[][] = Array.from({ length: n }, () => []);
  utterances.forEach((u, i) => own[u.speakerIdx].push(i));

  const spurtsBySpeaker = own.map((idxs, s) => unionSorted(idxs.map((i) => utterances[i]), s));
  const allSpurts = spurtsBySpeaker.flat();
  const { speechSec, overlapSec } = coverage(allSpurts);

  // Floor sequence and transfers. Word timings, when complete, show where talk really starts and
  // stops inside an utterance: "Yeah. … So" over someone's last sentence is a backchannel and
  // then a turn, not a 6-second interruption.
  const floorBasis: Timeline['floorBasis'] =
    utterances.length > 0 && utterances.every((u) => u.end <= u.start || (u.words !== undefined && u.words.length > 0))
      ? 'words'
      : 'utterances';
  const floorInput =
    floorBasis === 'words'
      ? own.map((idxs, s) =>
          unionSorted(
            idxs.flatMap((i) => utterances[i].words ?? []).sort((a, b) => a.start - b.start),
            s,
            TALKSPURT_BRIDGE_SEC,
          ),
        )
      : spurtsBySpeaker;
  const floor = floorSpurts(floorInput.flat());
  const turns = new Array<number>(n).fill(0);
  const transfers: FloorTransfer[] = [];
  let prev: Spurt | undefined;
  for (const s of floor) {
    if (prev === undefined || prev.speakerIdx !== s.speakerIdx) {
      turns[s.speakerIdx]++;
      if (prev !== undefined) {
        const offset = s.start - prev.end;
        transfers.push({
          from: prev.speakerIdx,
          to: s.speakerIdx,
          fromEnd: prev.end,
          toStart: s.start,
          offset,
          interruption: offset <= -INTERRUPTION_MIN_OVERLAP_SEC + EPS,
        });
      }
    }
    prev = s;
  }

  // Starts of floor-taking (≥ 1 s) utterances, all speakers, for the monologue rule.
  const floorStartsBySpeaker: number[][] = Array.from({ length: n }, () => []);
  for (const u of utterances) {
    if (u.end - u.start >= FLOOR_TAKING_MIN_SEC - EPS) floorStartsBySpeaker[u.speakerIdx].push(u.start);
  }

  const speakers: SpeakerTimeline[] = t.speakers.map((sp, s) => {
    const idxs = own[s];
    let wordCount = 0;
    let fillerCount = 0;
    let questionCount = 0;
    for (const i of idxs) {
      const u = utterances[i];
      wordCount += u.tokens.length;
      fillerCount += u.fillers.length;
      questionCount += u.questions;
    }
    const otherStarts = floorStartsBySpeaker
      .filter((_, o) => o !== s)
      .flat()
      .sort((a, b) => a - b);
    return {
      id: sp.id,
      name: sp.name,
      role: sp.role,
      utterances: idxs,
      spurts: spurtsBySpeaker[s],
      talkTimeSec: spurtsBySpeaker[s].reduce((acc, x) => acc + (x.end - x.start), 0),
      wordCount,
      fillerCount,
      questionCount,
      turns: turns[s],
      longestMonologue: longestMonologue(idxs, utterances, otherStarts),
    };
  });

  const lastEnd = utterances.reduce((m, u) => Math.max(m, u.end), 0);
  return {
    durationSec: Math.max(t.durationSec ?? 0, lastEnd),
    floorBasis,
    utterances,
    speakers,
    transfers,
    speechSec,
    overlapSec,
  };
}
