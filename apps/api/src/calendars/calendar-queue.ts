import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import Bull, { type Queue } from 'bull';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG } from '@rapport/core';
import { QUEUES, bullOptions } from '@rapport/queue';

/** The calendar queue as the API produces to it (the scheduler consumes it). */
export const CALENDAR_QUEUE = Symbol('CALENDAR_QUEUE');

export const calendarQueueProvider = {
  provide: CALENDAR_QUEUE,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): Queue => new Bull(QUEUES.calendar, bullOptions(config)),
};

@Injectable()
export class CalendarQueueCloser implements OnApplicationShutdown {
  constructor(@Inject(CALENDAR_QUEUE) private readonly queue: Queue) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
  }
}
