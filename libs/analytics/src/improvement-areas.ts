import type { SpeakerMetrics } from './metrics';
import { round } from './metrics';
import type { ScoreBreakdown, ScoreComponent, ScoreComponentKey, ScoringContext } from './scoring';
import { expectedShare, questionsPerHour } from './scoring';
import type { PreparedUtterance, Timeline } from './timeline';
import { formatClock, formatRange, pct, quote, truncate } from './format';
import { markFillers } from './text';

/**
 * Improvement areas and recommendations. Every area is raised by a sub-score below 100 (see
 * scoring.ts) and carries its evidence: the metric values and timestamped excerpts of the
 * speaker's own words. An area for which no excerpt can be found is not raised: no claim without
 * evidence. Each recommendation quotes the numbers and a timestamp of its area's evidence.
 */

export type ImprovementAreaKey =
  | 'filler_words'
  | 'pacing'
  | 'conciseness'
  | 'active_listening'
  | 'questioning'
  | 'turn_taking';

export type Severity = 'low' | 'medium' | 'high';

export interface Excerpt {
  start: number;
  end: number;
  text: string;
  /** Set only on context excerpts spoken by someone else (e.g. the turn that was interrupted). */
  speakerId?: string;
}

export interface ImprovementArea {
  area: ImprovementAreaKey;
  severity: Severity;
  evidence: {
    metrics: Record<string, number | null>;
    excerpts: Excerpt[];
  };
}

/** Excerpts quote at most this much of the speaker's own text (a 90-s monologue is ~1,400 chars). */
export const MAX_EXCERPT_CHARS = 1500;
/** Someone else's words, shown only as context for an interruption, are cut to their last part. */
export const MAX_CONTEXT_CHARS = 200;

const AREA_OF: Readonly<Record<ScoreComponentKey, ImprovementAreaKey>> = {
  pace: 'pacing',
  fillers: 'filler_words',
  talkShare: 'turn_taking',
  monologue: 'conciseness',
  questions: 'questioning',
  interruptions: 'active_listening',
};

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { high: 0, medium: 1, low: 2 };

export function severityOf(score: number): Severity {
  if (score < 40) return 'high';
  if (score < 70) return 'medium';
  return 'low';
}

interface Found {
  area: ImprovementArea;
  recommendation: string;
}

interface AreaInput {
  tl: Timeline;
  speakerIdx: number;
  own: PreparedUtterance[];
  m: SpeakerMetrics;
  ctx: ScoringContext;
  c: ScoreComponent & { score: number };
}

function excerptOf(u: PreparedUtterance): Excerpt {
  return { start: u.start, end: u.end, text: truncate(u.text, MAX_EXCERPT_CHARS) };
}

/** Top `k` by score (descending), earliest first among equals; returned in time order. */
function topK(items: PreparedUtterance[], k: number, score: (u: PreparedUtterance) => number): PreparedUtterance[] {
  return [...items]
    .sort((a, b) => score(b) - score(a) || a.start - b.start)
    .slice(0, k)
    .sort((a, b) => a.start - b.start);
}

function fillerLabel(u: PreparedUtterance, f: { index: number; length: 1 | 2 }): string {
  return u.tokens
    .slice(f.index, f.index + f.length)
    .join(' ')
    .replace(/^i /, 'I ');
}

/** A few words around the utterance's first filler, the filler in [brackets]. */
function fillerQuote(u: PreparedUtterance): string {
  const words = markFillers(u.text).split(/\s+/);
  const at = Math.max(0, words.findIndex((w) => w.includes('[')));
  const from = Math.max(0, at - 4);
  let to = Math.min(words.length, at + 8);
  // Never end inside a bracketed two-word filler ("[you know]").
  const unclosed = (ws: string[]): boolean => ws.join(' ').lastIndexOf('[') > ws.join(' ').lastIndexOf(']');
  while (to < words.length && unclosed(words.slice(from, to))) to++;
  return `"${from > 0 ? '…' : ''}${words.slice(from, to).join(' ')}${to < words.length ? '…' : ''}"`;
}

function fillerArea({ own, m, c }: AreaInput): Found | null {
  // Prefer utterances with words besides the fillers: a lone "hmm" is a backchannel, poor material.
  let withFillers = own.filter((u) => u.fillers.length > 0 && u.tokens.length > 3);
  if (withFillers.length === 0) withFillers = own.filter((u) => u.fillers.length > 0);
  if (withFillers.length === 0) return null;
  const counts = new Map<string, number>();
  for (const u of own) for (const f of u.fillers) counts.set(fillerLabel(u, f), (counts.get(fillerLabel(u, f)) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3);
  const picked = topK(withFillers, 3, (u) => u.fillers.length + u.fillers.length / (u.tokens.length + 1));
  const metrics: Record<string, number | null> = {
    fillerWordsPer100: m.fillerWordsPer100,
    fillerCount: [...counts.values()].reduce((a, b) => a + b, 0),
    wordCount: m.wordCount,
    targetMaxPer100: 4,
  };
  for (const [label, n] of top) metrics[`filler:${label}`] = n;
  const first = picked[0];
  return {
    area: { area: 'filler_words', severity: severityOf(c.score), evidence: { metrics, excerpts: picked.map(excerptOf) } },
    recommendation:
      `Fillers came to ${m.fillerWordsPer100} per 100 words (Read.ai's target: under 4); most frequent: ` +
      `${top.map(([label, n]) => `"${label}" (${n}×)`).join(', ')}. At ${formatClock(first.start)} you said ` +
      `${fillerQuote(first)}. Replace each filler with a one-beat silent pause; rehearsing the first sentence of ` +
      `points like this one removes most of them.`,
  };
}

function wpmOf(u: PreparedUtterance): number {
  return u.tokens.length / ((u.end - u.start) / 60);
}

function pacingArea({ own, m, c }: AreaInput): Found | null {
  const wpm = m.wordsPerMinute;
  if (wpm === null) return null;
  const fast = wpm > 175;
  // Per-utterance rates of short utterances are noise (a word-alignment slip doubles them).
  let measurable = own.filter((u) => u.tokens.length >= 20 && u.end - u.start >= 8);
  if (measurable.length === 0) measurable = own.filter((u) => u.tokens.length >= 8 && u.end - u.start >= 3);
  if (measurable.length === 0) return null;
  const picked = topK(measurable, 3, (u) => (fast ? wpmOf(u) : -wpmOf(u)));
  const extreme = [...picked].sort((a, b) => (fast ? wpmOf(b) - wpmOf(a) : wpmOf(a) - wpmOf(b)))[0];
  return {
    area: {
      area: 'pacing',
      severity: severityOf(c.score),
      evidence: {
        metrics: { wordsPerMinute: wpm, targetMinWpm: 130, targetMaxWpm: 175, excerptMaxWpm: round(wpmOf(extreme), 1) },
        excerpts: picked.map(excerptOf),
      },
    },
    recommendation: fast
      ? `You spoke at ${wpm} words per minute, above the 130–175 range (Read.ai); at ` +
        `${formatRange(extreme.start, extreme.end)} it was ${Math.round(wpmOf(extreme))} wpm. Pause briefly after ` +
        `each main point and slow down on numbers and names.`
      : `You spoke at ${wpm} words per minute, below the 130–175 range (Read.ai); at ` +
        `${formatRange(extreme.start, extreme.end)} it was ${Math.round(wpmOf(extreme))} wpm. Prepare the first ` +
        `sentence of what you want to say so you start without searching for words.`,
  };
}

function concisenessArea({ tl, speakerIdx, m, c }: AreaInput): Found | null {
  const mono = tl.speakers[speakerIdx].longestMonologue;
  if (mono === undefined) return null;
  const text = mono.utterances.map((i) => tl.utterances[i].text).join(' ');
  const excerpt: Excerpt = { start: mono.start, end: mono.end, text: truncate(text, MAX_EXCERPT_CHARS) };
  return {
    area: {
      area: 'conciseness',
      severity: severityOf(c.score),
      evidence: { metrics: { longestMonologueSec: m.longestMonologueSec, targetMaxSec: 90 }, excerpts: [excerpt] },
    },
    recommendation:
      `You held the floor for ${Math.round(m.longestMonologueSec)} s without a break at ` +
      `${formatRange(mono.start, mono.end)}, starting ${quote(text, 8)}; in discussions, stretches over 90 s lose ` +
      `listeners. Lead with the conclusion, stop within about a minute and ask for a reaction.`,
  };
}

function turnTakingArea({ own, m, ctx, c }: AreaInput): Found | null {
  const spoken = own.filter((u) => u.end > u.start);
  if (spoken.length === 0) return null;
  const picked = topK(spoken, 3, (u) => u.end - u.start);
  const expected = expectedShare(ctx);
  const even = 1 / Math.max(1, ctx.activeSpeakers);
  const over = m.talkTimeShare > expected;
  const longest = [...picked].sort((a, b) => b.end - b.start - (a.end - a.start))[0];
  const basis =
    ctx.role === 'facilitator'
      ? `an even share is ${pct(even)} and a facilitator's about ${pct(expected)}`
      : `an even share is ${pct(even)}`;
  return {
    area: {
      area: 'turn_taking',
      severity: severityOf(c.score),
      evidence: {
        metrics: {
          talkTimeShare: m.talkTimeShare,
          expectedShare: round(expected, 4),
          activeSpeakers: ctx.activeSpeakers,
          turns: m.turns,
        },
        excerpts: picked.map(excerptOf),
      },
    },
    recommendation: over
      ? `You had ${pct(m.talkTimeShare)} of the talk time among ${ctx.activeSpeakers} speakers, where ${basis}; ` +
        `your longest stretch was ${formatRange(longest.start, longest.end)}. End your points with a direct ` +
        `question to someone who has spoken less.`
      : `You had ${pct(m.talkTimeShare)} of the talk time among ${ctx.activeSpeakers} speakers, where ${basis}; ` +
        `your longest contribution was ${Math.round(longest.end - longest.start)} s at ${formatClock(longest.start)}. ` +
        `Prepare one point before the meeting and bring it in early.`,
  };
}

const QUESTION_MARK_RE = /[?？؟]/;

function questioningArea({ own, m, ctx, c }: AreaInput): Found | null {
  const statements = own.filter((u) => !QUESTION_MARK_RE.test(u.text) && u.tokens.length >= 6 && u.tokens.length <= 40);
  if (statements.length === 0) return null;
  const picked = topK(statements, 3, (u) => u.tokens.length);
  const perHour = questionsPerHour(m, ctx);
  const target = ctx.role === 'facilitator' ? 10 : 5;
  return {
    area: {
      area: 'questioning',
      severity: severityOf(c.score),
      evidence: {
        metrics: {
          questionCount: m.questionCount,
          questionsPerHour: round(perHour, 1),
          targetMinPerHour: target,
          meetingMinutes: round(ctx.durationSec / 60, 1),
        },
        excerpts: picked.map(excerptOf),
      },
    },
    recommendation:
      `You asked ${m.questionCount} question${m.questionCount === 1 ? '' : 's'} in a ` +
      `${Math.round(ctx.durationSec / 60)}-minute meeting (${round(perHour, 1)} per hour; aim for at least ${target}). ` +
      `At ${formatClock(picked[0].start)} you said ${quote(picked[0].text)}: turning statements like this into an ` +
      `open question ("What would…", "How do you see…") draws others in.`,
  };
}

function activeListeningArea({ tl, speakerIdx, m, c }: AreaInput): Found | null {
  const mine = tl.transfers.filter((t) => t.interruption && t.to === speakerIdx);
  if (mine.length === 0) return null;
  const picked = [...mine].sort((a, b) => a.offset - b.offset || a.toStart - b.toStart).slice(0, 3);
  picked.sort((a, b) => a.toStart - b.toStart);
  const excerpts: Excerpt[] = [];
  for (const t of picked) {
    // The utterances holding the transfer's two edges (talkspurts may be word-level, inside them).
    const theirs = tl.speakers[t.from].utterances
      .map((i) => tl.utterances[i])
      .filter((u) => u.start < t.fromEnd && u.end >= t.fromEnd)
      .at(-1);
    const ours = tl.speakers[speakerIdx].utterances
      .map((i) => tl.utterances[i])
      .filter((u) => u.start <= t.toStart && u.end > t.toStart)
      .at(-1);
    if (theirs !== undefined) {
      excerpts.push({
        start: theirs.start,
        end: theirs.end,
        text: truncate(theirs.text, MAX_CONTEXT_CHARS, 'start'),
        speakerId: tl.speakers[t.from].id,
      });
    }
    if (ours !== undefined) excerpts.push(excerptOf(ours));
  }
  if (excerpts.length === 0) return null;
  const first = picked[0];
  return {
    area: {
      area: 'active_listening',
      severity: severityOf(c.score),
      evidence: {
        metrics: {
          interruptionsMade: m.interruptionsMade,
          turns: m.turns,
          interruptedTurnShare: c.value,
          medianResponseGapSec: m.medianResponseGapSec,
        },
        // Pairs in time order: the interrupted turn's end (context), then the speaker's own start.
        excerpts,
      },
    },
    recommendation:
      `${m.interruptionsMade} of your ${m.turns} turns began while someone was still talking, by 1 s or more ` +
      `(for example at ${formatClock(first.toStart)}, ${round(-first.offset, 1)} s before they finished). Let the ` +
      `speaker finish, then open with a one-line summary of their point before adding yours.`,
  };
}

const BUILDERS: Readonly<Record<ImprovementAreaKey, (input: AreaInput) => Found | null>> = {
  filler_words: fillerArea,
  pacing: pacingArea,
  conciseness: concisenessArea,
  turn_taking: turnTakingArea,
  questioning: questioningArea,
  active_listening: activeListeningArea,
};

/** A few interruptions are normal conversation; the area needs at least this many. */
export const MIN_INTERRUPTIONS_FOR_AREA = 3;

/**
 * Improvement areas (most severe first, then by name) and one recommendation per area, in the same
 * order. Internal: callers use `analyzeTranscript`.
 */
export function buildImprovementAreas(
  tl: Timeline,
  speakerIdx: number,
  m: SpeakerMetrics,
  breakdown: ScoreBreakdown,
  ctx: ScoringContext,
): { improvementAreas: ImprovementArea[]; recommendations: string[] } {
  const own = tl.speakers[speakerIdx].utterances.map((i) => tl.utterances[i]);
  const found: Found[] = [];
  for (const c of breakdown.components) {
    if (c.score === null || c.score >= 100) continue;
    if (c.key === 'interruptions' && m.interruptionsMade < MIN_INTERRUPTIONS_FOR_AREA) continue;
    const f = BUILDERS[AREA_OF[c.key]]({ tl, speakerIdx, own, m, ctx, c: { ...c, score: c.score } });
    if (f !== null) found.push(f);
  }
  found.sort(
    (a, b) =>
      SEVERITY_RANK[a.area.severity] - SEVERITY_RANK[b.area.severity] || a.area.area.localeCompare(b.area.area),
  );
  return { improvementAreas: found.map((f) => f.area), recommendations: found.map((f) => f.recommendation) };
}
