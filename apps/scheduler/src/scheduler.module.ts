import { Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@rapport/config';
import { CoreModule, ObservabilityModule, loggerParams } from '@rapport/core';
import { BotsRepository } from '@rapport/database';
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
        CalendarModule,
      ],
      providers: [
        ScheduleService,
        MaintenanceProcessor,
        { provide: BotsRepository, inject: [DataSource], useFactory: (ds: DataSource) => new BotsRepository(ds) },
        BotDispatchService,
        BotReconcileService,
        BotReaperService,
      ],
    };
  }
}
