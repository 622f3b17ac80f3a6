import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { Counter } from 'prom-client';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG } from '@rapport/core';
import { BotsRepository } from '@rapport/database';
import { QUEUES, type BotJobs } from '@rapport/queue';
import { enqueueBotRun } from './bot-dispatch.service';

const reenqueued = new Counter({ name: 'rapport_bot_jobs_reenqueued_total', help: 'Scheduled bots whose bot.run job was lost and re-enqueued' });

/**
 * The queue is a doorbell, the row is the truth: a scheduled bot whose dispatch time passed
 * more than the grace period ago without a waiting, delayed or active job (Redis flushed, job
 * failed before the claim, removed by hand) is enqueued again.
 */
@Injectable()
export class BotReconcileService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BotReconcileService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BotsRepository) private readonly bots: BotsRepository,
    @InjectQueue(QUEUES.bots) private readonly queue: Queue<BotJobs['bot.run']>,
  ) {}

  onApplicationBootstrap(): void {
    const every = Math.max(1, this.config.BOT_RECONCILE_GRACE_SEC / 3) * 1000;
    this.timer = setInterval(() => void this.tick(), every);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Re-enqueues lost jobs; returns the ids it re-enqueued. */
  async tick(): Promise<string[]> {
    const done: string[] = [];
    try {
      const overdue = new Date(Date.now() + (this.config.BOT_JOIN_LEAD_SEC - this.config.BOT_RECONCILE_GRACE_SEC) * 1000);
      for (const bot of await this.bots.findScheduledBefore(overdue, 200)) {
        const job = await this.queue.getJob(bot.id);
        const state = job ? await job.getState() : null;
        if (state === 'waiting' || state === 'delayed' || state === 'active' || state === 'paused') continue;
        if (job) await job.remove().catch(() => undefined);
        await enqueueBotRun(this.queue, bot, this.config.BOT_JOIN_LEAD_SEC);
        reenqueued.inc();
        done.push(bot.id);
        this.logger.warn({ botId: bot.id, jobState: state ?? 'missing' }, 'lost bot.run job re-enqueued');
      }
    } catch (err) {
      this.logger.error({ err }, 'bot reconcile tick failed');
    }
    return done;
  }
}
