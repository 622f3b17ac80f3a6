import { mkdirSync } from 'node:fs';
import { runCommand, sleep } from './process-util';
import type { RuntimeEnv } from './runtime-env';

/** Environment that points pactl, ffmpeg and Chromium at the PulseAudio server in use. */
export type PulseEnv = Record<string, string>;

async function pulseAnswers(env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    const r = await runCommand('pactl', ['info'], { env, timeoutMs: 5000 });
    return r.code === 0;
  } catch {
    return false;
  }
}

/**
 * Finds a running PulseAudio server, or starts one. Root is fine: `--system=false` keeps it a
 * per-user daemon (it only warns), and `--exit-idle-time=-1` keeps it up between bots.
 * Several bot processes may race to start it; the loser's `pulseaudio -D` fails and it simply
 * uses the winner's server.
 */
export async function ensurePulseAudio(runtime: RuntimeEnv): Promise<PulseEnv> {
  const inherited: PulseEnv = { ...runtime.inheritedPulse } as PulseEnv;
  if (Object.keys(inherited).length && (await pulseAnswers({ ...process.env, ...inherited }))) return inherited;
  const own: PulseEnv = { XDG_RUNTIME_DIR: runtime.pulseRuntimeDir };
  const env = { ...process.env, ...own };
  delete env.PULSE_SERVER;
  if (await pulseAnswers(env)) return own;
  mkdirSync(runtime.pulseRuntimeDir, { recursive: true, mode: 0o700 });
  await runCommand('pulseaudio', ['-D', '--system=false', '--exit-idle-time=-1'], { env, timeoutMs: 10000 }).catch(() => undefined);
  for (let i = 0; i < 50; i++) {
    if (await pulseAnswers(env)) return own;
    await sleep(100);
  }
  throw new Error(`PulseAudio did not start (XDG_RUNTIME_DIR=${runtime.pulseRuntimeDir})`);
}

export interface NullSink {
  name: string;
  monitor: string;
  moduleIndex: number;
}

/** One null sink per bot, so each bot's Chromium plays into its own recording source. */
export async function createNullSink(pulse: PulseEnv, botId: string): Promise<NullSink> {
  const name = `rapport_${botId.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const r = await runCommand(
    'pactl',
    ['load-module', 'module-null-sink', `sink_name=${name}`, 'rate=48000', 'channels=1', `sink_properties=device.description=${name}`],
    { env: { ...process.env, ...pulse }, timeoutMs: 5000 },
  );
  const moduleIndex = Number.parseInt(r.stdout.trim(), 10);
  if (r.code !== 0 || !Number.isFinite(moduleIndex)) throw new Error(`pactl load-module failed: ${r.stderr.trim()}`);
  return { name, monitor: `${name}.monitor`, moduleIndex };
}

export async function removeNullSink(pulse: PulseEnv, sink: NullSink): Promise<void> {
  await runCommand('pactl', ['unload-module', String(sink.moduleIndex)], { env: { ...process.env, ...pulse }, timeoutMs: 5000 }).catch(
    () => undefined,
  );
}
