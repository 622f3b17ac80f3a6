import { Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '@rapport/config';
import { CoreModule, ObservabilityModule, loggerParams } from '@rapport/core';
import { QUEUES, bullOptions } from '@rapport/queue';
import { MaintenanceProcessor } from './maintenance.processor';
import { ScheduleService } from './schedule.service';

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
      ],
      providers: [ScheduleService, MaintenanceProcessor],
    };
  }
}
