import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sleep, unlessAborted } from './process-util';

describe('abortable waits', () => {
  test('sleep ends as soon as the signal aborts, and at once when it already has', async () => {
    const leave = new AbortController();
    const t0 = Date.now();
    setTimeout(() => leave.abort(), 50);
    await sleep(10_000, leave.signal);
    assert.ok(Date.now() - t0 < 1000, `slept ${Date.now() - t0} ms`);
    const t1 = Date.now();
    await sleep(10_000, leave.signal);
    assert.ok(Date.now() - t1 < 100);
    const t2 = Date.now();
    await sleep(60);
    assert.ok(Date.now() - t2 >= 55, 'without a signal it waits the full time');
  });

  test('unlessAborted gives the fallback on abort, the value otherwise, and swallows a late rejection', async () => {
    const leave = new AbortController();
    let rejectLate: (e: Error) => void = () => undefined;
    const pending = new Promise<string>((_, reject) => (rejectLate = reject));
    setTimeout(() => leave.abort(), 30);
    assert.equal(await unlessAborted(pending, leave.signal, 'left'), 'left');
    rejectLate(new Error('navigation timeout after the bot left'));
    assert.equal(await unlessAborted(Promise.resolve('page'), new AbortController().signal, 'left'), 'page');
    assert.equal(await unlessAborted(Promise.resolve('page'), undefined, 'left'), 'page');
    await assert.rejects(unlessAborted(Promise.reject(new Error('boom')), new AbortController().signal, 'left'), /boom/);
    await new Promise((r) => setTimeout(r, 20));
  });
});
