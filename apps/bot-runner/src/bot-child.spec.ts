import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBotLine } from './bot-child';

describe('parseBotLine', () => {
  test('status lines in the `rapport bot join` format', () => {
    assert.deepEqual(parseBotLine('{"code":"in_call_recording","subCode":null,"at":"2026-11-25T10:00:00.000Z"}'), {
      kind: 'event',
      event: { code: 'in_call_recording', subCode: null, at: '2026-11-25T10:00:00.000Z' },
    });
    assert.deepEqual(parseBotLine('{"code":"call_ended","subCode":"call_ended_by_host","at":"2026-11-25T10:00:01.000Z"}'), {
      kind: 'event',
      event: { code: 'call_ended', subCode: 'call_ended_by_host', at: '2026-11-25T10:00:01.000Z' },
    });
  });

  test('the browser pid line', () => {
    assert.deepEqual(parseBotLine('{"browserPid":4242}'), { kind: 'browser', pid: 4242 });
  });

  test('anything else is junk, never an event', () => {
    for (const line of [
      'hello',
      '',
      '[]',
      'null',
      '{"code":"scheduled","subCode":null,"at":"2026-11-25T10:00:00.000Z"}',
      '{"code":"done","subCode":"made_up","at":"2026-11-25T10:00:00.000Z"}',
      '{"code":"done","subCode":7}',
      '{"browserPid":"12"}',
    ]) {
      assert.equal(parseBotLine(line).kind, 'junk', line);
    }
  });

  test('a missing or broken time is replaced by the time of reading', () => {
    const before = Date.now();
    const parsed = parseBotLine('{"code":"joining_call","subCode":null,"at":"yesterday"}');
    assert.equal(parsed.kind, 'event');
    if (parsed.kind === 'event') assert.ok(Date.parse(parsed.event.at) >= before);
  });
});
