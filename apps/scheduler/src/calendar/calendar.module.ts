import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG } from '@rapport/core';
import { CalendarsRepository } from '@rapport/database';
import { QUEUES } from '@rapport/queue';
import { CalendarProviders } from '@rapport/core';
import { CalendarScheduleService } from './calendar-schedule.service';
import { CalendarSyncService } from './calendar-sync.service';
import { CalendarProcessor } from './calendar.processor';

/** Calendar sync, watch channels, teardown and the periodic sweep (needs BullModule.forRoot in the importing app). */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.calendar }, { name: QUEUES.bots })],
  providers: [
    { provide: CalendarsRepository, inject: [DataSource], useFactory: (ds: DataSource) => new CalendarsRepository(ds) },
    { provide: CalendarProviders, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new CalendarProviders(config) },
    CalendarSyncService,
    CalendarProcessor,
    CalendarScheduleService,
  ],
  exports: [CalendarSyncService],
})
export class CalendarModule {}
