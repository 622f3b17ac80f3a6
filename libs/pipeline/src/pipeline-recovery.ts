import type { JobStatus } from 'bull';
import type { PipelineRunEntity, PipelineRunsRepository, PipelineStep } from '@rapport/database';
import { NEXT_STEP } from './analysis-pipeline';
import { stepJobId, type AnalysisQueue } from './analysis-queue';

export interface RecoveryOptions {
  /** A run untouched this long is checked against Redis. */
  idleMs: number;
  /** A run still unfinished this long after it was queued is failed as `stalled`. */
  giveUpMs: number;
  /** Runs checked per pass. */
  batch?: number;
}

export interface RecoveryReport {
  checked: number;
  /** Runs whose jobs still wait or run: left alone. */
  alive: number;
  resumed: Array<{ runId: string; step: PipelineStep }>;
  gaveUp: string[];
}

/** States in which a job will still run (a stalled `active` job is moved back by Bull itself). */
const LIVE: ReadonlySet<JobStatus | 'stuck'> = new Set<JobStatus | 'stuck'>(['waiting', 'active', 'delayed', 'paused']);

/**
 * Resumes analysis runs whose jobs are gone. The database is the truth and a job is only the
 * doorbell: a run can be left queued or running with no job to move it when Redis lost its data
 * (a restart without persistence, an eviction) or when a worker crashed so often on a job that
 * Bull failed it as stalled without our handler seeing it. Such a run, idle for `idleMs`, with no
 * live job for its trigger, its step or the step after, is resumed by queuing its step again
 * (steps are idempotent). A run unfinished after `giveUpMs` is failed with `stalled` so the
 * owner sees it and can analyse again, instead of waiting for ever.
 */
export class PipelineRecovery {
  constructor(
    private readonly runs: PipelineRunsRepository,
    private readonly queue: AnalysisQueue,
    private readonly opts: RecoveryOptions,
  ) {}

  async recover(now = new Date()): Promise<RecoveryReport> {
    const report: RecoveryReport = { checked: 0, alive: 0, resumed: [], gaveUp: [] };
    const idle = await this.runs.idleUnfinished(new Date(now.getTime() - this.opts.idleMs), this.opts.batch ?? 200);
    for (const run of idle) {
      report.checked++;
      if (now.getTime() - run.createdAt.getTime() > this.opts.giveUpMs) {
        await this.runs.fail(run.id, run.step, 'stalled', 'The analysis stopped and could not be resumed in time; use "Analyse again" to start a new one');
        report.gaveUp.push(run.id);
        continue;
      }
      if (await this.hasLiveJob(run)) {
        report.alive++;
        continue;
      }
      // A queued run never started: its first step. A running run: the step it was at.
      const step: PipelineStep = run.status === 'queued' ? 'finalize' : run.step;
      if (!(await this.requeueStep(run, step))) {
        report.alive++;
        continue;
      }
      await this.runs.touch(run.id);
      report.resumed.push({ runId: run.id, step });
    }
    return report;
  }

  private jobIdsOf(run: PipelineRunEntity): string[] {
    const ids = [stepJobId(run.id, run.step)];
    const next = NEXT_STEP[run.step];
    if (next) ids.push(stepJobId(run.id, next));
    const prefix = `${this.queue.queue.name}:`;
    if (run.triggerJobId?.startsWith(prefix)) ids.push(run.triggerJobId.slice(prefix.length));
    return ids;
  }

  private async hasLiveJob(run: PipelineRunEntity): Promise<boolean> {
    for (const id of this.jobIdsOf(run)) {
      const job = await this.queue.queue.getJob(id);
      if (job && LIVE.has(await job.getState())) return true;
    }
    return false;
  }

  /**
   * Bull ignores an add whose id exists, so a finished copy of the step's job is removed first.
   * Bull refuses to remove a job a worker holds the lock of: then someone is on it (false).
   */
  private async requeueStep(run: PipelineRunEntity, step: PipelineStep): Promise<boolean> {
    const old = await this.queue.queue.getJob(stepJobId(run.id, step));
    if (old) {
      try {
        await old.remove();
      } catch {
        return false;
      }
    }
    await this.queue.enqueueStep(step, { runId: run.id, meetingId: run.meetingId });
    return true;
  }
}
