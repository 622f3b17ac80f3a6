import { parsePlatformOrigins, type PlatformOriginMap } from './platform-origins';

/**
 * The only place the bot runtime reads the environment. The bot runs as its own process (CLI or
 * the bot runner's child), so it reads just what it needs rather than the whole app config.
 */
export interface RuntimeEnv {
  platformOrigins: PlatformOriginMap;
  chromiumPath: string;
  /** Where PulseAudio keeps its socket when the runtime has to start it. */
  pulseRuntimeDir: string;
  /** PulseAudio location inherited from the caller, if any. */
  inheritedPulse: { XDG_RUNTIME_DIR?: string; PULSE_SERVER?: string };
}

export function readRuntimeEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const inheritedPulse: RuntimeEnv['inheritedPulse'] = {};
  if (env.XDG_RUNTIME_DIR) inheritedPulse.XDG_RUNTIME_DIR = env.XDG_RUNTIME_DIR;
  if (env.PULSE_SERVER) inheritedPulse.PULSE_SERVER = env.PULSE_SERVER;
  return {
    platformOrigins: parsePlatformOrigins(env.RAPPORT_PLATFORM_ORIGINS),
    chromiumPath: env.RAPPORT_CHROMIUM_PATH || '/usr/bin/chromium',
    pulseRuntimeDir: env.RAPPORT_PULSE_RUNTIME_DIR || '/tmp/rapport-pulse',
    inheritedPulse,
  };
}
