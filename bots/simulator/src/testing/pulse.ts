import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private PulseAudio server with one null sink, for tests that check what the page really
 * plays. Its own runtime dir and socket, so it never touches a daemon someone else runs.
 */
export interface PrivatePulse {
  server: string;
  sink: string;
  /** Starts recording the sink's monitor as mono s16le at `rate` Hz. */
  record(rate: number): { stop(): Promise<Buffer>; startedAt: number };
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

export async function startPrivatePulse(): Promise<PrivatePulse> {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-sim-pulse-'));
  const socket = join(dir, 'native');
  const env = { ...process.env, PULSE_RUNTIME_PATH: dir, XDG_RUNTIME_DIR: dir, HOME: dir };
  const sink = 'rapport_sim_test';
  const daemon = spawn(
    'pulseaudio',
    ['-n', '--daemonize=no', '--exit-idle-time=-1', '--use-pid-file=no', '--log-target=stderr',
      '-L', `module-native-protocol-unix socket=${socket} auth-anonymous=1`,
      '-L', `module-null-sink sink_name=${sink} rate=48000`],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  daemon.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const server = `unix:${socket}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const p = spawn('pactl', ['info'], { env: { ...process.env, PULSE_SERVER: server }, stdio: 'ignore' });
      p.on('exit', (code) => resolve(code === 0));
      p.on('error', () => resolve(false));
    });
    if (ok) break;
    if (daemon.exitCode !== null || Date.now() > deadline) {
      daemon.kill('SIGKILL');
      throw new Error(`private PulseAudio did not start: ${log.slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    server,
    sink,
    record(rate) {
      const rec = spawn('parec', ['-d', `${sink}.monitor`, '--format=s16le', `--rate=${rate}`, '--channels=1', '--raw', '--latency-msec=20'], {
        env: { ...process.env, PULSE_SERVER: server },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const startedAt = Date.now();
      const chunks: Buffer[] = [];
      rec.stdout?.on('data', (d: Buffer) => chunks.push(d));
      return {
        startedAt,
        async stop() {
          rec.kill('SIGTERM');
          await exited(rec);
          return Buffer.concat(chunks);
        },
      };
    },
    async stop() {
      daemon.kill('SIGTERM');
      await exited(daemon);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Non-silent stretches of mono s16le audio, as [startMs, endMs] from the buffer start. */
export function voicedSegments(pcm: Buffer, rate: number, opts = { frameMs: 20, threshold: 500, mergeGapMs: 400 }): Array<[number, number]> {
  const frame = Math.round((rate * opts.frameMs) / 1000);
  const segments: Array<[number, number]> = [];
  for (let i = 0; i + frame * 2 <= pcm.length; i += frame * 2) {
    let sum = 0;
    for (let j = 0; j < frame; j++) {
      const s = pcm.readInt16LE(i + j * 2);
      sum += s * s;
    }
    if (Math.sqrt(sum / frame) < opts.threshold) continue;
    const t = (i / 2 / rate) * 1000;
    const last = segments[segments.length - 1];
    if (last && t - last[1] <= opts.mergeGapMs) last[1] = t + opts.frameMs;
    else segments.push([t, t + opts.frameMs]);
  }
  return segments;
}
