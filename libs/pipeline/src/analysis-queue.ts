import { randomUUID } from 'node:crypto';
import type { JobOptions, Queue } from 'bull';
import type { PipelineRunsRepository, PipelineStep } from '@rapport/database';
import { ANALYSIS_JOBS, type AnalysisJobs, type AnalysisStepPayload } from '@rapport/queue';

export const STEP_JOB: Readonly<Record<PipelineStep, keyof AnalysisJobs>> = {
  finalize: ANALYSIS_JOBS['meeting.finalize'],
  transcribe: ANALYSIS_JOBS['meeting.transcribe'],
  analyze: ANALYSIS_JOBS['meeting.analyze'],
  practice: ANALYSIS_JOBS['meeting.practice'],
  notify: ANALYSIS_JOBS['meeting.notify'],
};

export const JOB_STEP: Readonly<Partial<Record<string, PipelineStep>>> = Object.fromEntries(
  Object.entries(STEP_JOB).map(([step, job]) => [job, step as PipelineStep]),
);

/** The Bull job id of a run's step: one job per run and step. */
export const stepJobId = (runId: string, step: PipelineStep): string => `${runId}:${step}`;

/**
 * The one producer of analysis jobs: every job gets the same retries (5 attempts, exponential
 * backoff) and bounded history. Step jobs have the id `<runId>:<step>`, so a step retried after
 * it already enqueued its successor does not enqueue it twice.
 */
export class AnalysisQueue {
  constructor(
    readonly queue: Queue,
    private readonly retryBaseMs = 5000,
  ) {}

  options(jobId?: string): JobOptions {
    return {
      attempts: 5,
      backoff: { type: 'exponential', delay: this.retryBaseMs },
      removeOnComplete: 1000,
      removeOnFail: 5000,
      ...(jobId ? { jobId } : {}),
    };
  }

  async enqueueProcess(payload: AnalysisJobs['meeting.process'], jobId?: string): Promise<string> {
    const job = await this.queue.add(ANALYSIS_JOBS['meeting.process'], payload, this.options(jobId));
    return String(job.id);
  }

  /**
   * Records a run as queued before its job exists, so whoever asked sees "queued" at once (not
   * the previous run's "completed") and a second request is refused while it waits. The worker's
   * `runs.start` finds this row by the trigger job id. A run whose job could not be queued is
   * failed, not left blocking the meeting.
   */
  async queueRun(runs: PipelineRunsRepository, input: { meetingId: string; userId: string; reason: 'reanalyze'; retranscribe: boolean }): Promise<{ runId: string; jobId: string }> {
    const jobId = randomUUID();
    const run = await runs.start({ ...input, botId: null, triggerJobId: `${this.queue.name}:${jobId}` });
    try {
      await this.enqueueProcess({ meetingId: input.meetingId, botId: null, reason: input.reason, retranscribe: input.retranscribe }, jobId);
    } catch (err) {
      await runs.fail(run.id, 'finalize', 'enqueue_failed', `Could not queue the analysis: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    return { runId: run.id, jobId };
  }

  async enqueueStep(step: PipelineStep, payload: AnalysisStepPayload): Promise<void> {
    await this.queue.add(STEP_JOB[step], payload, this.options(stepJobId(payload.runId, step)));
  }
}
