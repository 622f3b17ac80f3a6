import { scoreSpeaker, type SpeakerMetrics } from '@rapport/analytics';
import type { ConsentRecord, Excerpt, ImprovementArea, PracticeExercise, ScoreComponent, SpeakerMetricsView, SpeakerShare } from './types/meeting.types';

/**
 * Maps the JSON the analysis pipeline stores (meeting_analyses.metrics, improvement_areas,
 * practice_modules.exercises: the shapes of @rapport/analytics) to the GraphQL views. Reads
 * defensively: a missing or mistyped field becomes null/0 instead of failing the whole report.
 */
type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Metrics may sit at the top level or under `speaker` (one speaker's slice of the analysis). */
function speakerMetrics(metrics: Json): Json {
  return 'talkTimeShare' in metrics ? metrics : obj(metrics.speaker);
}

export function toSpeakerMetrics(metrics: Json): SpeakerMetricsView {
  const m = speakerMetrics(metrics);
  return {
    talkTimeSec: num(m.talkTimeSec) ?? 0,
    talkTimeShare: num(m.talkTimeShare) ?? 0,
    wordsPerMinute: num(m.wordsPerMinute),
    fillerWordsPer100: num(m.fillerWordsPer100),
    questionCount: num(m.questionCount) ?? 0,
    longestMonologueSec: num(m.longestMonologueSec) ?? 0,
    interruptionsMade: num(m.interruptionsMade) ?? 0,
    interruptionsReceived: num(m.interruptionsReceived) ?? 0,
    turns: num(m.turns) ?? 0,
  };
}

/** Score components: `components`, `breakdown.components` or `score.components`. */
export function toScoreComponents(metrics: Json): ScoreComponent[] {
  const list = arr(metrics.components).length ? arr(metrics.components) : arr(obj(metrics.breakdown).components).length ? arr(obj(metrics.breakdown).components) : arr(obj(metrics.score).components);
  return list.map(obj).flatMap((c) => {
    const key = str(c.key);
    if (!key) return [];
    const score = num(c.score);
    return [{ key, weight: num(c.weight) ?? 0, value: num(c.value), score: score === null ? null : Math.round(score), band: str(c.band) ?? '' }];
  });
}

/**
 * The score's parts: as stored, or recomputed from the stored speaker metrics with the same
 * scoring the pipeline used (pure, deterministic) when the pipeline kept only the metrics.
 */
export function scoreComponentsOf(metrics: Json, ctx: { activeSpeakers: number; durationSec: number }): ScoreComponent[] {
  const stored = toScoreComponents(metrics);
  if (stored.length) return stored;
  const m = speakerMetrics(metrics);
  if (typeof m.talkTimeSec !== 'number' || typeof m.wordCount !== 'number') return [];
  return scoreSpeaker(m as unknown as SpeakerMetrics, { activeSpeakers: Math.max(1, ctx.activeSpeakers), durationSec: ctx.durationSec }).components.map((c) => ({
    key: c.key,
    weight: c.weight,
    value: c.value,
    score: c.score === null ? null : Math.round(c.score),
    band: c.band,
  }));
}

export function toExcerpt(v: unknown): Excerpt | null {
  const e = obj(v);
  const start = num(e.start);
  const text = str(e.text);
  if (start === null || text === null) return null;
  return { start, end: num(e.end) ?? start, text, speakerId: str(e.speakerId) };
}

export function toImprovementAreas(v: unknown): ImprovementArea[] {
  return arr(v).map(obj).flatMap((a) => {
    const area = str(a.area);
    if (!area) return [];
    const evidence = obj(a.evidence);
    return [{
      area,
      severity: str(a.severity) ?? 'low',
      metrics: Object.entries(obj(evidence.metrics)).map(([name, value]) => ({ name, value: num(value) })),
      excerpts: arr(evidence.excerpts).map(toExcerpt).filter((e): e is Excerpt => e !== null),
    }];
  });
}

export function toExercises(v: unknown): PracticeExercise[] {
  return arr(v).map(obj).map((e) => {
    const target = obj(e.target);
    return {
      kind: str(e.kind) ?? 'exercise',
      instructions: str(e.instructions) ?? '',
      excerpts: arr(e.excerpts).map(toExcerpt).filter((x): x is Excerpt => x !== null),
      markedText: str(target.markedText),
      targetWordsPerMinute: num(target.wordsPerMinute),
      targetMaxWords: num(target.maxWords),
      estimatedMin: num(e.estimatedMin) ?? 0,
    };
  });
}

export function toSpeakerShares(rows: Array<{ label: string; name: string; userId: string | null; talkTimeSec: number }>, me: string): SpeakerShare[] {
  const total = rows.reduce((s, r) => s + Math.max(0, Number(r.talkTimeSec) || 0), 0);
  return rows.map((r) => {
    const t = Math.max(0, Number(r.talkTimeSec) || 0);
    return { label: r.label, name: r.name, talkTimeSec: t, share: total > 0 ? t / total : 0, isMe: r.userId === me };
  });
}

/** participants_present is a JSON list of names or of `{ name }` objects. */
export function toConsentRecord(
  row: { channel: string; noticeText: string; postedAt: Date | null; recordingDeleted: boolean; participantsPresent: unknown },
  lateJoiners: ConsentRecord['lateJoiners'],
  optOuts: ConsentRecord['optOuts'],
): ConsentRecord {
  const present = arr(row.participantsPresent).map((p) => (typeof p === 'string' ? p : str(obj(p).name))).filter((p): p is string => !!p);
  return {
    channel: row.channel,
    noticeText: row.noticeText,
    postedAt: row.postedAt,
    participants: [...new Set([...present, ...lateJoiners.map((j) => j.name)])],
    lateJoiners,
    optOuts,
    recordingDeleted: row.recordingDeleted,
  };
}
