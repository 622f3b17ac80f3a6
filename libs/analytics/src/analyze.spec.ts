import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeTranscript,
  applyCurve,
  parseTranscript,
  scoreSpeaker,
  syntheticMeeting,
} from '@rapport/analytics';
import type { SpeakerAnalysis, SpeakerMetrics, Transcript, Utterance } from '@rapport/analytics';

/**
 * Scoring, improvement areas and recommendations on controlled meetings: a balanced baseline in
 * which every sub-score is inside its band, and variants that push one speaker out of one band.
 */

interface Knobs {
  wpm?: number;
  fillersPer100?: number;
  /** Seconds per turn for speaker A (others: 10). */
  turnSec?: number;
  questions?: boolean;
  /** A starts this many seconds before the previous speaker stops. */
  cutIn?: number;
  /** One extra stretch of A's talk, this long, made of 10-s utterances 1 s apart, at the end. */
  monologueSec?: number;
  role?: 'facilitator';
}

const IDS = ['A', 'B', 'C', 'D'];

function text(words: number, fillersPer100: number, question: boolean, seed: number): string {
  const out: string[] = [];
  let owed = 0;
  for (let i = 0; i < words; i++) {
    owed += fillersPer100 / 100;
    if (owed >= 1) {
      out.push('um');
      owed -= 1;
    } else out.push(`word${(i + seed) % 7}`);
  }
  return `${out.join(' ')}${question ? '?' : '.'}`;
}

/** Round-robin turns, 12 minutes, 0.3 s gaps, 150 WPM; knobs change speaker A only. */
function meeting(knobs: Knobs = {}): Transcript {
  const utterances: Utterance[] = [];
  let t = 0;
  let k = 0;
  while (t < 720) {
    const speaker = IDS[k % 4];
    const isA = speaker === 'A';
    const dur = isA ? (knobs.turnSec ?? 10) : 10;
    const wpm = isA ? (knobs.wpm ?? 150) : 150;
    const start = isA && knobs.cutIn !== undefined && k > 0 ? t - 0.3 - knobs.cutIn : t;
    const asks = (isA ? (knobs.questions ?? true) : true) && k % 8 < 4;
    utterances.push({
      speaker,
      start,
      end: start + dur,
      text: text(Math.round((dur * wpm) / 60), isA ? (knobs.fillersPer100 ?? 0) : 0, asks, k),
    });
    t = start + dur + 0.3;
    k++;
  }
  if (knobs.monologueSec !== undefined) {
    for (let s = 0; s < knobs.monologueSec; s += 11) {
      utterances.push({ speaker: 'A', start: t + s, end: t + s + 10, text: text(25, 0, false, s) });
    }
  }
  return parseTranscript({
    speakers: IDS.map((id) => ({ id, name: `Person ${id}`, ...(id === 'A' && knobs.role ? { role: knobs.role } : {}) })),
    utterances,
  });
}

function speakerA(t: Transcript): SpeakerAnalysis {
  return analyzeTranscript(t).speakers[0];
}

/** Every own excerpt is a stretch of the speaker's own utterances; context excerpts name who spoke. */
function assertEvidence(t: Transcript, s: SpeakerAnalysis): void {
  for (const area of s.improvementAreas) {
    assert.ok(area.evidence.excerpts.length > 0, `${area.area} has excerpts`);
    assert.ok(Object.keys(area.evidence.metrics).length > 0, `${area.area} has metrics`);
    for (const ex of area.evidence.excerpts) {
      const who = ex.speakerId ?? s.id;
      const inside = t.utterances.filter((u) => u.speaker === who && u.start >= ex.start && u.end <= ex.end);
      assert.ok(inside.length > 0, `${area.area} excerpt ${ex.start}–${ex.end} covers ${who}'s utterances`);
      const firstWords = inside[0].text.split(' ').slice(0, 3).join(' ');
      assert.ok(ex.text.includes(firstWords) || ex.text.startsWith('…'), `${area.area} excerpt quotes ${who}`);
    }
  }
  assert.equal(s.recommendations.length, s.improvementAreas.length);
  for (const r of s.recommendations) assert.match(r, /\d+:\d\d/, `recommendation cites a timestamp: ${r}`);
}

function area(s: SpeakerAnalysis, name: string): SpeakerAnalysis['improvementAreas'][number] {
  const a = s.improvementAreas.find((x) => x.area === name);
  assert.ok(a, `area ${name} raised; got ${s.improvementAreas.map((x) => x.area).join(', ') || 'none'}`);
  return a;
}

describe('analyzeTranscript: score, improvement areas, recommendations', () => {
  const baseline = speakerA(meeting());

  test('a balanced speaker inside every band scores 100 with nothing to improve', () => {
    assert.equal(baseline.communicationScore, 100);
    assert.deepEqual(baseline.improvementAreas, []);
    assert.deepEqual(baseline.recommendations, []);
    for (const s of analyzeTranscript(meeting()).speakers) assert.equal(s.communicationScore, 100);
  });

  test('fillers over 4 per 100 words raise filler_words with the excerpts that contain them', () => {
    const t = meeting({ fillersPer100: 12 });
    const a = speakerA(t);
    const f = area(a, 'filler_words');
    assert.ok((a.fillerWordsPer100 ?? 0) >= 10, `fillers ${a.fillerWordsPer100}`);
    assert.equal(f.severity, 'high'); // past the curve's 50-point mark at 8 per 100
    assert.equal(f.evidence.metrics.fillerWordsPer100, a.fillerWordsPer100);
    assert.equal(f.evidence.metrics['filler:um'], f.evidence.metrics.fillerCount);
    for (const ex of f.evidence.excerpts) assert.match(ex.text, /\bum\b/);
    assert.ok((a.communicationScore ?? 100) < 100);
    assert.match(a.recommendations[0], /per 100 words/);
    assertEvidence(t, a);
  });

  test('a fast pace raises pacing and quotes the rate', () => {
    const t = meeting({ wpm: 220 });
    const a = speakerA(t);
    const p = area(a, 'pacing');
    assert.equal(p.severity, 'high');
    assert.equal(p.evidence.metrics.wordsPerMinute, a.wordsPerMinute);
    assert.match(a.recommendations.join(' '), /above the 130–175 range/);
    assertEvidence(t, a);
  });

  test('a 3-minute monologue raises conciseness with the monologue as the excerpt', () => {
    const t = meeting({ monologueSec: 180 });
    const a = speakerA(t);
    const c = area(a, 'conciseness');
    assert.equal(c.evidence.excerpts.length, 1);
    const ex = c.evidence.excerpts[0];
    assert.equal(Math.round(ex.end - ex.start), Math.round(a.longestMonologueSec));
    assert.ok(a.longestMonologueSec > 170);
    assertEvidence(t, a);
  });

  test('talking 3× the others raises turn_taking, but not for a facilitator at the same share', () => {
    const t = meeting({ turnSec: 30 });
    const a = speakerA(t);
    assert.ok(a.talkTimeShare > 0.45, `share ${a.talkTimeShare}`);
    area(a, 'turn_taking');
    assertEvidence(t, a);
    const asFacilitator = speakerA(meeting({ turnSec: 30, role: 'facilitator' }));
    assert.equal(asFacilitator.improvementAreas.find((x) => x.area === 'turn_taking'), undefined);
    assert.ok((asFacilitator.communicationScore ?? 0) > (a.communicationScore ?? 0));
  });

  test("cutting in 1.5 s before others finish raises active_listening, with the other person's words as context", () => {
    const t = meeting({ cutIn: 1.5 });
    const a = speakerA(t);
    assert.ok(a.interruptionsMade >= 10);
    const l = area(a, 'active_listening');
    const context = l.evidence.excerpts.filter((e) => e.speakerId !== undefined);
    assert.ok(context.length > 0 && context.every((e) => e.speakerId === 'D'), 'D was interrupted');
    assert.equal(analyzeTranscript(t).speakers[3].interruptionsReceived, a.interruptionsMade);
    assertEvidence(t, a);
  });

  test('no questions in a 12-minute meeting raises questioning, citing own statements', () => {
    const t = meeting({ questions: false });
    const a = speakerA(t);
    assert.equal(a.questionCount, 0);
    const q = area(a, 'questioning');
    assert.equal(q.severity, 'medium');
    assert.equal(q.evidence.excerpts.length, 3);
    for (const e of q.evidence.excerpts) assert.doesNotMatch(e.text, /\?/);
    assertEvidence(t, a);
  });

  test('areas are ordered most severe first and the score drops as problems add up', () => {
    const one = speakerA(meeting({ fillersPer100: 6 }));
    const two = speakerA(meeting({ fillersPer100: 6, wpm: 220 }));
    assert.ok((two.communicationScore ?? 0) < (one.communicationScore ?? 0));
    const rank = { high: 0, medium: 1, low: 2 };
    for (let i = 1; i < two.improvementAreas.length; i++) {
      assert.ok(rank[two.improvementAreas[i - 1].severity] <= rank[two.improvementAreas[i].severity]);
    }
  });

  test('deterministic: same input, same output; utterance order does not matter', () => {
    const t = syntheticMeeting({ speakers: 5, durationSec: 900, seed: 7 });
    const shuffled = { ...t, utterances: [...t.utterances].reverse() };
    assert.deepEqual(analyzeTranscript(t), analyzeTranscript(t));
    assert.deepEqual(analyzeTranscript(t), analyzeTranscript(shuffled));
    for (const s of analyzeTranscript(t).speakers) {
      assert.ok(s.communicationScore !== null && s.communicationScore >= 0 && s.communicationScore <= 100);
      assertEvidence(t, s);
    }
  });
});

describe('scoreSpeaker', () => {
  const base: SpeakerMetrics = {
    id: 'A',
    name: 'A',
    talkTimeSec: 300,
    talkTimeShare: 0.25,
    wordCount: 750,
    wordsPerMinute: 150,
    fillerWordsPer100: 2,
    questionCount: 5,
    longestMonologueSec: 40,
    turns: 20,
    interruptionsMade: 1,
    interruptionsReceived: 1,
    medianResponseGapSec: 0.2,
  };
  const ctx = { activeSpeakers: 4, durationSec: 1800 };

  test('renormalises over the sub-scores it can judge', () => {
    assert.equal(scoreSpeaker(base, ctx).score, 100);
    // Too little speech to judge pace, fillers, questions or interruptions; share and monologue remain.
    const brief = scoreSpeaker({ ...base, talkTimeSec: 20, wordCount: 40, turns: 2, talkTimeShare: 0.05 }, ctx);
    const judged = brief.components.filter((c) => c.score !== null).map((c) => c.key);
    assert.deepEqual(judged, ['talkShare', 'monologue']);
    const share = brief.components.find((c) => c.key === 'talkShare');
    assert.equal(brief.score, Math.round(((share?.score ?? 0) * 20 + 100 * 15) / 35));
    assert.equal(scoreSpeaker({ ...base, talkTimeSec: 0, wordCount: 0, turns: 0 }, ctx).score, null);
  });

  test('sub-scores follow the documented curves', () => {
    const pace = (wpm: number): number | null =>
      scoreSpeaker({ ...base, wordsPerMinute: wpm }, ctx).components.find((c) => c.key === 'pace')?.score ?? null;
    assert.equal(pace(130), 100);
    assert.equal(pace(175), 100);
    assert.equal(pace(110), 50);
    assert.equal(pace(200), 50);
    assert.equal(pace(300), 0);
    assert.equal(applyCurve([[4, 100], [8, 50], [12, 0]], 6), 75);
    assert.equal(applyCurve([[4, 100], [8, 50], [12, 0]], 0), 100);
  });
});
