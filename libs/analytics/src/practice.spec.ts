import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot } from '@rapport/common';
import { analyzeTranscript, buildPracticeModules, loadAmiMeeting, markFillers } from '@rapport/analytics';
import type { PracticeModule, SpeakerAnalysis, Transcript } from '@rapport/analytics';

const AMI = join(repoRoot(), 'libs', 'analytics', 'fixtures', 'ami');

function speaker(meeting: string, id: string): { t: Transcript; s: SpeakerAnalysis } {
  const t = loadAmiMeeting(AMI, meeting);
  const s = analyzeTranscript(t).speakers.find((x) => x.id === id);
  assert.ok(s);
  return { t, s };
}

function mod(modules: PracticeModule[], type: string): PracticeModule {
  const m = modules.find((x) => x.moduleType === type);
  assert.ok(m, `module ${type}; got ${modules.map((x) => x.moduleType).join(', ')}`);
  return m;
}

/** Exercises are built on the person's own words: every own excerpt lies on their utterances. */
function assertOwnMaterial(t: Transcript, s: SpeakerAnalysis, modules: PracticeModule[]): void {
  for (const m of modules) {
    assert.ok(m.exercises.length > 0, `${m.moduleType} has exercises`);
    assert.equal(m.estimatedDurationMin, m.exercises.reduce((a, e) => a + e.estimatedMin, 0));
    for (const e of m.exercises) {
      assert.ok(e.instructions.length > 20);
      for (const ex of e.excerpts) {
        const who = ex.speakerId ?? s.id;
        assert.ok(
          t.utterances.some((u) => u.speaker === who && u.start >= ex.start - 1e-9 && u.end <= ex.end + 1e-9),
          `${m.moduleType} excerpt at ${ex.start} is ${who}'s`,
        );
      }
    }
  }
}

const DIFFICULTY = { high: 'beginner', medium: 'intermediate', low: 'advanced' } as const;

describe('buildPracticeModules', () => {
  test('one module per improvement area, same order, difficulty from severity', () => {
    for (const [meeting, id] of [['TS3003a', 'A'], ['EN2002b', 'C'], ['IS1009a', 'C'], ['TS3003a', 'B']] as const) {
      const { t, s } = speaker(meeting, id);
      const modules = buildPracticeModules(s, t);
      assert.deepEqual(
        modules.map((m) => m.moduleType),
        s.improvementAreas.map((a) => a.area),
      );
      modules.forEach((m, i) => assert.equal(m.difficulty, DIFFICULTY[s.improvementAreas[i].severity]));
      assertOwnMaterial(t, s, modules);
    }
  });

  test('conciseness: retell the long stretch in about a third of the time', () => {
    const { t, s } = speaker('TS3003a', 'A');
    const m = mod(buildPracticeModules(s, t), 'conciseness');
    const retell = m.exercises.find((e) => e.kind === 'retell_shorter');
    assert.ok(retell);
    const ex = retell.excerpts[0];
    const said = Math.round(ex.end - ex.start);
    assert.equal(said, Math.round(s.longestMonologueSec));
    assert.match(retell.instructions, new RegExp(`Retell this ${said}-second stretch`));
    const target = retell.target?.durationSec ?? 0;
    assert.ok(target >= said / 4 && target <= said / 2, `target ${target} s for ${said} s`);
  });

  test('filler words: the own excerpt with its fillers marked', () => {
    const { t, s } = speaker('TS3003a', 'B');
    const m = mod(buildPracticeModules(s, t), 'filler_words');
    const drills = m.exercises.filter((e) => e.kind === 'say_without_fillers');
    assert.ok(drills.length > 0);
    for (const d of drills) {
      const marked = d.target?.markedText ?? '';
      assert.match(marked, /\[(um|uh|hmm|ah|er|erm|eh|you know|i mean|sort of|kind of)\]/i);
      assert.equal(marked.replace(/[[\]]/g, ''), d.excerpts[0].text);
    }
    assert.equal(markFillers('So, um, you know, it works. Mm-hmm.'), 'So, [um], [you know], it works. Mm-hmm.');
  });

  test("questioning: three of the speaker's own statements to turn into questions", () => {
    const { t, s } = speaker('IS1009a', 'C');
    const m = mod(buildPracticeModules(s, t), 'questioning');
    const e = m.exercises[0];
    assert.equal(e.kind, 'statements_to_questions');
    assert.equal(e.excerpts.length, 3);
    assert.equal(e.target?.count, 3);
    assert.match(e.instructions, /these 3 statements/);
    for (const ex of e.excerpts) assert.doesNotMatch(ex.text, /\?/);
  });

  test('active listening: the interrupted words as context, then the own reply', () => {
    const { t, s } = speaker('EN2002b', 'C');
    const m = mod(buildPracticeModules(s, t), 'active_listening');
    for (const e of m.exercises) {
      assert.equal(e.kind, 'summarize_before_responding');
      assert.equal(e.excerpts.length, 2);
      assert.ok(e.excerpts[0].speakerId !== undefined && e.excerpts[0].speakerId !== 'C');
      assert.equal(e.excerpts[1].speakerId, undefined);
      assert.ok(e.excerpts[1].start < e.excerpts[0].end, 'the reply started before the other finished');
    }
  });

  test('pure: no areas, no modules; same input, same output; inputs untouched', () => {
    const { t, s } = speaker('EN2002b', 'A');
    assert.deepEqual(s.improvementAreas, []);
    assert.deepEqual(buildPracticeModules(s, t), []);
    const other = speaker('IS1009a', 'C');
    const before = JSON.stringify(other.s);
    assert.deepEqual(buildPracticeModules(other.s, other.t), buildPracticeModules(other.s, other.t));
    assert.equal(JSON.stringify(other.s), before);
  });
});
