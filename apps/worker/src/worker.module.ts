import { Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '@rapport/config';
import { CoreModule, ObservabilityModule, loggerParams } from '@rapport/core';
import { bullOptions } from '@rapport/queue';
import { AnalysisModule } from './analysis/analysis.module';

/**
 * The worker process: Bull connection, health and metrics, the analysis pipeline
 * (finalize → transcribe → analyze → practice → notify, docs/pipeline.md) and, with SMTP, the
 * email notifications (docs/notifications.md).
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [LoggerModule.forRoot(loggerParams(config, 'worker')), CoreModule.forRoot(config), ObservabilityModule, BullModule.forRoot(bullOptions(config)), AnalysisModule],
    };
  }
}
