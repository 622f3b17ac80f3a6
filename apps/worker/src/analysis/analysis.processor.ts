import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG, jobsProcessed } from '@rapport/core';
import { AnalysisPipeline } from '@rapport/pipeline';
import { QUEUES } from '@rapport/queue';

/**
 * Consumes the analysis queue: every job (meeting.process and the step jobs) goes to the
 * pipeline's handler. Registered with `queue.process('*', n)` rather than @Process decorators so
 * the concurrency comes from the config (ANALYSIS_CONCURRENCY) instead of being fixed per job name.
 */
@Injectable()
export class AnalysisProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(AnalysisProcessor.name);

  constructor(
    @InjectQueue(QUEUES.analysis) private readonly queue: Queue,
    private readonly pipeline: AnalysisPipeline,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.queue.process('*', this.config.ANALYSIS_CONCURRENCY, (job: Job) => this.handle(job));
    this.logger.log(`Analysis pipeline consuming "${QUEUES.analysis}" with concurrency ${this.config.ANALYSIS_CONCURRENCY}`);
  }

  private async handle(job: Job): Promise<unknown> {
    try {
      const result = await this.pipeline.handle(job);
      jobsProcessed.inc({ queue: QUEUES.analysis, job: job.name, outcome: 'completed' });
      return result;
    } catch (err) {
      jobsProcessed.inc({ queue: QUEUES.analysis, job: job.name, outcome: 'failed' });
      throw err;
    }
  }
}
