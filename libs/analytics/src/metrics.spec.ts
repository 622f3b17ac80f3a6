import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '@rapport/common';
import { analyzeTranscript, computeMetrics, gini, parseTranscript } from '@rapport/analytics';
import type { SpeakerMetrics, Transcript, TranscriptMetrics } from '@rapport/analytics';

type U = [speaker: string, start: number, end: number, text?: string];

function transcript(ids: string[], utts: U[], durationSec?: number): Transcript {
  const t = parseTranscript({
    ...(durationSec === undefined ? {} : { durationSec }),
    speakers: ids.map((id) => ({ id, name: `Name ${id}` })),
    utterances: utts.map(([speaker, start, end, text]) => ({ speaker, start, end, text: text ?? 'one two three' })),
  });
  return t;
}

function metrics(ids: string[], utts: U[], durationSec?: number): TranscriptMetrics {
  return computeMetrics(transcript(ids, utts, durationSec));
}

function sp(m: TranscriptMetrics, id: string): SpeakerMetrics {
  const s = m.speakers.find((x) => x.id === id);
  assert.ok(s, `speaker ${id}`);
  return s;
}

describe('computeMetrics: edge cases', () => {
  test('empty meeting: no utterances gives zeros and nulls, not NaN', () => {
    const m = metrics(['A', 'B'], []);
    assert.deepEqual(m.meeting, { durationSec: 0, overlapShare: 0, talkTimeGini: 0, speakerSwitchesPerMinute: 0 });
    for (const s of m.speakers) {
      assert.equal(s.talkTimeSec, 0);
      assert.equal(s.talkTimeShare, 0);
      assert.equal(s.wordCount, 0);
      assert.equal(s.wordsPerMinute, null);
      assert.equal(s.fillerWordsPer100, null);
      assert.equal(s.medianResponseGapSec, null);
      assert.equal(s.longestMonologueSec, 0);
      assert.equal(s.turns, 0);
    }
    const a = analyzeTranscript(transcript(['A', 'B'], []));
    assert.equal(a.speakers[0].communicationScore, null);
    assert.deepEqual(a.speakers[0].improvementAreas, []);
    assert.deepEqual(a.speakers[0].recommendations, []);
    assert.deepEqual(computeMetrics(parseTranscript({ speakers: [], utterances: [] })).speakers, []);
  });

  test('silence: a 10-minute meeting in which nobody speaks keeps its duration', () => {
    const m = metrics(['A'], [], 600);
    assert.equal(m.meeting.durationSec, 600);
    assert.equal(m.meeting.speakerSwitchesPerMinute, 0);
    assert.equal(m.meeting.overlapShare, 0);
  });

  test('durationSec shorter than the last utterance is extended to it', () => {
    assert.equal(metrics(['A'], [['A', 0, 30]], 10).meeting.durationSec, 30);
  });

  test('one speaker: all the talk, no switches, no gaps, Gini 0', () => {
    const m = metrics(['A'], [
      ['A', 0, 10, 'Hello everyone, um, welcome.'],
      ['A', 11, 20, 'Shall we start?'],
    ]);
    const a = sp(m, 'A');
    assert.equal(a.talkTimeSec, 19);
    assert.equal(a.talkTimeShare, 1);
    assert.equal(a.turns, 1);
    assert.equal(a.longestMonologueSec, 20);
    assert.equal(a.medianResponseGapSec, null);
    assert.equal(a.interruptionsMade + a.interruptionsReceived, 0);
    assert.equal(a.wordCount, 7);
    assert.equal(a.questionCount, 1);
    assert.deepEqual(m.meeting, { durationSec: 20, overlapShare: 0, talkTimeGini: 0, speakerSwitchesPerMinute: 0 });
  });

  test('full overlap: two speakers talking over the same 10 s', () => {
    const m = metrics(['A', 'B'], [
      ['A', 0, 10],
      ['B', 0, 10],
    ]);
    assert.equal(m.meeting.overlapShare, 1);
    assert.equal(m.meeting.talkTimeGini, 0);
    assert.equal(sp(m, 'A').talkTimeShare, 0.5);
    assert.equal(sp(m, 'B').talkTimeShare, 0.5);
    // Neither takes the floor from the other: one turn in all, no switch, no interruption.
    assert.equal(sp(m, 'A').turns + sp(m, 'B').turns, 1);
    assert.equal(m.meeting.speakerSwitchesPerMinute, 0);
    assert.equal(sp(m, 'A').interruptionsMade + sp(m, 'B').interruptionsMade, 0);
  });

  test('partial overlap: time with ≥ 2 speakers over time with ≥ 1', () => {
    const m = metrics(['A', 'B'], [
      ['A', 0, 10],
      ['B', 5, 15],
    ]);
    assert.equal(m.meeting.overlapShare, round4(5 / 15));
    // An exact hand-over is not overlap.
    assert.equal(metrics(['A', 'B'], [['A', 0, 10], ['B', 10, 20]]).meeting.overlapShare, 0);
  });

  test('non-English text: CJK words are segmented; full-width and Arabic question marks count', () => {
    const m = metrics(['A', 'B', 'C'], [
      ['A', 0, 4, '我们开始吧？今天讨论遥控器。'],
      ['B', 5, 8, 'هل نبدأ الآن؟'],
      ['C', 9, 12, '¿Empezamos? Äh, wir können ähm anfangen.'],
    ]);
    assert.ok(sp(m, 'A').wordCount >= 5, `Chinese word count ${sp(m, 'A').wordCount}`);
    assert.equal(sp(m, 'A').questionCount, 1);
    assert.equal(sp(m, 'B').wordCount, 3);
    assert.equal(sp(m, 'B').questionCount, 1);
    assert.equal(sp(m, 'C').wordCount, 6);
    assert.equal(sp(m, 'C').questionCount, 1);
    // The filler lexicon is English: German "äh"/"ähm" are not counted (see docs/metrics.md).
    assert.equal(sp(m, 'C').fillerWordsPer100, 0);
  });

  test('zero-duration utterances count words and questions but no time, turns or monologue', () => {
    const m = metrics(['A', 'B'], [
      ['A', 5, 5, 'Okay?'],
      ['B', 6, 6, 'Sure.'],
    ]);
    const a = sp(m, 'A');
    assert.equal(a.wordCount, 1);
    assert.equal(a.questionCount, 1);
    assert.equal(a.talkTimeSec, 0);
    assert.equal(a.wordsPerMinute, null);
    assert.equal(a.turns, 0);
    assert.equal(a.longestMonologueSec, 0);
    assert.equal(m.meeting.overlapShare, 0);
    assert.equal(m.meeting.durationSec, 6);
  });

  test('overlapping own utterances are counted once (union), and form one turn', () => {
    const m = metrics(['A', 'B'], [
      ['A', 0, 10],
      ['A', 5, 12],
      ['B', 13, 15],
    ]);
    const a = sp(m, 'A');
    assert.equal(a.talkTimeSec, 12);
    assert.equal(a.turns, 1);
    assert.equal(a.longestMonologueSec, 12);
    assert.equal(m.meeting.overlapShare, 0);
    assert.equal(sp(m, 'B').medianResponseGapSec, 1);
  });

  test('a hand-built transcript with an unknown speaker is refused, not crashed on', () => {
    const bad: Transcript = { speakers: [{ id: 'A', name: 'A' }], utterances: [{ speaker: 'B', start: 0, end: 1, text: 'hi' }] };
    assert.throws(() => computeMetrics(bad), (e: unknown) => e instanceof AppError && /utterances\[0\]\.speaker/.test(e.message));
  });

  test('input order does not matter', () => {
    const utts: U[] = [
      ['A', 0, 10, 'first um point?'],
      ['B', 9, 20, 'second'],
      ['A', 21, 30, 'third'],
      ['C', 25, 26, 'yeah'],
    ];
    assert.deepEqual(metrics(['A', 'B', 'C'], utts), metrics(['A', 'B', 'C'], [...utts].reverse()));
  });
});

describe('computeMetrics: definitions', () => {
  test('longest monologue: own pauses under 3 s join, 3 s or more split', () => {
    assert.equal(sp(metrics(['A'], [['A', 0, 20], ['A', 22.9, 40]]), 'A').longestMonologueSec, 40);
    assert.equal(sp(metrics(['A'], [['A', 0, 20], ['A', 23, 40]]), 'A').longestMonologueSec, 20);
  });

  test("longest monologue: another speaker's utterance of ≥ 1 s ends it; a shorter backchannel does not", () => {
    const base: U[] = [
      ['A', 0, 20],
      ['A', 22, 40],
    ];
    assert.equal(sp(metrics(['A', 'B'], [...base, ['B', 10, 10.9, 'yeah']]), 'A').longestMonologueSec, 40);
    assert.equal(sp(metrics(['A', 'B'], [...base, ['B', 20.5, 21.5, 'yes I agree']]), 'A').longestMonologueSec, 20);
    // Starting inside an own utterance counts too: the run cannot span it (0–20 and 22–45 stay apart).
    const inside: U[] = [['A', 0, 20], ['A', 22, 45], ['B', 30, 31.5, 'hold on']];
    assert.equal(sp(metrics(['A', 'B'], inside), 'A').longestMonologueSec, 23);
  });

  test('a backchannel inside another speaker is not a turn and does not split their turn', () => {
    const m = metrics(['A', 'B'], [
      ['A', 0, 10],
      ['B', 3, 3.5, 'mm-hmm'],
      ['A', 10.2, 15],
    ]);
    assert.equal(sp(m, 'A').turns, 1);
    assert.equal(sp(m, 'B').turns, 0);
    assert.equal(m.meeting.speakerSwitchesPerMinute, 0);
  });

  test('interruption: taking the floor ≥ 1 s before the other stops; less overlap is a normal transition', () => {
    const soft = metrics(['A', 'B'], [['A', 0, 10], ['B', 9.5, 15]]);
    assert.equal(sp(soft, 'B').interruptionsMade, 0);
    assert.equal(sp(soft, 'B').medianResponseGapSec, -0.5);
    const hard = metrics(['A', 'B'], [['A', 0, 10], ['B', 8, 15]]);
    assert.equal(sp(hard, 'B').interruptionsMade, 1);
    assert.equal(sp(hard, 'A').interruptionsReceived, 1);
    assert.equal(sp(hard, 'A').interruptionsMade, 0);
    // Exactly 1 s of overlap counts, also where floating point makes it 0.9999999999999999 s.
    assert.equal(sp(metrics(['A', 'B'], [['A', 0, 10], ['B', 9, 15]]), 'B').interruptionsMade, 1);
    assert.equal(sp(metrics(['A', 'B'], [['A', 0, 1.9], ['B', 0.9, 5]]), 'B').interruptionsMade, 1);
  });

  test('with word timings, a backchannel that runs into a turn is not an interruption', () => {
    const input = (words: boolean): Transcript =>
      parseTranscript({
        speakers: [
          { id: 'A', name: 'A' },
          { id: 'B', name: 'B' },
        ],
        utterances: [
          { speaker: 'A', start: 0, end: 10, text: 'a long point', ...(words ? { words: [{ text: 'a', start: 0, end: 10 }] } : {}) },
          {
            speaker: 'B',
            start: 4,
            end: 12,
            text: 'Yeah. So what next?',
            ...(words
              ? {
                  words: [
                    { text: 'Yeah', start: 4, end: 4.4 },
                    { text: 'So', start: 10.3, end: 10.6 },
                    { text: 'what', start: 10.6, end: 11 },
                    { text: 'next', start: 11.1, end: 12 },
                  ],
                }
              : {}),
          },
        ],
      });
    const byUtterance = computeMetrics(input(false));
    assert.equal(sp(byUtterance, 'B').interruptionsMade, 1);
    assert.equal(sp(byUtterance, 'B').medianResponseGapSec, -6);
    const byWords = computeMetrics(input(true));
    assert.equal(sp(byWords, 'B').interruptionsMade, 0);
    assert.equal(sp(byWords, 'B').medianResponseGapSec, 0.3);
    assert.equal(sp(byWords, 'B').turns, 1);
    // Talk time and overlap stay on utterance intervals either way.
    assert.deepEqual(byWords.meeting.overlapShare, byUtterance.meeting.overlapShare);
    assert.equal(sp(byWords, 'B').talkTimeSec, 8);
  });

  test('median response gap is signed and taken over transfers into the speaker', () => {
    const m = metrics(['A', 'B'], [
      ['A', 0, 5],
      ['B', 5.5, 8],
      ['A', 8.2, 10],
      ['B', 9, 12],
    ]);
    assert.equal(sp(m, 'B').medianResponseGapSec, -0.25); // (0.5 + −1.0) / 2
    assert.equal(sp(m, 'A').medianResponseGapSec, 0.2);
    assert.equal(sp(m, 'B').interruptionsMade, 1);
    assert.equal(m.meeting.speakerSwitchesPerMinute, round3(3 / (12 / 60)));
  });

  test('talk share, WPM and Gini', () => {
    const m = metrics(['A', 'B', 'C', 'D'], [
      ['A', 0, 30, Array(75).fill('word').join(' ')],
      ['B', 31, 41, 'ten words here and there and more of them now'],
    ]);
    assert.equal(sp(m, 'A').talkTimeShare, 0.75);
    assert.equal(sp(m, 'A').wordsPerMinute, 150);
    assert.equal(sp(m, 'B').wordsPerMinute, 60);
    // Values 0, 0, 10, 30: Σ|xi − xj| = 200 over ordered pairs, 2·n²·mean = 320.
    assert.equal(m.meeting.talkTimeGini, 0.625);
    assert.equal(gini([1, 1, 1]), 0);
    assert.equal(gini([0, 0, 0, 5]), 0.75);
    assert.equal(gini([]), 0);
  });

  test('fillers: the single words with drawn-out spellings and the four pairs, per 100 words', () => {
    const m = metrics(['A'], [['A', 0, 10, 'Um, you know, I mean it is sort of kind of fine. Mm-hmm. Umm, uhh, hmmm, er, erm, ah, eh.']]);
    // 12 fillers: um, you know, i mean, sort of, kind of, umm, uhh, hmmm, er, erm, ah, eh; "mm-hmm" is one
    // (non-filler) word. 20 words in all.
    assert.equal(sp(m, 'A').wordCount, 20);
    assert.equal(sp(m, 'A').fillerWordsPer100, round2((100 * 12) / 20));
  });

  test('questions: runs of question marks', () => {
    assert.equal(sp(metrics(['A'], [['A', 0, 5, 'Really?? Are you sure? Yes.']]), 'A').questionCount, 2);
    assert.equal(sp(metrics(['A'], [['A', 0, 5, 'No question here.']]), 'A').questionCount, 0);
  });
});

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}
