import { Module, type DynamicModule } from '@nestjs/common';
import { BullModule, getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@rapport/config';
import { CoreModule, ObservabilityModule, loggerParams } from '@rapport/core';
import { BotsRepository, EmailNotificationsRepository, PipelineRunsRepository } from '@rapport/database';
import { EmailProducer } from '@rapport/notifications';
import { AnalysisQueue, PipelineRecovery } from '@rapport/pipeline';
import { QUEUES, bullOptions } from '@rapport/queue';
import { MaintenanceProcessor } from './maintenance.processor';
import { ScheduleService } from './schedule.service';
import { BotDispatchService } from './bots/bot-dispatch.service';
import { BotReaperService } from './bots/bot-reaper.service';
import { BotReconcileService } from './bots/bot-reconcile.service';
import { CalendarModule } from './calendar/calendar.module';

@Module({})
export class SchedulerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SchedulerModule,
      imports: [
        LoggerModule.forRoot(loggerParams(config, 'scheduler')),
        CoreModule.forRoot(config),
        ObservabilityModule,
        BullModule.forRoot(bullOptions(config)),
        BullModule.registerQueue({ name: QUEUES.maintenance }),
        BullModule.registerQueue({ name: QUEUES.bots }),
        BullModule.registerQueue({ name: QUEUES.analysis }),
        BullModule.registerQueue({ name: QUEUES.email }),
        CalendarModule,
      ],
      providers: [
        ScheduleService,
        MaintenanceProcessor,
        { provide: BotsRepository, inject: [DataSource], useFactory: (ds: DataSource) => new BotsRepository(ds) },
        BotDispatchService,
        BotReconcileService,
        BotReaperService,
        {
          provide: EmailProducer,
          inject: [DataSource, getQueueToken(QUEUES.email)],
          useFactory: (ds: DataSource, queue: Queue) => (config.SMTP_URL ? new EmailProducer(queue, new EmailNotificationsRepository(ds)) : null),
        },
        {
          provide: PipelineRecovery,
          inject: [DataSource, getQueueToken(QUEUES.analysis)],
          useFactory: (ds: DataSource, queue: Queue) =>
            new PipelineRecovery(new PipelineRunsRepository(ds), new AnalysisQueue(queue, config.ANALYSIS_RETRY_BASE_MS), {
              idleMs: config.PIPELINE_RECOVER_AFTER_SEC * 1000,
              giveUpMs: config.PIPELINE_GIVE_UP_AFTER_SEC * 1000,
            }),
        },
      ],
    };
  }
}
