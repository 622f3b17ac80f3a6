import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TimelineRecorder } from './timeline';

describe('TimelineRecorder', () => {
  test('renders events and speaker turns relative to the recording start', () => {
    const t = new TimelineRecorder();
    const base = 1_700_000_000_000;
    t.add({ type: 'participant_joined', name: 'Ada', at: base - 2000 });
    t.add({ type: 'speaking_started', name: 'Ada', at: base + 1000 });
    t.add({ type: 'speaking_started', name: 'Ada', at: base + 1100 });
    t.add({ type: 'speaking_stopped', name: 'Ada', at: base + 3000 });
    t.add({ type: 'speaking_started', name: 'Grace', at: base + 3500 });
    t.add({ type: 'caption', speaker: 'Grace', text: 'hello', at: base + 3600 });
    t.add({ type: 'chat', from: 'Grace', text: 'hi', self: false, at: base + 3700 });
    const doc = t.timeline(base, base + 6000);
    assert.equal(doc.recordingStartedAt, new Date(base).toISOString());
    assert.deepEqual(doc.speakerTurns, [
      { speaker: 'Ada', startMs: 1000, endMs: 3000 },
      { speaker: 'Grace', startMs: 3500, endMs: 6000 },
    ]);
    assert.equal(doc.events[0].atMs, -2000);
    assert.deepEqual(t.captions(base), [{ speaker: 'Grace', text: 'hello', atMs: 3600 }]);
  });

  test('a participant leaving closes their turn; speech before recording is clipped to 0', () => {
    const t = new TimelineRecorder();
    t.add({ type: 'speaking_started', name: 'Ada', at: 500 });
    t.add({ type: 'participant_left', name: 'Ada', at: 2500 });
    assert.deepEqual(t.timeline(1000, 9000).speakerTurns, [{ speaker: 'Ada', startMs: 0, endMs: 1500 }]);
  });
});
