import type { DataSource } from 'typeorm';
import { PipelineRunEntity, type PipelineStep } from '../entities';

export interface StartRunInput {
  meetingId: string;
  userId: string;
  botId: string | null;
  reason: 'bot_done' | 'reanalyze';
  retranscribe?: boolean;
  triggerJobId: string | null;
}

/** Pipeline runs: the status the API shows, and the reason a run failed for good. */
export class PipelineRunsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Creates the run for a trigger job, or returns the one a previous attempt of that job created. */
  async start(input: StartRunInput): Promise<PipelineRunEntity> {
    const rows = (await this.ds.query(
      `INSERT INTO pipeline_runs (meeting_id, user_id, bot_id, reason, trigger_job_id, retranscribe)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (trigger_job_id) WHERE trigger_job_id IS NOT NULL DO UPDATE SET updated_at = now()
       RETURNING id`,
      [input.meetingId, input.userId, input.botId, input.reason, input.triggerJobId, input.retranscribe ?? false],
    )) as Array<{ id: string }>;
    return (await this.findById(rows[0]!.id))!;
  }

  findById(id: string): Promise<PipelineRunEntity | null> {
    return this.ds.getRepository(PipelineRunEntity).findOneBy({ id });
  }

  /** A run of this meeting still queued or running (reanalyze refuses to start a second one). */
  activeForMeeting(meetingId: string): Promise<PipelineRunEntity | null> {
    return this.ds
      .getRepository(PipelineRunEntity)
      .createQueryBuilder('r')
      .where(`r.meeting_id = :meetingId AND r.status IN ('queued', 'running') AND r.updated_at > now() - interval '1 hour'`, { meetingId })
      .orderBy('r.created_at', 'DESC')
      .getOne();
  }

  /** Queued or running runs nothing has touched since `cutoff`, oldest first (recovery's candidates). */
  idleUnfinished(cutoff: Date, limit: number): Promise<PipelineRunEntity[]> {
    return this.ds
      .getRepository(PipelineRunEntity)
      .createQueryBuilder('r')
      .where(`r.status IN ('queued', 'running') AND r.updated_at < :cutoff`, { cutoff })
      .orderBy('r.updated_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Marks a run as looked at, so recovery does not pick it again before it had time to move. */
  async touch(id: string): Promise<void> {
    await this.ds.query(`UPDATE pipeline_runs SET updated_at = now() WHERE id = $1`, [id]);
  }

  latestForMeeting(meetingId: string): Promise<PipelineRunEntity | null> {
    return this.ds.getRepository(PipelineRunEntity).findOne({ where: { meetingId }, order: { createdAt: 'DESC' } });
  }

  async markRunning(id: string, step: PipelineStep, attempt: number): Promise<void> {
    await this.ds.query(
      `UPDATE pipeline_runs SET status = 'running', step = $2, attempts = $3, error_code = NULL, error_message = NULL, updated_at = now() WHERE id = $1 AND status <> 'failed'`,
      [id, step, attempt],
    );
  }

  async setTranscriptSource(id: string, source: string): Promise<void> {
    await this.ds.query(`UPDATE pipeline_runs SET transcript_source = $2, updated_at = now() WHERE id = $1`, [id, source]);
  }

  async complete(id: string): Promise<void> {
    await this.ds.query(`UPDATE pipeline_runs SET status = 'completed', finished_at = now(), updated_at = now() WHERE id = $1`, [id]);
  }

  async fail(id: string, step: PipelineStep, code: string, message: string): Promise<void> {
    await this.ds.query(
      `UPDATE pipeline_runs SET status = 'failed', step = $2, error_code = $3, error_message = $4, finished_at = now(), updated_at = now() WHERE id = $1`,
      [id, step, code, message.slice(0, 2000)],
    );
  }

  /** A transient error between attempts: the run stays running, the reason is visible. */
  async noteRetry(id: string, code: string, message: string): Promise<void> {
    await this.ds.query(`UPDATE pipeline_runs SET error_code = $2, error_message = $3, updated_at = now() WHERE id = $1 AND status = 'running'`, [id, code, message.slice(0, 2000)]);
  }
}
