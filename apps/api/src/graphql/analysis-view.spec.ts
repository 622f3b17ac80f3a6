import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeTranscript, syntheticMeeting } from '@rapport/analytics';
import { scoreComponentsOf, toConsentRecord, toExercises, toImprovementAreas, toSpeakerMetrics, toSpeakerShares } from './analysis-view';

const analysis = analyzeTranscript(syntheticMeeting({ speakers: 3, durationSec: 900, seed: 4 }));
const speaker = analysis.speakers[0]!;
const { communicationScore: _score, improvementAreas, recommendations: _recs, ...metrics } = speaker;

test('stored speaker metrics map to the view; missing fields become null or 0, not errors', () => {
  const v = toSpeakerMetrics(metrics as unknown as Record<string, unknown>);
  assert.equal(v.talkTimeShare, speaker.talkTimeShare);
  assert.equal(v.wordsPerMinute, speaker.wordsPerMinute);
  assert.equal(v.questionCount, speaker.questionCount);
  assert.deepEqual(toSpeakerMetrics({ talkTimeShare: 'x' }), {
    talkTimeSec: 0, talkTimeShare: 0, wordsPerMinute: null, fillerWordsPer100: null, questionCount: 0, longestMonologueSec: 0, interruptionsMade: 0, interruptionsReceived: 0, turns: 0,
  });
});

test('score parts are recomputed from the metrics when the pipeline did not store them', () => {
  const parts = scoreComponentsOf(metrics as unknown as Record<string, unknown>, { activeSpeakers: 3, durationSec: analysis.meeting.durationSec });
  assert.deepEqual(parts.map((p) => p.key).sort(), ['fillers', 'interruptions', 'monologue', 'pace', 'questions', 'talkShare']);
  assert.ok(parts.every((p) => p.band.length > 0));
  const stored = scoreComponentsOf({ components: [{ key: 'pace', weight: 20, value: 150, score: 99.6, band: '130–175' }] }, { activeSpeakers: 1, durationSec: 60 });
  assert.deepEqual(stored, [{ key: 'pace', weight: 20, value: 150, score: 100, band: '130–175' }]);
  assert.deepEqual(scoreComponentsOf({}, { activeSpeakers: 1, durationSec: 60 }), []);
});

test('improvement areas keep their evidence with timestamps; junk entries are dropped', () => {
  const areas = toImprovementAreas([...improvementAreas, { nope: 1 }, 'x']);
  assert.equal(areas.length, improvementAreas.length);
  for (const [i, a] of areas.entries()) {
    assert.equal(a.area, improvementAreas[i]!.area);
    assert.equal(a.excerpts.length, improvementAreas[i]!.evidence.excerpts.length);
    assert.ok(a.excerpts.every((e) => typeof e.start === 'number'));
  }
});

test('talk shares add up to 1 and mark me', () => {
  const s = toSpeakerShares([{ label: 'S1', name: 'A', userId: 'me', talkTimeSec: 30 }, { label: 'S2', name: 'B', userId: null, talkTimeSec: 90 }], 'me');
  assert.deepEqual(s.map((x) => [x.share, x.isMe]), [[0.25, true], [0.75, false]]);
  assert.deepEqual(toSpeakerShares([{ label: 'S1', name: 'A', userId: null, talkTimeSec: 0 }], 'me').map((x) => x.share), [0]);
});

test('exercises and consent records read the stored shapes', () => {
  const ex = toExercises([{ kind: 'pause_drill', instructions: 'Do it', excerpts: [{ start: 4, end: 6, text: 'um so' }], target: { markedText: '[um] so', maxWords: 20 }, estimatedMin: 3 }]);
  assert.deepEqual(ex, [{ kind: 'pause_drill', instructions: 'Do it', excerpts: [{ start: 4, end: 6, text: 'um so', speakerId: null }], markedText: '[um] so', targetWordsPerMinute: null, targetMaxWords: 20, estimatedMin: 3 }]);
  const late = [
    { name: 'B', seenAt: new Date(1000), notifiedAt: null },
    { name: 'C', seenAt: new Date(2000), notifiedAt: new Date(17_000) },
  ];
  const c = toConsentRecord({ channel: 'meeting_chat', noticeText: 'n', postedAt: null, recordingDeleted: false, participantsPresent: ['A', { name: 'B' }, 7] }, late, []);
  assert.deepEqual(c.participants, ['A', 'B', 'C']);
  assert.deepEqual(c.lateJoiners, late);
});
