import { Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@rapport/config';
import { CoreModule, ObservabilityModule, loggerParams } from '@rapport/core';
import { BotsRepository } from '@rapport/database';
import { QUEUES, bullOptions } from '@rapport/queue';
import { BotRunnerService } from './bot-runner.service';
import { HandoffService } from './handoff.service';

@Module({})
export class BotRunnerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: BotRunnerModule,
      imports: [
        LoggerModule.forRoot(loggerParams(config, 'bot-runner')),
        CoreModule.forRoot(config),
        ObservabilityModule,
        BullModule.forRoot(bullOptions(config)),
        // A bot run holds its job for the whole meeting: the lock is renewed while the runner
        // lives; a dead runner's job stalls once and is dropped (the claim makes a retry a no-op).
        BullModule.registerQueue({ name: QUEUES.bots, settings: { lockDuration: 60_000, stalledInterval: 30_000, maxStalledCount: 1 } }),
        BullModule.registerQueue({ name: QUEUES.analysis }),
      ],
      providers: [
        { provide: BotsRepository, inject: [DataSource], useFactory: (ds: DataSource) => new BotsRepository(ds) },
        HandoffService,
        BotRunnerService,
      ],
    };
  }
}
