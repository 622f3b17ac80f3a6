import { spawn } from 'node:child_process';

/**
 * ffmpeg over pipes: the decrypted audio goes in on stdin and chunks come back on stdout, so
 * plaintext audio never touches the disk.
 */
function run(cmd: string, args: string[], input: Buffer): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr: err });
      else reject(new Error(`${cmd} exited with ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
    });
    // ffmpeg may stop reading early (e.g. past -t); EPIPE then is expected.
    p.stdin.on('error', () => undefined);
    p.stdin.end(input);
  });
}

/** Duration in seconds, by decoding (ogg read from a pipe has no duration in its header). */
export async function probeDurationSec(audio: Buffer): Promise<number> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostats', '-i', 'pipe:0', '-f', 'null', '-'], audio).catch(async () =>
    run('ffmpeg', ['-hide_banner', '-i', 'pipe:0', '-f', 'null', '-'], audio),
  );
  const times = [...stderr.matchAll(/time=(\d+):(\d+):(\d+(?:\.\d+)?)/g)];
  const last = times.at(-1);
  if (!last) throw new Error('could not read the audio duration');
  return Number(last[1]) * 3600 + Number(last[2]) * 60 + Number(last[3]);
}

export interface AudioChunk {
  data: Buffer;
  offsetSec: number;
  durationSec: number;
}

/** Cuts audio into consecutive Ogg/Opus chunks of `chunkSec` seconds (re-encoded, mono 16 kHz, 32 kbit/s). */
export async function splitAudio(audio: Buffer, chunkSec: number, durationSec?: number | null): Promise<AudioChunk[]> {
  const total = durationSec && durationSec > 0 ? durationSec : await probeDurationSec(audio);
  const chunks: AudioChunk[] = [];
  for (let offset = 0; offset < total - 0.05; offset += chunkSec) {
    const len = Math.min(chunkSec, total - offset);
    const { stdout } = await run(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-ss', offset.toFixed(3), '-t', len.toFixed(3), '-vn', '-ac', '1', '-ar', '16000', '-c:a', 'libopus', '-b:a', '32k', '-f', 'ogg', 'pipe:1'],
      audio,
    );
    chunks.push({ data: stdout, offsetSec: offset, durationSec: len });
  }
  return chunks;
}
