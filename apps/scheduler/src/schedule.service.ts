import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DEFAULT_JOB_OPTIONS, MAINTENANCE_SCHEDULE, QUEUES, type MaintenanceJobs } from '@rapport/queue';

/**
 * Registers the repeatable maintenance jobs. Bull keys repeatable jobs by name and cron, so
 * every scheduler replica registering them at boot yields one schedule, not several.
 */
@Injectable()
export class ScheduleService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduleService.name);

  constructor(@InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const [name, cron] of Object.entries(MAINTENANCE_SCHEDULE) as Array<[keyof MaintenanceJobs, string]>) {
      await this.maintenance.add(name, { requestedAt: new Date().toISOString() }, { ...DEFAULT_JOB_OPTIONS, repeat: { cron, tz: 'UTC' } });
      this.logger.log(`Scheduled ${name} (${cron} UTC)`);
    }
  }
}
