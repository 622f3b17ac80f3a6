import { describe, expect, test } from 'vitest';
import { readTranscript } from './transcript';

describe('readTranscript', () => {
  test('reads the analytics shape, bare or wrapped, names speakers and sorts lines by start', () => {
    const t = {
      speakers: [{ id: 'A', name: 'Ada' }, { id: 'B', name: '' }, { id: 7 }],
      utterances: [
        { speaker: 'B', start: 5, end: 6, text: 'second' },
        { speaker: 'A', start: 1, end: 2, text: 'first' },
        { speaker: 'A', start: 'x', text: 'no start: dropped' },
        { start: 9, text: 'no speaker, no end' },
      ],
    };
    for (const body of [t, { source: 'captions', transcript: t }]) {
      const { lines, names } = readTranscript(body);
      expect(lines.map((l) => l.text)).toEqual(['first', 'second', 'no speaker, no end']);
      expect(lines[2]).toEqual({ speaker: '?', start: 9, end: 9, text: 'no speaker, no end' });
      expect([...names]).toEqual([
        ['A', 'Ada'],
        ['B', 'B'],
      ]);
    }
  });

  test('anything else reads as an empty transcript, never a crash', () => {
    for (const junk of [null, 42, 'text', [], { transcript: 'x' }, { utterances: 'x', speakers: {} }]) {
      expect(readTranscript(junk)).toEqual({ lines: [], names: new Map() });
    }
  });
});
