import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MediaWatchdog } from './media-watchdog';

describe('MediaWatchdog', () => {
  const alive = { pageResponsive: true, browserAlive: true };

  test('a dead browser fails at once, even while bytes still grow', () => {
    const w = new MediaWatchdog();
    assert.deepEqual(w.check({ now: 0, bytesWritten: 10, ...alive }), { ok: true });
    assert.deepEqual(w.check({ now: 1000, bytesWritten: 20, pageResponsive: true, browserAlive: false }), {
      ok: false,
      reason: 'browser_exited',
    });
  });

  test('a recording that stops growing fails after the stall window', () => {
    const w = new MediaWatchdog({ stallMs: 5000, maxUnresponsive: 3 });
    assert.equal(w.check({ now: 0, bytesWritten: 100, ...alive }).ok, true);
    assert.equal(w.check({ now: 4000, bytesWritten: 100, ...alive }).ok, true);
    assert.deepEqual(w.check({ now: 5000, bytesWritten: 100, ...alive }), { ok: false, reason: 'recording_stalled' });
  });

  test('silence is not a failure: bytes keep growing', () => {
    const w = new MediaWatchdog({ stallMs: 5000, maxUnresponsive: 3 });
    for (let t = 0; t < 60000; t += 1000) assert.equal(w.check({ now: t, bytesWritten: t + 1, ...alive }).ok, true);
  });

  test('the page must miss several checks in a row', () => {
    const w = new MediaWatchdog({ stallMs: 5000, maxUnresponsive: 2 });
    assert.equal(w.check({ now: 0, bytesWritten: null, pageResponsive: false, browserAlive: true }).ok, true);
    assert.equal(w.check({ now: 1, bytesWritten: null, pageResponsive: true, browserAlive: true }).ok, true);
    assert.equal(w.check({ now: 2, bytesWritten: null, pageResponsive: false, browserAlive: true }).ok, true);
    assert.deepEqual(w.check({ now: 3, bytesWritten: null, pageResponsive: false, browserAlive: true }), {
      ok: false,
      reason: 'page_unresponsive',
    });
  });
});
