import type { SpeakerMetrics } from './metrics';
import type { SpeakerRole } from './transcript';

/**
 * communicationScore: a weighted mean of six sub-scores, each 0–100 from a piecewise-linear curve
 * over one metric, 100 inside the reference band. Bands, weights and sources: docs/scoring.md.
 * Sub-scores without enough evidence (too little speech, too short a meeting) are left out and the
 * remaining weights renormalised; with none left the score is null.
 */

export type ScoreComponentKey = 'pace' | 'fillers' | 'talkShare' | 'monologue' | 'questions' | 'interruptions';

export interface ScoreComponent {
  key: ScoreComponentKey;
  weight: number;
  /** The metric the curve was applied to (e.g. WPM, share ÷ expected share); null if not judged. */
  value: number | null;
  /** 0–100, or null when there was not enough evidence to judge. */
  score: number | null;
  /** Human-readable reference band, e.g. "130–175 WPM (Read.ai)". */
  band: string;
}

export interface ScoreBreakdown {
  /** 0–100 integer; null when no sub-score could be judged (the speaker never spoke). */
  score: number | null;
  components: ScoreComponent[];
}

export interface ScoringContext {
  /** Speakers who talked at all (talkTimeSec > 0): N in the 1/N parity share. */
  activeSpeakers: number;
  durationSec: number;
  role?: SpeakerRole;
}

/** Evidence minimums below which a sub-score is not judged. */
export const MIN_WORDS_FOR_RATE = 50;
export const MIN_TALK_SEC_FOR_PACE = 30;
export const MIN_MEETING_SEC_FOR_QUESTIONS = 600;
export const MIN_TALK_SEC_FOR_QUESTIONS = 60;
export const MIN_TURNS_FOR_INTERRUPTIONS = 5;
/** A facilitator is expected to hold 1.5× the parity share (AMI: PM 36.9 % vs 25 %). */
export const FACILITATOR_SHARE_FACTOR = 1.5;

export const WEIGHTS: Readonly<Record<ScoreComponentKey, number>> = {
  pace: 20,
  fillers: 20,
  talkShare: 20,
  monologue: 15,
  questions: 10,
  interruptions: 15,
};

type Curve = ReadonlyArray<readonly [number, number]>;

/**
 * Read.ai 130–175 WPM. Below, the field notes' drift flag (~110) sits at 50; above, 200 does, since
 * our rate (utterance time) runs close to AMI's word-aligned rate, whose p90 is 204 WPM.
 */
export const PACE_CURVE: Curve = [[80, 0], [110, 50], [130, 100], [175, 100], [200, 50], [240, 0]];
/** Read.ai "< 4 %"; 8 per 100 ≈ AMI p90 of um/uh alone. */
export const FILLER_CURVE: Curve = [[4, 100], [8, 50], [12, 0]];
/** Share ÷ expected share. 0.5–1.5 is inside the spread AMI roles show (p10 11 %, p90 42 % at 25 % parity). */
export const TALK_SHARE_CURVE: Curve = [[0, 30], [0.5, 100], [1.5, 100], [2.5, 40], [4, 0]];
/** Field notes: flag monologues over 90–120 s in discussions; AMI p90 per speaker 77 s. */
export const MONOLOGUE_CURVE: Curve = [[90, 100], [150, 50], [300, 0]];
/** Questions per meeting-hour; AMI p10 is 4.1, median 21 (PM 38). */
export const QUESTION_CURVE: Curve = [[0, 40], [5, 100]];
export const FACILITATOR_QUESTION_CURVE: Curve = [[0, 40], [10, 100]];
/** Share of the speaker's turns taken by interrupting (≥ 1 s of overlap). */
export const INTERRUPTION_CURVE: Curve = [[0.25, 100], [0.4, 50], [0.6, 0]];

/** Piecewise-linear interpolation, flat beyond the first and last points. */
export function applyCurve(curve: Curve, x: number): number {
  if (x <= curve[0][0]) return curve[0][1];
  for (let i = 1; i < curve.length; i++) {
    const [x1, y1] = curve[i];
    if (x <= x1) {
      const [x0, y0] = curve[i - 1];
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return curve[curve.length - 1][1];
}

/** The talk share this speaker is judged against: 1/N, or 1.5/N for a facilitator (at most 1). */
export function expectedShare(ctx: ScoringContext): number {
  const n = Math.max(1, ctx.activeSpeakers);
  const factor = ctx.role === 'facilitator' ? FACILITATOR_SHARE_FACTOR : 1;
  return Math.min(1, factor / n);
}

export function questionsPerHour(m: SpeakerMetrics, ctx: ScoringContext): number {
  return ctx.durationSec > 0 ? m.questionCount / (ctx.durationSec / 3600) : 0;
}

function component(key: ScoreComponentKey, band: string, value: number | null, curve: Curve): ScoreComponent {
  return {
    key,
    weight: WEIGHTS[key],
    value,
    score: value === null ? null : Math.round(applyCurve(curve, value) * 10) / 10,
    band,
  };
}

/** Scores one speaker's metrics. Pure and deterministic. */
export function scoreSpeaker(m: SpeakerMetrics, ctx: ScoringContext): ScoreBreakdown {
  const spoke = m.talkTimeSec > 0;
  const paceOk = spoke && m.talkTimeSec >= MIN_TALK_SEC_FOR_PACE && m.wordCount >= MIN_WORDS_FOR_RATE;
  const fillersOk = m.wordCount >= MIN_WORDS_FOR_RATE;
  const shareOk = spoke && ctx.activeSpeakers >= 2;
  const questionsOk =
    ctx.durationSec >= MIN_MEETING_SEC_FOR_QUESTIONS && m.talkTimeSec >= MIN_TALK_SEC_FOR_QUESTIONS;
  const interruptionsOk = m.turns >= MIN_TURNS_FOR_INTERRUPTIONS;
  const facilitator = ctx.role === 'facilitator';

  const components: ScoreComponent[] = [
    component('pace', '130–175 WPM (Read.ai)', paceOk ? m.wordsPerMinute : null, PACE_CURVE),
    component('fillers', 'under 4 per 100 words (Read.ai)', fillersOk ? m.fillerWordsPer100 : null, FILLER_CURVE),
    component(
      'talkShare',
      facilitator ? '0.5–1.5 × 1.5/N for a facilitator' : '0.5–1.5 × 1/N',
      shareOk ? Math.round((m.talkTimeShare / expectedShare(ctx)) * 1000) / 1000 : null,
      TALK_SHARE_CURVE,
    ),
    component('monologue', 'longest monologue ≤ 90 s', spoke ? m.longestMonologueSec : null, MONOLOGUE_CURVE),
    component(
      'questions',
      facilitator ? '≥ 10 questions per meeting-hour (facilitator)' : '≥ 5 questions per meeting-hour',
      questionsOk ? Math.round(questionsPerHour(m, ctx) * 10) / 10 : null,
      facilitator ? FACILITATOR_QUESTION_CURVE : QUESTION_CURVE,
    ),
    component(
      'interruptions',
      '≤ 25 % of own turns taken by interrupting',
      interruptionsOk ? Math.round((m.interruptionsMade / m.turns) * 1000) / 1000 : null,
      INTERRUPTION_CURVE,
    ),
  ];

  let weighted = 0;
  let weights = 0;
  for (const c of components) {
    if (c.score === null) continue;
    weighted += c.weight * c.score;
    weights += c.weight;
  }
  return { score: weights > 0 ? Math.round(weighted / weights) : null, components };
}
