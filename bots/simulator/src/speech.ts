import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '@rapport/common';

const execFileAsync = promisify(execFile);

/** One synthesized line: where the WAV lives, its content hash (the URL key) and its exact length. */
export interface Clip {
  hash: string;
  path: string;
  durationMs: number;
}

export function speechCacheDir(): string {
  return join(tmpdir(), 'rapport-sim-tts');
}

/**
 * Duration of a PCM WAV file from its header: data chunk size / byte rate. espeak-ng writes a
 * plain RIFF file with a `fmt ` and a `data` chunk; we walk the chunks rather than assume offsets.
 */
export function wavDurationMs(buf: Buffer): number {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let byteRate = 0;
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') byteRate = buf.readUInt32LE(body + 8);
    if (id === 'data') {
      if (byteRate === 0) throw new Error('WAV data chunk before fmt chunk');
      // A streaming writer may leave the size at 0 or 0xFFFFFFFF: fall back to what is there.
      const available = buf.length - body;
      const dataSize = size === 0 || size > available ? available : size;
      return (dataSize / byteRate) * 1000;
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV file has no data chunk');
}

/**
 * Synthesizes `text` with espeak-ng in `voice`, cached by content hash under os.tmpdir() so
 * repeated test runs and meetings share files. Written to a temp name and renamed, so a
 * concurrent reader never sees half a file.
 */
export async function synthesize(voice: string, text: string): Promise<Clip> {
  const hash = createHash('sha256').update(`espeak-ng\0${voice}\0${text}`).digest('hex').slice(0, 32);
  const dir = speechCacheDir();
  const path = join(dir, `${hash}.wav`);
  if (!existsSync(path)) {
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `${hash}.${randomBytes(4).toString('hex')}.tmp.wav`);
    try {
      // `--` so a text starting with "-" is never read as an option.
      await execFileAsync('espeak-ng', ['-v', voice, '-w', tmp, '--', text], { timeout: 30_000 });
      await rename(tmp, path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      const message = err instanceof Error ? err.message : String(err);
      throw new AppError('bad_request', 'speech_synthesis_failed', `espeak-ng could not speak with voice "${voice}": ${message}`);
    }
  }
  return { hash, path, durationMs: Math.round(wavDurationMs(await readFile(path)) * 1000) / 1000 };
}
