import type { Transcript, Utterance } from '@rapport/analytics';
import type { BotSpeakerTurn, BotTimeline, ProviderResult, ProviderSegment, TimedWord } from './types';

/** A label must overlap its best timeline name for at least this share of its speech to take the name. */
const MIN_LABEL_OVERLAP_SHARE = 0.3;
/** A word outside every turn takes the nearest turn's speaker within this distance. */
const NEAREST_TURN_SEC = 1.5;
/** Consecutive segments of one speaker closer than this merge into one utterance. */
const MERGE_GAP_SEC = 1.0;

interface Interval {
  start: number;
  end: number;
}

function overlap(a: Interval, b: Interval): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

function turnsByName(timeline: BotTimeline | null): Map<string, Interval[]> {
  const out = new Map<string, Interval[]>();
  for (const t of timeline?.speakerTurns ?? []) {
    const list = out.get(t.speaker) ?? [];
    list.push({ start: t.startMs / 1000, end: t.endMs / 1000 });
    out.set(t.speaker, list);
  }
  return out;
}

function spans(seg: ProviderSegment): Interval[] {
  return seg.words?.length ? seg.words.map((w) => ({ start: w.start, end: Math.max(w.end, w.start + 0.05) })) : [{ start: seg.start, end: seg.end }];
}

/**
 * Maps provider labels onto the names in the bot's speaker timeline by overlap: each label takes
 * the name its speech overlaps most, if that covers at least 30 % of it. Several labels may map to
 * one name (a provider that split one person). Labels that match nobody stay unnamed.
 */
export function mapLabelsToNames(segments: ProviderSegment[], timeline: BotTimeline | null): Map<string, string> {
  const turns = turnsByName(timeline);
  const byLabel = new Map<string, { total: number; per: Map<string, number> }>();
  for (const seg of segments) {
    if (!seg.speakerLabel) continue;
    const acc = byLabel.get(seg.speakerLabel) ?? { total: 0, per: new Map<string, number>() };
    for (const s of spans(seg)) {
      acc.total += s.end - s.start;
      for (const [name, list] of turns) {
        let o = 0;
        for (const t of list) o += overlap(s, t);
        if (o > 0) acc.per.set(name, (acc.per.get(name) ?? 0) + o);
      }
    }
    byLabel.set(seg.speakerLabel, acc);
  }
  const out = new Map<string, string>();
  for (const [label, acc] of byLabel) {
    const best = [...acc.per].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (best && acc.total > 0 && best[1] / acc.total >= MIN_LABEL_OVERLAP_SHARE) out.set(label, best[0]);
  }
  return out;
}

/** The timeline speaker talking at a moment: the covering turn with most overlap, else the nearest. */
function speakerAt(turns: BotSpeakerTurn[], w: Interval): string | null {
  let best: string | null = null;
  let bestO = 0;
  let nearest: string | null = null;
  let nearestD = Infinity;
  for (const t of turns) {
    const ti = { start: t.startMs / 1000, end: t.endMs / 1000 };
    const o = overlap(w, ti);
    if (o > bestO) {
      bestO = o;
      best = t.speaker;
    }
    const mid = (w.start + w.end) / 2;
    const d = mid < ti.start ? ti.start - mid : mid > ti.end ? mid - ti.end : 0;
    if (d < nearestD) {
      nearestD = d;
      nearest = t.speaker;
    }
  }
  if (best) return best;
  return nearestD <= NEAREST_TURN_SEC ? nearest : null;
}

interface NamedSegment extends ProviderSegment {
  name: string;
}

/**
 * Gives every segment a speaker name: the platform's own name (captions), the provider label
 * mapped by overlap, or — without labels — the timeline speaker of each word, splitting a
 * segment where the talker changes mid-way.
 */
export function nameSegments(result: ProviderResult, timeline: BotTimeline | null): NamedSegment[] {
  const labelNames = mapLabelsToNames(result.segments, timeline);
  const turns = timeline?.speakerTurns ?? [];
  const out: NamedSegment[] = [];
  let previous = 'Unknown speaker';
  for (const seg of result.segments) {
    if (seg.speakerName) {
      out.push({ ...seg, name: seg.speakerName });
    } else if (seg.speakerLabel) {
      out.push({ ...seg, name: labelNames.get(seg.speakerLabel) ?? `Speaker ${seg.speakerLabel}` });
    } else if (seg.words?.length && turns.length) {
      const runs: Array<{ name: string; words: TimedWord[] }> = [];
      for (const w of seg.words) {
        const name = speakerAt(turns, w) ?? runs.at(-1)?.name ?? previous;
        const last = runs.at(-1);
        if (last && last.name === name) last.words.push(w);
        else runs.push({ name, words: [w] });
      }
      if (runs.length === 1) out.push({ ...seg, name: runs[0]!.name });
      else for (const r of runs) out.push({ start: r.words[0]!.start, end: r.words.at(-1)!.end, text: r.words.map((w) => w.text).join(' '), words: r.words, name: r.name });
    } else {
      out.push({ ...seg, name: speakerAt(turns, seg) ?? previous });
    }
    previous = out.at(-1)?.name ?? previous;
  }
  return out;
}

export interface BuiltTranscript {
  transcript: Transcript;
  /** id → name, in order of first appearance. */
  speakers: Array<{ id: string; name: string }>;
}

/**
 * The analytics transcript: speakers S1, S2… in order of first appearance (ids are stable for
 * the same names), utterances merged from consecutive segments of one speaker.
 */
export function buildTranscript(result: ProviderResult, timeline: BotTimeline | null, durationSec?: number | null): BuiltTranscript {
  const named = nameSegments(result, timeline).sort((a, b) => a.start - b.start);
  const ids = new Map<string, string>();
  const utterances: Utterance[] = [];
  let lastName: string | null = null;
  for (const seg of named) {
    if (!seg.text.trim()) continue;
    if (!ids.has(seg.name)) ids.set(seg.name, `S${ids.size + 1}`);
    const words = seg.words?.map((w) => ({ text: w.text, start: round(w.start), end: round(Math.max(w.end, w.start)) }));
    const prev = utterances.at(-1);
    if (prev && lastName === seg.name && seg.start - prev.end < MERGE_GAP_SEC) {
      prev.text = `${prev.text} ${seg.text.trim()}`;
      prev.end = round(Math.max(prev.end, seg.end));
      if (words && prev.words) prev.words.push(...words);
      else delete prev.words;
    } else {
      const u: Utterance = { speaker: ids.get(seg.name)!, start: round(seg.start), end: round(Math.max(seg.end, seg.start)), text: seg.text.trim() };
      if (words?.length) u.words = words;
      utterances.push(u);
    }
    lastName = seg.name;
  }
  const speakers = [...ids].map(([name, id]) => ({ id, name }));
  const transcript: Transcript = { speakers, utterances };
  const duration = durationSec ?? result.durationSec;
  if (duration && duration > 0) transcript.durationSec = round(duration);
  return { transcript, speakers };
}

function round(x: number): number {
  return Math.round(Math.max(0, x) * 1000) / 1000;
}
