import type { AddressInfo } from 'node:net';
import { SimulatorServer } from './server';

export { parseScenario, scenarioSchema, voicesFor, DEFAULT_VOICES } from './scenario';
export type { Scenario, ScenarioInput } from './scenario';
export type { BotStatus, DenyReason, SimEvent, SimParticipant, ChatEntry, Utterance, ScriptLine } from './meeting';
export { SimulatorServer } from './server';
export { synthesize, wavDurationMs, speechCacheDir } from './speech';

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
}

export interface RunningSimulator {
  /** e.g. `http://127.0.0.1:4010`; what RAPPORT_PLATFORM_ORIGINS maps meet.google.com to. */
  origin: string;
  server: SimulatorServer;
  close(): Promise<void>;
}

/** Starts the meeting simulator (Meet-shaped pages + `/_sim/` control API) on host:port. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  const sim = new SimulatorServer();
  const http = sim.app.listen(options.port ?? 0, host);
  await new Promise<void>((resolve, reject) => {
    http.once('listening', resolve);
    http.once('error', reject);
  });
  const { port } = http.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    origin: `http://${shownHost}:${port}`,
    server: sim,
    close: () =>
      new Promise<void>((resolve, reject) => {
        sim.dispose();
        http.closeAllConnections();
        http.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export { SimulatorClient } from './client';
export type { CreatedMeeting, MeetingState, HostAction } from './client';
