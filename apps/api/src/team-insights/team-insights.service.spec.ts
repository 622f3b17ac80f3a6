import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buckets, scoreChange, startOfWeek } from './team-insights.service';

test('buckets label ranges and leave the last one open', () => {
  const b = buckets({ from: 0, width: 0.1, buckets: 3 }, [1, 2, 3], (x) => `${Math.round(x * 100)}%`);
  assert.deepEqual(b.map((x) => x.label), ['0%–10%', '10%–20%', '20%+']);
  assert.equal(b[2]!.to, null);
  assert.deepEqual(b.map((x) => x.count), [1, 2, 3]);
});

test('score change compares the last four scored weeks with the four before', () => {
  const w = (s: number | null) => ({ weekStart: new Date(), members: 3, meetings: 3, averageScore: s });
  assert.equal(scoreChange([w(60), w(60), w(60), w(60), w(70), w(70), w(null), w(70), w(70)]), 10);
  assert.equal(scoreChange([w(60), w(70)]), null);
});

test('weeks start on Monday, UTC', () => {
  assert.equal(startOfWeek(new Date('2026-11-25T10:00:00Z')).toISOString(), '2026-11-23T00:00:00.000Z');
  assert.equal(startOfWeek(new Date('2026-11-23T00:00:00Z')).toISOString(), '2026-11-23T00:00:00.000Z');
  assert.equal(startOfWeek(new Date('2026-11-29T23:59:00Z')).toISOString(), '2026-11-23T00:00:00.000Z');
});
