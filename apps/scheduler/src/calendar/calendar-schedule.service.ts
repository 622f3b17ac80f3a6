import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { CALENDAR_JOBS, CALENDAR_SWEEP_CRON, QUEUES } from '@rapport/queue';

/** Registers the calendar sweep as a repeatable job (keyed by name and cron: one schedule however many replicas boot). */
@Injectable()
export class CalendarScheduleService implements OnApplicationBootstrap {
  private readonly logger = new Logger(CalendarScheduleService.name);

  constructor(@InjectQueue(QUEUES.calendar) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.add(CALENDAR_JOBS['calendar.sweep'], { requestedAt: new Date().toISOString() }, { repeat: { cron: CALENDAR_SWEEP_CRON, tz: 'UTC' }, removeOnComplete: 100, removeOnFail: 100 });
    this.logger.log(`Scheduled ${CALENDAR_JOBS['calendar.sweep']} (${CALENDAR_SWEEP_CRON} UTC)`);
  }
}
