import type { SpeakerAnalysis } from './analyze';
import type { Excerpt, ImprovementArea, ImprovementAreaKey, Severity } from './improvement-areas';
import { MAX_EXCERPT_CHARS } from './improvement-areas';
import { formatClock } from './format';
import { markFillers, tokenSpans } from './text';
import type { Transcript } from './transcript';

/**
 * Practice modules: one per improvement area, with exercises built on the person's own excerpts
 * from that area's evidence ("retell this 135-second answer in 45 seconds", "turn these three
 * statements into questions"). Pure and deterministic.
 */

export type PracticeModuleType = ImprovementAreaKey;
export type Difficulty = 'beginner' | 'intermediate' | 'advanced';

export type ExerciseKind =
  | 'say_without_fillers'
  | 'pause_drill'
  | 'read_at_target_pace'
  | 'retell_shorter'
  | 'one_sentence_summary'
  | 'statements_to_questions'
  | 'summarize_before_responding'
  | 'hand_over'
  | 'prepare_contribution';

export interface PracticeExercise {
  kind: ExerciseKind;
  instructions: string;
  /** The material: the person's own words (and, for interruptions, the other speaker's last words). */
  excerpts: Excerpt[];
  /** What done looks like, where it can be measured. */
  target?: {
    /** The excerpt with fillers in [brackets]. */
    markedText?: string;
    durationSec?: number;
    wordsPerMinute?: number;
    count?: number;
    maxWords?: number;
  };
  estimatedMin: number;
}

export interface PracticeModule {
  moduleType: PracticeModuleType;
  title: string;
  exercises: PracticeExercise[];
  estimatedDurationMin: number;
  difficulty: Difficulty;
}

/** The most to work on starts simplest. */
const DIFFICULTY: Readonly<Record<Severity, Difficulty>> = {
  high: 'beginner',
  medium: 'intermediate',
  low: 'advanced',
};

/** Target pace for read-aloud drills: the middle of Read.ai's 130–175 WPM band, rounded. */
export const TARGET_WPM = 150;

function own(excerpts: readonly Excerpt[]): Excerpt[] {
  return excerpts.filter((e) => e.speakerId === undefined);
}

function wordCount(text: string): number {
  return tokenSpans(text).length;
}

function fillerModule(area: ImprovementArea): PracticeModule | null {
  const material = own(area.evidence.excerpts);
  if (material.length === 0) return null;
  const exercises: PracticeExercise[] = material.map((e) => ({
    kind: 'say_without_fillers',
    instructions:
      `Read aloud what you said at ${formatClock(e.start)}, then say it again without the fillers marked in ` +
      `brackets. Where a filler was, pause silently for a beat instead.`,
    excerpts: [e],
    target: { markedText: markFillers(e.text) },
    estimatedMin: 2,
  }));
  exercises.push({
    kind: 'pause_drill',
    instructions:
      `Speak for 60 seconds about the topic of your remark at ${formatClock(material[0].start)}. Record it; each ` +
      `time you hear a filler, start the sentence again after a silent pause.`,
    excerpts: [material[0]],
    target: { durationSec: 60 },
    estimatedMin: 3,
  });
  const per100 = area.evidence.metrics.fillerWordsPer100;
  return module(area, `Filler words: from ${per100 ?? '?'} to under 4 per 100 words`, exercises);
}

function pacingModule(area: ImprovementArea): PracticeModule | null {
  const material = own(area.evidence.excerpts);
  if (material.length === 0) return null;
  const wpm = area.evidence.metrics.wordsPerMinute;
  const fast = wpm !== null && wpm !== undefined && wpm > 175;
  const exercises: PracticeExercise[] = material.map((e) => {
    const words = wordCount(e.text);
    const said = Math.max(1, Math.round(e.end - e.start));
    const target = Math.max(1, Math.round((words / TARGET_WPM) * 60));
    return {
      kind: 'read_at_target_pace',
      instructions:
        `You said these ${words} words in ${said} s. Read them aloud in about ${target} s ` +
        `(${TARGET_WPM} words per minute)` +
        (fast ? ', pausing at each full stop.' : ', without stopping mid-sentence.'),
      excerpts: [e],
      target: { durationSec: target, wordsPerMinute: TARGET_WPM },
      estimatedMin: 2,
    };
  });
  return module(
    area,
    fast ? `Pacing: slow down from ${wpm} to 130–175 words per minute` : `Pacing: speed up from ${wpm ?? '?'} to 130–175 words per minute`,
    exercises,
  );
}

function concisenessModule(area: ImprovementArea): PracticeModule | null {
  const material = own(area.evidence.excerpts);
  if (material.length === 0) return null;
  const e = material[0];
  const original = Math.round(e.end - e.start);
  const target = Math.max(20, Math.round(original / 3 / 5) * 5);
  return module(area, `Conciseness: make your point in under ${Math.min(90, target * 2)} seconds`, [
    {
      kind: 'retell_shorter',
      instructions:
        `Retell this ${original}-second stretch from ${formatClock(e.start)} in ${target} seconds: conclusion first, ` +
        `one reason, then a question to the group.`,
      excerpts: [e],
      target: { durationSec: target },
      estimatedMin: 5,
    },
    {
      kind: 'one_sentence_summary',
      instructions: 'Write the point of the same stretch as one sentence of at most 20 words.',
      excerpts: [e],
      target: { maxWords: 20 },
      estimatedMin: 3,
    },
  ]);
}

const QUESTION_MARK_RE = /[?？؟]/;

function questioningModule(area: ImprovementArea, speakerId: string, transcript: Transcript): PracticeModule | null {
  const material = own(area.evidence.excerpts);
  // Top up to three statements from the speaker's other utterances, in transcript order.
  if (material.length < 3) {
    for (const u of transcript.utterances) {
      if (material.length >= 3) break;
      if (u.speaker !== speakerId || QUESTION_MARK_RE.test(u.text)) continue;
      const n = wordCount(u.text);
      if (n < 6 || n > 40 || material.some((e) => e.start === u.start && e.end === u.end)) continue;
      material.push({ start: u.start, end: u.end, text: u.text.slice(0, MAX_EXCERPT_CHARS) });
    }
  }
  if (material.length === 0) return null;
  const count = material.length;
  return module(area, 'Questioning: turn statements into open questions', [
    {
      kind: 'statements_to_questions',
      instructions:
        `Turn ${count === 1 ? 'this statement' : `these ${count} statements`} of yours into open questions that ` +
        `invite the others to add to them (start with "what" or "how"), then say them aloud.`,
      excerpts: material,
      target: { count },
      estimatedMin: 2 + 2 * count,
    },
  ]);
}

function activeListeningModule(area: ImprovementArea): PracticeModule | null {
  const exercises: PracticeExercise[] = [];
  const ex = area.evidence.excerpts;
  for (let i = 0; i < ex.length; i++) {
    const theirs = ex[i];
    const ours = ex[i + 1];
    if (theirs.speakerId === undefined || ours === undefined || ours.speakerId !== undefined) continue;
    exercises.push({
      kind: 'summarize_before_responding',
      instructions:
        `At ${formatClock(ours.start)} you started while ${theirs.speakerId} was still talking. Write one sentence ` +
        `that sums up what they were saying, then say your reply starting with that summary.`,
      excerpts: [theirs, ours],
      estimatedMin: 3,
    });
    i++;
  }
  if (exercises.length === 0) {
    for (const e of own(ex)) {
      exercises.push({
        kind: 'summarize_before_responding',
        instructions: `At ${formatClock(e.start)} you came in over someone else. Say this again, opening with a summary of their point.`,
        excerpts: [e],
        estimatedMin: 3,
      });
    }
  }
  if (exercises.length === 0) return null;
  return module(area, 'Active listening: let others finish before you come in', exercises);
}

function turnTakingModule(area: ImprovementArea): PracticeModule | null {
  const material = own(area.evidence.excerpts);
  if (material.length === 0) return null;
  const share = area.evidence.metrics.talkTimeShare ?? 0;
  const expected = area.evidence.metrics.expectedShare ?? 0;
  const over = share > expected;
  const exercises: PracticeExercise[] = material.map((e) =>
    over
      ? {
          kind: 'hand_over',
          instructions:
            `Cut what you said at ${formatClock(e.start)} (${Math.round(e.end - e.start)} s) to its main point in at ` +
            `most three sentences, and end by asking a named colleague for their view.`,
          excerpts: [e],
          target: { maxWords: 60 },
          estimatedMin: 3,
        }
      : {
          kind: 'prepare_contribution',
          instructions:
            `Expand what you said at ${formatClock(e.start)} into a three-sentence contribution: your view, one ` +
            `reason, one suggestion. Say it aloud in about 30 seconds.`,
          excerpts: [e],
          target: { durationSec: 30 },
          estimatedMin: 3,
        },
  );
  return module(area, over ? 'Turn-taking: share the floor' : 'Turn-taking: bring your points in', exercises);
}

function module(area: ImprovementArea, title: string, exercises: PracticeExercise[]): PracticeModule {
  return {
    moduleType: area.area,
    title,
    exercises,
    estimatedDurationMin: exercises.reduce((a, e) => a + e.estimatedMin, 0),
    difficulty: DIFFICULTY[area.severity],
  };
}

/**
 * Practice modules for one analysed speaker, one per improvement area in the same order.
 * `transcript` is only read for that speaker's own utterances (to top up exercise material).
 */
export function buildPracticeModules(analysis: SpeakerAnalysis, transcript: Transcript): PracticeModule[] {
  const out: PracticeModule[] = [];
  for (const area of analysis.improvementAreas) {
    let m: PracticeModule | null;
    switch (area.area) {
      case 'filler_words':
        m = fillerModule(area);
        break;
      case 'pacing':
        m = pacingModule(area);
        break;
      case 'conciseness':
        m = concisenessModule(area);
        break;
      case 'questioning':
        m = questioningModule(area, analysis.id, transcript);
        break;
      case 'active_listening':
        m = activeListeningModule(area);
        break;
      case 'turn_taking':
        m = turnTakingModule(area);
        break;
    }
    if (m !== null) out.push(m);
  }
  return out;
}
