import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { wavDurationMs } from './speech';

/** A minimal PCM WAV: `extra` chunks before `data` exercise the chunk walk. */
function wav(samples: number, sampleRate: number, opts: { extraChunk?: boolean; dataSize?: number } = {}): Buffer {
  const channels = 1;
  const bytesPerSample = 2;
  const data = Buffer.alloc(samples * bytesPerSample);
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(1, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(sampleRate, 12);
  fmt.writeUInt32LE(sampleRate * channels * bytesPerSample, 16);
  fmt.writeUInt16LE(channels * bytesPerSample, 20);
  fmt.writeUInt16LE(16, 22);
  const extra = Buffer.alloc(8 + 3 + 1); // odd-sized chunk plus its pad byte
  extra.write('LIST', 0, 'ascii');
  extra.writeUInt32LE(3, 4);
  const dataHeader = Buffer.alloc(8);
  dataHeader.write('data', 0, 'ascii');
  dataHeader.writeUInt32LE(opts.dataSize ?? data.length, 4);
  const body = Buffer.concat([Buffer.from('WAVE', 'ascii'), fmt, ...(opts.extraChunk ? [extra] : []), dataHeader, data]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

describe('wavDurationMs', () => {
  test('is data bytes over byte rate', () => {
    assert.equal(wavDurationMs(wav(22050, 22050)), 1000);
    assert.equal(wavDurationMs(wav(11025, 22050)), 500);
  });

  test('walks past other chunks, including odd-sized ones', () => {
    assert.equal(wavDurationMs(wav(44100, 44100, { extraChunk: true })), 1000);
  });

  test('falls back to the bytes present when a streaming writer left the size open', () => {
    assert.equal(wavDurationMs(wav(22050, 22050, { dataSize: 0xffffffff })), 1000);
    assert.equal(wavDurationMs(wav(22050, 22050, { dataSize: 0 })), 1000);
  });

  test('rejects what is not a WAV file', () => {
    assert.throws(() => wavDurationMs(Buffer.from('ID3 not a wav at all')), /RIFF/);
  });
});
