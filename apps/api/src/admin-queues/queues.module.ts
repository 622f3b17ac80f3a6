import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import Bull, { type Queue } from 'bull';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG } from '@rapport/core';
import { AnalysisQueue } from '@rapport/pipeline';
import { QUEUES, bullOptions, type QueueName } from '@rapport/queue';

export const API_QUEUES = Symbol('API_QUEUES');
export type ApiQueues = Record<QueueName, Queue>;

/**
 * Bull handles the API needs: producers (reanalyze) and read access for the dashboard. The API
 * never processes jobs; the worker and scheduler do.
 */
@Module({
  providers: [
    {
      provide: API_QUEUES,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): ApiQueues =>
        Object.fromEntries(Object.values(QUEUES).map((name) => [name, new Bull(name, bullOptions(config))])) as ApiQueues,
    },
    {
      provide: AnalysisQueue,
      inject: [API_QUEUES, APP_CONFIG],
      useFactory: (queues: ApiQueues, config: AppConfig) => new AnalysisQueue(queues.analysis, config.ANALYSIS_RETRY_BASE_MS),
    },
  ],
  exports: [API_QUEUES, AnalysisQueue],
})
export class ApiQueuesModule implements OnApplicationShutdown {
  constructor(@Inject(API_QUEUES) private readonly queues: ApiQueues) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(Object.values(this.queues).map((q) => q.close()));
  }
}
