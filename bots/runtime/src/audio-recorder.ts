import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { runCommand } from './process-util';
import type { PulseEnv } from './pulse-audio';

export interface AudioRecorderOptions {
  /** PulseAudio source to record, e.g. `rapport_<bot>.monitor`. */
  source: string;
  /** Folder for segments and the final file. */
  dir: string;
  pulse: PulseEnv;
  log: Logger;
  /** Segment length; segments are closed (and so flushed) as each one ends. */
  segmentSeconds?: number;
  /** Below this level counts as silence (dBFS). */
  silenceThresholdDb?: number;
}

export const RECORDING_EXT = 'ogg';

/**
 * Records a PulseAudio source with ffmpeg into Opus segments of at most `segmentSeconds`, so a
 * crash loses at most the segment in progress; `finalize()` joins them into `recording.ogg`.
 * ffmpeg's silencedetect runs on the same stream and feeds the silence auto-leave rule.
 */
export class AudioRecorder {
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> | null = null;
  private startedAtMs: number | null = null;
  private silentSinceMs: number | null = null;
  private stderrTail = '';
  readonly segmentDir: string;

  constructor(private readonly opts: AudioRecorderOptions) {
    this.segmentDir = join(opts.dir, 'segments');
  }

  /** Epoch ms of the first recorded sample (ffmpeg's pulse input start time). */
  get startedAt(): number | null {
    return this.startedAtMs;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Last time the recorded audio was above the silence threshold (now, while it is). */
  lastSoundAt(now = Date.now()): number | null {
    if (this.startedAtMs === null) return null;
    return this.silentSinceMs ?? now;
  }

  /** Starts ffmpeg and resolves once it reports the input's start time. */
  async start(timeoutMs = 10000): Promise<number> {
    mkdirSync(this.segmentDir, { recursive: true });
    const seg = this.opts.segmentSeconds ?? 5;
    const noise = this.opts.silenceThresholdDb ?? -50;
    const args = [
      '-hide_banner', '-nostats', '-loglevel', 'info', '-nostdin',
      '-f', 'pulse', '-fragment_size', '3840', '-i', this.opts.source,
      '-ac', '1', '-ar', '48000',
      '-af', `silencedetect=noise=${noise}dB:d=1`,
      '-c:a', 'libopus', '-b:a', '32k', '-application', 'voip',
      '-f', 'segment', '-segment_time', String(seg), '-segment_format', 'ogg', '-reset_timestamps', '1',
      '-flush_packets', '1',
      '-segment_list', join(this.opts.dir, 'segments.csv'), '-segment_list_type', 'csv',
      join(this.segmentDir, 'seg-%05d.ogg'),
    ];
    const child = spawn('ffmpeg', args, { env: { ...process.env, ...this.opts.pulse }, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`ffmpeg did not start recording: ${this.stderrTail}`)), timeoutMs);
      let buffered = '';
      child.stderr?.on('data', (d: Buffer) => {
        const text = d.toString();
        this.stderrTail = (this.stderrTail + text).slice(-2000);
        buffered += text;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          this.onLine(line, () => {
            clearTimeout(timer);
            resolve(this.startedAtMs as number);
          });
        }
      });
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (this.startedAtMs === null) reject(new Error(`ffmpeg exited ${code}: ${this.stderrTail}`));
      });
    });
  }

  private onLine(line: string, onStart: () => void): void {
    const start = /Duration: N\/A, start: (\d+\.\d+)/.exec(line);
    if (start && this.startedAtMs === null) {
      // The pulse demuxer stamps packets with the wall clock; output time 0 is this instant.
      this.startedAtMs = Math.round(Number.parseFloat(start[1]) * 1000);
      onStart();
      return;
    }
    if (this.startedAtMs === null) return;
    const silenceStart = /silence_start: (-?\d+(?:\.\d+)?)/.exec(line);
    if (silenceStart) {
      this.silentSinceMs = this.startedAtMs + Math.max(0, Number.parseFloat(silenceStart[1])) * 1000;
      return;
    }
    if (/silence_end:/.test(line)) this.silentSinceMs = null;
  }

  /** Total bytes written so far, for the media-liveness watchdog. */
  bytesWritten(): number {
    if (!existsSync(this.segmentDir)) return 0;
    let total = 0;
    for (const f of readdirSync(this.segmentDir)) total += statSync(join(this.segmentDir, f)).size;
    return total;
  }

  segmentFiles(): string[] {
    if (!existsSync(this.segmentDir)) return [];
    return readdirSync(this.segmentDir)
      .filter((f) => /^seg-\d+\.ogg$/.test(f))
      .sort()
      .map((f) => join(this.segmentDir, f));
  }

  /** Stops ffmpeg cleanly (it closes the open segment), killing it if it hangs. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.exited) return;
    if (this.running) child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  /**
   * Joins the segments into `recording.ogg` (stream copy, no re-encode). Returns its path, or
   * null if nothing was recorded. Segments are removed once the joined file exists.
   */
  async finalize(): Promise<string | null> {
    await this.stop();
    const segments = this.segmentFiles().filter((f) => statSync(f).size > 0);
    if (!segments.length) return null;
    const list = join(this.opts.dir, 'segments.txt');
    writeFileSync(list, segments.map((f) => `file '${f.replace(/'/g, "'\\''")}'`).join('\n') + '\n');
    const out = join(this.opts.dir, `recording.${RECORDING_EXT}`);
    const r = await runCommand('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', out], {
      timeoutMs: 120000,
    });
    if (r.code !== 0) {
      this.opts.log.error({ stderr: r.stderr.slice(-1000) }, 'joining segments failed; keeping the segments');
      return null;
    }
    rmSync(list, { force: true });
    rmSync(this.segmentDir, { recursive: true, force: true });
    rmSync(join(this.opts.dir, 'segments.csv'), { force: true });
    return out;
  }

  /** Stops and deletes everything recorded (opt-out). */
  async discard(): Promise<void> {
    await this.stop();
    rmSync(this.segmentDir, { recursive: true, force: true });
    rmSync(join(this.opts.dir, 'segments.csv'), { force: true });
    rmSync(join(this.opts.dir, 'segments.txt'), { force: true });
    rmSync(join(this.opts.dir, `recording.${RECORDING_EXT}`), { force: true });
  }
}
