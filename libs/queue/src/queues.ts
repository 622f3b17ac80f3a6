import type { JobOptions } from 'bull';

/** Every queue, its job names and their payload types, in one place. */
export const QUEUES = {
  maintenance: 'maintenance',
  /** Bot dispatch: one job per bot run, consumed by the bot runner pool. */
  bots: 'bots',
  /** The analysis pipeline: transcribe → analyze → practice → notify. */
  analysis: 'analysis',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface MaintenanceJobs {
  /** Deletes meetings past their owner's retention period. */
  'retention.purge': { requestedAt: string };
  /** Deletes refresh tokens that expired more than a day ago. */
  'tokens.cleanup': { requestedAt: string };
}

export const MAINTENANCE_JOBS: { [K in keyof MaintenanceJobs]: K } = {
  'retention.purge': 'retention.purge',
  'tokens.cleanup': 'tokens.cleanup',
};

/** Defaults every producer uses: retries with exponential backoff, bounded history. */
export const DEFAULT_JOB_OPTIONS: JobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
};

/** Daily schedules (cron, UTC) the scheduler registers as repeatable jobs. */
export const MAINTENANCE_SCHEDULE: Record<keyof MaintenanceJobs, string> = {
  'retention.purge': '17 3 * * *',
  'tokens.cleanup': '47 3 * * *',
};

export interface BotJobs {
  /** Start the bot whose row is `botId` (the row is the truth; this is the doorbell). */
  'bot.run': { botId: string };
}

export interface AnalysisJobs {
  /**
   * Process a finished meeting. Preconditions: the recording is stored encrypted under
   * `blobKeys.recording(userId, meetingId)` with a `recordings` row, and the bot's timeline
   * and captions under `blobKeys.timeline` / `blobKeys.captions` (envelope-encrypted JSON).
   */
  'meeting.process': { meetingId: string; botId: string | null; reason: 'bot_done' | 'reanalyze' };
}
