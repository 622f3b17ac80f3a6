import { Logger, Module } from '@nestjs/common';
import { BullModule, getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG, BLOB_STORE } from '@rapport/core';
import { DataKeyService } from '@rapport/crypto';
import { AnalysisPipeline, AnalysisQueue, buildPipeline } from '@rapport/pipeline';
import { QUEUES } from '@rapport/queue';
import type { BlobStore } from '@rapport/storage';
import { AnalysisProcessor } from './analysis.processor';
import { EmailModule } from '../email/email.module';
import { EmailProducer } from '@rapport/notifications';

const log = new Logger('AnalysisPipeline');

/** The analysis pipeline in the worker: the use cases from @rapport/pipeline, wired by DI. */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.analysis }), EmailModule],
  providers: [
    {
      provide: AnalysisQueue,
      inject: [getQueueToken(QUEUES.analysis), APP_CONFIG],
      useFactory: (queue: Queue, config: AppConfig) => new AnalysisQueue(queue, config.ANALYSIS_RETRY_BASE_MS),
    },
    {
      provide: AnalysisPipeline,
      inject: [APP_CONFIG, DataSource, BLOB_STORE, DataKeyService, AnalysisQueue, EmailProducer],
      useFactory: (config: AppConfig, ds: DataSource, blobs: BlobStore, keys: DataKeyService, queue: AnalysisQueue, emails: EmailProducer | null) =>
        buildPipeline(config, {
          ds,
          blobs,
          keys,
          queue,
          emails,
          log: {
            info: (obj, msg) => log.log({ ...obj, msg }),
            warn: (obj, msg) => log.warn({ ...obj, msg }),
            error: (obj, msg) => log.error({ ...obj, msg }),
          },
        }),
    },
    AnalysisProcessor,
  ],
  exports: [AnalysisPipeline, AnalysisQueue],
})
export class AnalysisModule {}
