import type { JobOptions } from 'bull';

/** Every queue, its job names and their payload types, in one place. */
export const QUEUES = {
  maintenance: 'maintenance',
  /** Bot dispatch: one job per bot run, consumed by the bot runner pool. */
  bots: 'bots',
  /** The analysis pipeline: transcribe → analyze → practice → notify. */
  analysis: 'analysis',
  /** Calendar sync, watch channels/subscriptions, teardown and their periodic sweep. */
  calendar: 'calendar',
  /** Emails: "your report is ready" and the weekly digest, sent by the worker over SMTP. */
  email: 'email',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface MaintenanceJobs {
  /** Deletes meetings past their owner's retention period. */
  'retention.purge': { requestedAt: string };
  /** Deletes refresh tokens that expired more than a day ago. */
  'tokens.cleanup': { requestedAt: string };
  /** Resumes analysis runs whose jobs are gone from Redis; fails the ones stuck too long. */
  'pipeline.recover': { requestedAt: string };
  /** Queues the weekly digest email of every user who asked for it (Mondays, for the week before). */
  'digest.weekly': { requestedAt: string };
}

export const MAINTENANCE_JOBS: { [K in keyof MaintenanceJobs]: K } = {
  'retention.purge': 'retention.purge',
  'tokens.cleanup': 'tokens.cleanup',
  'pipeline.recover': 'pipeline.recover',
  'digest.weekly': 'digest.weekly',
};

/** Defaults every producer uses: retries with exponential backoff, bounded history. */
export const DEFAULT_JOB_OPTIONS: JobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
};

/** Schedules (cron, UTC) the scheduler registers as repeatable jobs. */
export const MAINTENANCE_SCHEDULE: Record<keyof MaintenanceJobs, string> = {
  'retention.purge': '17 3 * * *',
  'tokens.cleanup': '47 3 * * *',
  'pipeline.recover': '*/5 * * * *',
  'digest.weekly': '0 8 * * 1',
};

export interface EmailJobs {
  /** "Your report is ready" for one user and meeting (sent once, if they want it). */
  'email.report_ready': { userId: string; meetingId: string };
  /** The digest of the 7 days from `weekStart` (YYYY-MM-DD, a Monday, UTC) for one user. */
  'email.weekly_digest': { userId: string; weekStart: string };
}

export const EMAIL_JOBS: { [K in keyof EmailJobs]: K } = {
  'email.report_ready': 'email.report_ready',
  'email.weekly_digest': 'email.weekly_digest',
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
  'meeting.process': {
    meetingId: string;
    botId: string | null;
    reason: 'bot_done' | 'reanalyze';
    /** Reanalyze only: transcribe the recording again instead of reusing the stored transcript. */
    retranscribe?: boolean;
  };
  /** The pipeline's steps, one job each, chained by the worker (job id `<runId>:<step>`). */
  'meeting.finalize': AnalysisStepPayload;
  'meeting.transcribe': AnalysisStepPayload;
  'meeting.analyze': AnalysisStepPayload;
  'meeting.practice': AnalysisStepPayload;
  'meeting.notify': AnalysisStepPayload;
}

/** Every pipeline step works on one run (a pipeline_runs row) of one meeting. */
export interface AnalysisStepPayload {
  runId: string;
  meetingId: string;
}

export const ANALYSIS_JOBS: { [K in keyof AnalysisJobs]: K } = {
  'meeting.process': 'meeting.process',
  'meeting.finalize': 'meeting.finalize',
  'meeting.transcribe': 'meeting.transcribe',
  'meeting.analyze': 'meeting.analyze',
  'meeting.practice': 'meeting.practice',
  'meeting.notify': 'meeting.notify',
};

export interface CalendarJobs {
  /**
   * Sync one connection: incremental with its cursor, or `full` (reconcile, window slide).
   * Produced debounced per connection (job id = connection + time bucket).
   */
  'calendar.sync': { connectionId: string; reason: 'connect' | 'notification' | 'reconcile' | 'missed' | 'retry'; full?: boolean };
  /** Create (`ensure`), renew or recreate the connection's watch channel / Graph subscription. */
  'calendar.watch': { connectionId: string; action: 'ensure' | 'renew' | 'recreate' };
  /** After a disconnect: revoke the grant, stop channels, drop tokens and events. */
  'calendar.teardown': { connectionId: string };
  /** Re-decide coverage of a user's upcoming events (rules or an override changed) and re-plan their meetings. */
  'calendar.redecide': { userIds: string[]; eventId?: string };
  /** Periodic sweep: daily reconcile syncs, channel renewal, clean-up. */
  'calendar.sweep': { requestedAt: string };
}

export const CALENDAR_JOBS: { [K in keyof CalendarJobs]: K } = {
  'calendar.sync': 'calendar.sync',
  'calendar.watch': 'calendar.watch',
  'calendar.teardown': 'calendar.teardown',
  'calendar.redecide': 'calendar.redecide',
  'calendar.sweep': 'calendar.sweep',
};

/** The calendar sweep's schedule (cron, UTC): often enough to renew channels and reconcile daily. */
export const CALENDAR_SWEEP_CRON = '*/10 * * * *';

/**
 * The producer of calendar syncs (API webhooks and the scheduler use it): notifications for one
 * calendar inside one debounce window share a job id, so a burst becomes one sync; a change
 * arriving while that sync runs falls in the next window and gets its own.
 */
export function calendarSyncJob(
  data: CalendarJobs['calendar.sync'],
  debounceMs: number,
  now = Date.now(),
): { name: 'calendar.sync'; data: CalendarJobs['calendar.sync']; opts: JobOptions } {
  const bucket = debounceMs > 0 ? Math.floor(now / debounceMs) : now;
  return {
    name: 'calendar.sync',
    data,
    opts: {
      jobId: `sync:${data.connectionId}:${data.full ? 'full:' : ''}${bucket}`,
      delay: debounceMs,
      attempts: 5,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: true,
      removeOnFail: 1000,
    },
  };
}
