import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG } from '@rapport/core';
import { CalendarsRepository } from '@rapport/database';
import { CalendarProviders } from '@rapport/core';
import { CalendarQueueCloser, calendarQueueProvider } from './calendar-queue';
import { CalendarWebhooksController } from './calendar-webhooks.controller';
import { CalendarWebhooksService } from './calendar-webhooks.service';
import { CalendarsController } from './calendars.controller';
import { CalendarsService } from './calendars.service';

@Module({
  controllers: [CalendarsController, CalendarWebhooksController],
  providers: [
    { provide: CalendarsRepository, inject: [DataSource], useFactory: (ds: DataSource) => new CalendarsRepository(ds) },
    { provide: CalendarProviders, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new CalendarProviders(config) },
    calendarQueueProvider,
    CalendarQueueCloser,
    CalendarsService,
    CalendarWebhooksService,
  ],
})
export class CalendarsModule {}
