import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Job, JobOptions, Queue } from 'bull';
import type Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { Counter, Gauge } from 'prom-client';
import { canTransition, isTerminalStatus, type BotEvent, type BotStatusCode } from '@rapport/bot-domain';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG, REDIS, jobsProcessed } from '@rapport/core';
import { BotsRepository, type BotEntity } from '@rapport/database';
import { QUEUES, botChannels, type BotJobs } from '@rapport/queue';
import { BotChild, EXIT_MARKER } from './bot-child';
import { HandoffService } from './handoff.service';

const botsRunning = new Gauge({ name: 'rapport_bots_running', help: 'Bot child processes this runner holds' });
const botRuns = new Counter({ name: 'rapport_bot_runs_total', help: 'Bot runs by final status and sub-code', labelNames: ['status', 'sub_code'] as const });

interface HeldBot {
  bot: BotEntity;
  child: BotChild;
  status: BotStatusCode | null;
  subCode: string | null;
  optedOut: boolean;
  browserPid: number | null;
}

/**
 * Options of the `bot.run` job queued again for a bot that is not due yet. The job id names the
 * join time: the job running now still holds the bot's own id, and two runners deferring the
 * same move collapse into one job. A leftover job is harmless: the claim checks the time again.
 */
export function deferredRunOptions(botId: string, joinAt: Date, dueInMs: number): JobOptions {
  return {
    jobId: `${botId}@${joinAt.getTime()}`,
    delay: Math.max(0, Math.ceil(dueInMs)),
    attempts: 3,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: true,
    removeOnFail: 1000,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The bot runner pool: consumes `bot.run` jobs with a configured concurrency, claims the row,
 * runs the bot as a child process, turns its status lines into validated transitions (events
 * + bots.status), heartbeats, relays leave requests, and hands the outputs on when it ends.
 * On start and every heartbeat it also sweeps its working folder for bots whose runner died
 * (the reaper marked them fatal) and hands on what they left.
 */
@Injectable()
export class BotRunnerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BotRunnerService.name);
  readonly runnerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly held = new Map<string, HeldBot>();
  private readonly sweeping = new Set<string>();
  private readonly workDir: string;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private subscriber: Redis | null = null;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BotsRepository) private readonly bots: BotsRepository,
    @Inject(HandoffService) private readonly handoff: HandoffService,
    @InjectQueue(QUEUES.bots) private readonly queue: Queue<BotJobs['bot.run']>,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.workDir = resolve(config.BOT_WORK_DIR);
  }

  async onApplicationBootstrap(): Promise<void> {
    mkdirSync(this.workDir, { recursive: true, mode: 0o700 });
    await this.sweep();
    this.subscriber = this.redis.duplicate();
    const leaveChannel = botChannels(this.config.REDIS_PREFIX).leave;
    await this.subscriber.subscribe(leaveChannel);
    this.subscriber.on('message', (channel: string, botId: string) => {
      if (channel === leaveChannel) this.relayLeave(botId, 'pub/sub');
    });
    this.heartbeatTimer = setInterval(() => void this.tick(), this.config.BOT_HEARTBEAT_SEC * 1000);
    void this.queue.process('bot.run', this.config.BOT_RUNNER_CONCURRENCY, (job: Job<BotJobs['bot.run']>) => this.runJob(job));
    this.logger.log({ runnerId: this.runnerId, concurrency: this.config.BOT_RUNNER_CONCURRENCY, workDir: this.workDir }, 'bot runner ready');
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    // Bots leave cleanly and their outputs are handed on before the queue lets go of the jobs.
    for (const h of this.held.values()) h.child.leave();
    await this.queue.close().catch(() => undefined);
    await this.subscriber?.quit().catch(() => undefined);
  }

  /** Ids and Chromium pids of the bots held now (diagnostics, tests). */
  heldBots(): Array<{ botId: string; childPid: number | undefined; browserPid: number | null }> {
    return [...this.held.values()].map((h) => ({ botId: h.bot.id, childPid: h.child.pid, browserPid: h.browserPid }));
  }

  /** Runs one `bot.run` job (public for tests; the queue calls it). */
  async runJob(job: Pick<Job<BotJobs['bot.run']>, 'data' | 'name'>): Promise<{ botId: string; outcome: string }> {
    const { botId } = job.data;
    const claim = this.stopping ? ({ outcome: 'gone' } as const) : await this.bots.claimDue(botId, this.runnerId, this.config.BOT_JOIN_LEAD_SEC);
    if (claim.outcome === 'not_due') {
      // The meeting moved later after this job was queued: run it again when it is due.
      await this.queue.add('bot.run', { botId }, deferredRunOptions(botId, claim.joinAt, claim.dueInMs));
      jobsProcessed.inc({ queue: QUEUES.bots, job: job.name, outcome: 'deferred' });
      this.logger.log({ botId, joinAt: claim.joinAt.toISOString(), dueInMs: claim.dueInMs }, 'bot not due yet (rescheduled); run queued again');
      return { botId, outcome: 'not_due' };
    }
    if (claim.outcome === 'gone') {
      // Cancelled, already taken by another runner, or a duplicate doorbell: nothing to do.
      jobsProcessed.inc({ queue: QUEUES.bots, job: job.name, outcome: 'skipped' });
      return { botId, outcome: 'not_claimed' };
    }
    const final = await this.runBot(claim.bot);
    jobsProcessed.inc({ queue: QUEUES.bots, job: job.name, outcome: 'completed' });
    return { botId, outcome: final };
  }

  private async runBot(bot: BotEntity): Promise<string> {
    const dir = join(this.workDir, bot.id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const log = { botId: bot.id, meetingId: bot.meetingId, runnerId: this.runnerId };
    let applying: Promise<void> = Promise.resolve();
    const held: HeldBot = { bot, child: undefined as unknown as BotChild, status: null, subCode: null, optedOut: false, browserPid: null };
    const apply = (event: BotEvent, details: Record<string, unknown>) => {
      applying = applying.then(() => this.applyEvent(held, event, details)).catch((err: unknown) => this.logger.error({ ...log, err }, 'recording a bot event failed'));
    };
    held.child = new BotChild({
      botId: bot.id,
      meetingUrl: bot.meetingUrl,
      outDir: dir,
      options: { botName: bot.botName, ...bot.options },
      logLevel: this.config.LOG_LEVEL,
      env: process.env,
      onEvent: (e) => apply(e, { attempt: bot.attempt, runnerId: this.runnerId }),
      onBrowser: (pid) => {
        held.browserPid = pid;
        this.logger.log({ ...log, browserPid: pid }, 'bot browser started');
      },
      onJunk: (line) => this.logger.warn({ ...log, line: line.slice(0, 200) }, 'unexpected line from the bot process'),
    });
    this.held.set(bot.id, held);
    botsRunning.set(this.held.size);
    this.logger.log({ ...log, pid: held.child.pid }, 'bot process started');
    if (bot.leaveRequestedAt) held.child.leave();
    try {
      const exit = await held.child.exited;
      await applying;
      if (!held.status || !isTerminalStatus(held.status)) {
        this.logger.error({ ...log, ...exit, status: held.status }, 'bot process ended without a final status');
        apply({ code: 'fatal', subCode: 'bot_errored', at: new Date().toISOString() }, { reason: 'bot_process_exited', exitCode: exit.code, signal: exit.signal });
        await applying;
      }
      await this.handoff.handOff(bot, dir, held.optedOut).catch((err: unknown) => this.logger.error({ ...log, err }, 'hand-off failed; the folder stays for the sweep'));
    } finally {
      this.held.delete(bot.id);
      botsRunning.set(this.held.size);
    }
    botRuns.inc({ status: held.status ?? 'none', sub_code: held.subCode ?? '' });
    return held.subCode ? `${held.status}/${held.subCode}` : String(held.status);
  }

  private async applyEvent(held: HeldBot, event: BotEvent, details: Record<string, unknown>): Promise<void> {
    if (!canTransition(held.status, event.code, event.subCode)) {
      this.logger.warn({ botId: held.bot.id, from: held.status, to: event.code, subCode: event.subCode }, 'illegal transition from the bot process ignored');
      return;
    }
    held.status = event.code;
    if (event.subCode) held.subCode = event.subCode;
    if (event.subCode === 'recording_stopped_by_participant') held.optedOut = true;
    const recorded = await this.bots.applyEvent(held.bot.id, { code: event.code, subCode: event.subCode, at: new Date(event.at), details });
    if (!recorded) this.logger.warn({ botId: held.bot.id, code: event.code }, 'bot already final in the database (reaped?); event not recorded');
  }

  private relayLeave(botId: string, via: string): void {
    const held = this.held.get(botId);
    if (held?.child.leave()) this.logger.log({ botId, via }, 'leave relayed to the bot');
  }

  private async tick(): Promise<void> {
    try {
      const ids = [...this.held.keys()];
      const live = await this.bots.heartbeat(this.runnerId, ids);
      const liveIds = new Set(live.map((l) => l.id));
      for (const l of live) if (l.leaveRequested) this.relayLeave(l.id, 'poll');
      for (const id of ids) {
        const held = this.held.get(id);
        // Final in the database but still running here: the reaper (or an operator) ended it.
        if (held && !liveIds.has(id) && held.status !== null && !isTerminalStatus(held.status) && held.child.leave()) {
          this.logger.warn({ botId: id }, 'bot is no longer live in the database; asked it to leave');
        }
      }
      await this.sweep();
    } catch (err) {
      this.logger.error({ err }, 'heartbeat tick failed');
    }
  }

  /**
   * Working folders on disk that no live bot owns: a runner died (the reaper marked the bot
   * fatal) or a hand-off failed. Complete folders (exit marker) or folders untouched for the
   * silence window are handed on; folders of bots that are still live elsewhere are left alone.
   */
  async sweep(): Promise<number> {
    if (!existsSync(this.workDir)) return 0;
    const candidates = readdirSync(this.workDir).filter((name) => UUID.test(name) && !this.held.has(name) && !this.sweeping.has(name));
    const ready = candidates.filter((id) => {
      const dir = join(this.workDir, id);
      return existsSync(join(dir, EXIT_MARKER)) || Date.now() - newestMtime(dir) > this.config.BOT_SILENCE_TIMEOUT_SEC * 1000;
    });
    if (!ready.length) return 0;
    const rows = new Map((await this.bots.findManyForDispatch(ready)).map((b) => [b.id, b]));
    let handed = 0;
    for (const id of ready) {
      const bot = rows.get(id);
      if (bot && !['done', 'fatal', 'cancelled'].includes(bot.status)) continue;
      this.sweeping.add(id);
      try {
        const dir = join(this.workDir, id);
        if (!bot || bot.recordingStored) {
          // The row is gone (user deleted) or the outputs were stored already: only plaintext is left.
          rmSync(dir, { recursive: true, force: true });
        } else {
          const events = await this.bots.events(id);
          const optedOut = events.some((e) => e.subCode === 'recording_stopped_by_participant');
          await this.handoff.handOff(bot, dir, optedOut);
          handed++;
          this.logger.warn({ botId: id }, 'swept: outputs of a bot whose runner died were handed on');
        }
      } catch (err) {
        this.logger.error({ botId: id, err }, 'sweep hand-off failed');
      } finally {
        this.sweeping.delete(id);
      }
    }
    return handed;
  }
}

function newestMtime(dir: string): number {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}
