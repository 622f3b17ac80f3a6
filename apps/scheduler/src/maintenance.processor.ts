import { Inject, Logger, Optional } from '@nestjs/common';
import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { RefreshTokensRepository } from '@rapport/database';
import { EmailProducer, previousWeekStart } from '@rapport/notifications';
import { PipelineRecovery } from '@rapport/pipeline';
import { jobsProcessed } from '@rapport/core';
import { RetentionPurgeService } from '@rapport/privacy';
import { MAINTENANCE_JOBS, QUEUES, type MaintenanceJobs } from '@rapport/queue';

@Processor(QUEUES.maintenance)
export class MaintenanceProcessor {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    private readonly purge: RetentionPurgeService,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly pipelineRecovery: PipelineRecovery,
    @Optional() @Inject(EmailProducer) private readonly emails: EmailProducer | null,
  ) {}

  @Process(MAINTENANCE_JOBS['retention.purge'])
  async retentionPurge(job: Job<MaintenanceJobs['retention.purge']>) {
    const result = await this.purge.purge(new Date());
    jobsProcessed.inc({ queue: QUEUES.maintenance, job: job.name, outcome: 'completed' });
    this.logger.log({ ...result, jobId: job.id }, 'Retention purge finished');
    return result;
  }

  @Process(MAINTENANCE_JOBS['tokens.cleanup'])
  async tokensCleanup(job: Job<MaintenanceJobs['tokens.cleanup']>) {
    const deleted = await this.refreshTokens.deleteExpiredBefore(new Date(Date.now() - 86_400_000));
    jobsProcessed.inc({ queue: QUEUES.maintenance, job: job.name, outcome: 'completed' });
    return { deleted };
  }

  @Process(MAINTENANCE_JOBS['pipeline.recover'])
  async recoverPipeline(job: Job<MaintenanceJobs['pipeline.recover']>) {
    const report = await this.pipelineRecovery.recover(new Date());
    jobsProcessed.inc({ queue: QUEUES.maintenance, job: job.name, outcome: 'completed' });
    if (report.resumed.length || report.gaveUp.length) this.logger.warn({ ...report, jobId: job.id }, 'Analysis runs without a live job were resumed or given up');
    return report;
  }

  /** Monday 08:00 UTC: the week before, for everyone who asked for it (a rerun queues nothing twice). */
  @Process(MAINTENANCE_JOBS['digest.weekly'])
  async weeklyDigest(job: Job<MaintenanceJobs['digest.weekly']>) {
    if (!this.emails) return { skipped: 'smtp_not_configured' };
    const weekStart = previousWeekStart(new Date());
    const result = await this.emails.weeklyDigests(weekStart);
    jobsProcessed.inc({ queue: QUEUES.maintenance, job: job.name, outcome: 'completed' });
    this.logger.log({ ...result, weekStart, jobId: job.id }, 'Weekly digests queued');
    return { weekStart, ...result };
  }
}
