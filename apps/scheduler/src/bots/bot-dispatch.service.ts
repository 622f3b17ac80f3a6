import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import type Redis from 'ioredis';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG, REDIS } from '@rapport/core';
import { BotsRepository, type BotEntity } from '@rapport/database';
import { QUEUES, botChannels, type BotJobs } from '@rapport/queue';

/** Enqueues `bot.run` for a bot so it fires `leadSec` before `joinAt`. The job id is the bot id: duplicates collapse. */
export async function enqueueBotRun(queue: Queue<BotJobs['bot.run']>, bot: Pick<BotEntity, 'id' | 'joinAt'>, leadSec: number, now = Date.now()): Promise<void> {
  const delay = Math.max(0, bot.joinAt.getTime() - leadSec * 1000 - now);
  await queue.add(
    'bot.run',
    { botId: bot.id },
    {
      jobId: bot.id,
      delay,
      // Retries only matter before the claim (a runner crash, Redis blip); after it the row decides.
      attempts: 3,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: true,
      removeOnFail: 1000,
    },
  );
}

/**
 * Dispatch: every tick, scheduled bots joining within the lead (plus one tick) get their
 * delayed `bot.run` job. New bots are dispatched at once when the API rings over pub/sub.
 */
@Injectable()
export class BotDispatchService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BotDispatchService.name);
  private timer: NodeJS.Timeout | null = null;
  private subscriber: Redis | null = null;
  private running = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BotsRepository) private readonly bots: BotsRepository,
    @InjectQueue(QUEUES.bots) private readonly queue: Queue<BotJobs['bot.run']>,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const channel = botChannels(this.config.REDIS_PREFIX).created;
    this.subscriber = this.redis.duplicate();
    await this.subscriber.subscribe(channel);
    this.subscriber.on('message', (ch: string) => {
      if (ch === channel) void this.tick();
    });
    this.timer = setInterval(() => void this.tick(), this.config.BOT_DISPATCH_INTERVAL_SEC * 1000);
    await this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.subscriber?.quit().catch(() => undefined);
  }

  /** Enqueues every bot due within the lead plus one tick; returns how many. */
  async tick(): Promise<number> {
    if (this.running) {
      // A doorbell during a tick: run once more right after, so nothing waits a whole interval.
      setTimeout(() => void this.tick(), 50);
      return 0;
    }
    this.running = true;
    try {
      const now = Date.now();
      const horizon = new Date(now + (this.config.BOT_JOIN_LEAD_SEC + this.config.BOT_DISPATCH_INTERVAL_SEC) * 1000);
      const fresh = await this.bots.findScheduledBefore(horizon, 500, { undispatchedOnly: true });
      for (const bot of fresh) await enqueueBotRun(this.queue, bot, this.config.BOT_JOIN_LEAD_SEC, now);
      await this.bots.markDispatched(fresh.map((b) => b.id));
      if (fresh.length) this.logger.log({ bots: fresh.map((b) => b.id) }, 'bots dispatched');
      return fresh.length;
    } catch (err) {
      this.logger.error({ err }, 'bot dispatch tick failed');
      return 0;
    } finally {
      this.running = false;
    }
  }
}
