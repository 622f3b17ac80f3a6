import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG } from '@rapport/core';
import { BotsRepository } from '@rapport/database';

const reaped = new Counter({ name: 'rapport_bots_reaped_total', help: 'Live bots marked fatal/bot_errored after their heartbeat stopped' });

/**
 * A live bot whose runner stopped heartbeating (runner killed, host lost) is marked
 * `fatal/bot_errored`. Its working folder is not touched here: the runner that restarts on
 * that host (or any runner sharing BOT_WORK_DIR) sweeps it and hands on what was recorded.
 */
@Injectable()
export class BotReaperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BotReaperService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BotsRepository) private readonly bots: BotsRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.BOT_REAPER_INTERVAL_SEC * 1000);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<string[]> {
    try {
      const rows = await this.bots.reapSilent(new Date(Date.now() - this.config.BOT_SILENCE_TIMEOUT_SEC * 1000));
      for (const r of rows) this.logger.warn({ botId: r.id, meetingId: r.meetingId, runnerId: r.runnerId }, 'bot silent: marked fatal/bot_errored');
      reaped.inc(rows.length);
      return rows.map((r) => r.id);
    } catch (err) {
      this.logger.error({ err }, 'bot reaper tick failed');
      return [];
    }
  }
}
