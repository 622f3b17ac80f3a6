import { spawn, type SpawnOptions } from 'node:child_process';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a short command to completion (pactl, ffmpeg concat), never through a shell. */
export function runCommand(cmd: string, args: readonly string[], opts: SpawnOptions & { timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : null;
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Waits `ms`, or less when `signal` is (or gets) aborted: a leave request never waits out a pause. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Resolves with the promise's outcome, or with `onAbort` as soon as `signal` is aborted (the
 * promise keeps running; its late rejection is swallowed).
 */
export async function unlessAborted<T, A>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: A): Promise<T | A> {
  if (!signal) return promise;
  promise.catch(() => undefined);
  if (signal.aborted) return onAbort;
  let listener: (() => void) | undefined;
  try {
    return await Promise.race([promise, new Promise<A>((r) => signal.addEventListener('abort', (listener = () => r(onAbort)), { once: true }))]);
  } finally {
    if (listener) signal.removeEventListener('abort', listener);
  }
}

/** Resolves with the promise's value, or with `fallback` after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<T>((r) => (timer = setTimeout(() => r(fallback), ms)))]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
