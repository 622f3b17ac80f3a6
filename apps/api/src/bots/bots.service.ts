import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { ZodError } from 'zod';
import { AppError } from '@rapport/common';
import { botOptionsSchema } from '@rapport/bot-domain';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG, REDIS } from '@rapport/core';
import { BotsRepository, type BotEntity, type BotEventEntity, type ConsentView } from '@rapport/database';
import { analyzeMeetingLink, describeRejection, type MeetingPlatform } from '@rapport/meeting-links';
import { botChannels } from '@rapport/queue';
import type { BotEventView, BotPage, BotView, CreateBotDto, LeaveView, MeetingConsentView } from './dto/bot.dto';

/** Platforms with a bot implementation; the others are recognised and refused with a clear message. */
export const DISPATCHABLE_PLATFORMS: readonly MeetingPlatform[] = ['google_meet'];
const PLATFORM_LABEL: Record<MeetingPlatform, string> = { google_meet: 'Google Meet', zoom: 'Zoom', microsoft_teams: 'Microsoft Teams' };
/** A joinAt this far in the past still means "now" (clock skew, slow clients). */
const PAST_TOLERANCE_MS = 5 * 60_000;
const MAX_AHEAD_MS = 90 * 86_400_000;
const HAS_ZONE = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

export function toBotView(b: BotEntity): BotView {
  return {
    id: b.id,
    meetingId: b.meetingId,
    meetingUrl: b.meetingUrl,
    platform: b.platform,
    botName: b.botName,
    joinAt: b.joinAt.toISOString(),
    status: b.status,
    subCode: b.subCode,
    attempt: b.attempt,
    leaveRequested: b.leaveRequestedAt !== null,
    recordingStored: b.recordingStored,
    startedAt: b.startedAt?.toISOString() ?? null,
    endedAt: b.endedAt?.toISOString() ?? null,
    createdAt: b.createdAt.toISOString(),
  };
}

function toEventView(e: BotEventEntity): BotEventView {
  return { code: e.code, subCode: e.subCode, at: e.at.toISOString(), details: e.details };
}

function encodeCursor(b: BotEntity): string {
  return Buffer.from(`${b.createdAt.toISOString()}|${b.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new AppError('bad_request', 'invalid_cursor', 'cursor: not a cursor this API returned');
  }
  return { createdAt, id };
}

/** The owner's side of the bot control plane: create, list, inspect, leave, consent ledger. */
@Injectable()
export class BotsService {
  private readonly logger = new Logger(BotsService.name);
  private readonly channels: ReturnType<typeof botChannels>;

  constructor(
    @Inject(BotsRepository) private readonly bots: BotsRepository,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.channels = botChannels(config.REDIS_PREFIX);
  }

  async create(userId: string, dto: CreateBotDto, now = new Date()): Promise<BotView> {
    const analysis = analyzeMeetingLink(dto.meetingUrl);
    if (!analysis.ok) {
      throw new AppError('bad_request', 'invalid_meeting_url', `meetingUrl: not a Google Meet, Zoom or Teams meeting link (${describeRejection(analysis.reason)})`, {
        reason: analysis.reason,
      });
    }
    const link = analysis.link;
    if (!DISPATCHABLE_PLATFORMS.includes(link.platform)) {
      throw new AppError(
        'bad_request',
        'platform_not_supported',
        `meetingUrl: ${PLATFORM_LABEL[link.platform]} bots are not supported yet; only Google Meet links can be dispatched today`,
        { platform: link.platform },
      );
    }
    const joinAt = this.joinAt(dto.joinAt, now);
    let options: ReturnType<typeof botOptionsSchema.parse>;
    try {
      options = botOptionsSchema.parse({
        ...(dto.botName !== undefined ? { botName: dto.botName } : {}),
        ...(dto.autoLeave !== undefined ? { autoLeave: dto.autoLeave } : {}),
        ...(dto.consent !== undefined ? { consent: dto.consent } : {}),
      });
    } catch (err) {
      if (err instanceof ZodError) {
        const fields: Record<string, string[]> = {};
        for (const i of err.issues) (fields[i.path.join('.') || 'body'] ??= []).push(i.message);
        const message = Object.entries(fields)
          .map(([f, m]) => `${f}: ${m.join(', ')}`)
          .join('; ');
        throw new AppError('bad_request', 'validation_failed', message, { fields });
      }
      throw err;
    }
    const { botName, ...rest } = options;
    const result = await this.bots.createWithMeeting(userId, {
      platform: link.platform,
      meetingUrl: link.url,
      platformMeetingId: link.meetingId,
      dedupeKey: link.dedupeKey,
      title: `${PLATFORM_LABEL[link.platform]} ${link.meetingId}`,
      joinAt,
      botName: botName ?? 'Rapport Notetaker',
      options: rest,
    });
    if (!result.ok) {
      throw new AppError('conflict', 'bot_already_active', `This meeting already has an active bot (${result.existingBotId}); ask it to leave first`, {
        existingBotId: result.existingBotId,
        meetingId: result.meetingId,
      });
    }
    // The doorbell: the scheduler's tick would find the row anyway.
    await this.redis.publish(this.channels.created, result.bot.id).catch((err: unknown) => this.logger.warn({ err }, 'bot created notification failed'));
    this.logger.log({ botId: result.bot.id, meetingId: result.meetingId, adopted: result.meetingAdopted }, 'bot scheduled');
    return toBotView(result.bot);
  }

  private joinAt(raw: string | undefined, now: Date): Date {
    if (raw === undefined) return now;
    const at = new Date(raw);
    if (!HAS_ZONE.test(raw) || Number.isNaN(at.getTime())) {
      throw new AppError('bad_request', 'validation_failed', 'joinAt: an ISO 8601 date-time with a UTC offset, e.g. 2026-11-25T14:00:00Z', { fields: { joinAt: ['needs a time and a UTC offset'] } });
    }
    if (at.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
      throw new AppError('bad_request', 'validation_failed', 'joinAt: is in the past; leave it out to join now', { fields: { joinAt: ['in the past'] } });
    }
    if (at.getTime() > now.getTime() + MAX_AHEAD_MS) {
      throw new AppError('bad_request', 'validation_failed', 'joinAt: at most 90 days ahead', { fields: { joinAt: ['too far ahead'] } });
    }
    return at.getTime() < now.getTime() ? now : at;
  }

  async list(userId: string, limit = 20, cursor?: string): Promise<BotPage> {
    const rows = await this.bots.listForUser(userId, limit + 1, cursor ? decodeCursor(cursor) : undefined);
    const page = rows.slice(0, limit);
    return { items: page.map(toBotView), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null };
  }

  async get(userId: string, id: string): Promise<BotView> {
    const bot = await this.bots.findForUser(userId, id);
    if (!bot) throw notFound();
    return toBotView(bot);
  }

  async events(userId: string, id: string): Promise<BotEventView[]> {
    const events = await this.bots.eventsForUser(userId, id);
    if (!events) throw notFound();
    return events.map(toEventView);
  }

  async leave(userId: string, id: string): Promise<LeaveView> {
    const result = await this.bots.requestLeave(userId, id);
    if (!result) throw notFound();
    if (result.outcome === 'leave_requested') {
      await this.redis.publish(this.channels.leave, id).catch((err: unknown) => this.logger.warn({ err }, 'leave notification failed; the runner polls'));
    }
    return { outcome: result.outcome, bot: toBotView(result.bot) };
  }

  async consent(userId: string, meetingId: string): Promise<MeetingConsentView> {
    const notices = await this.bots.consentForUser(userId, meetingId);
    if (!notices) throw new AppError('not_found', 'meeting_not_found', 'No such meeting');
    return { meetingId, notices: notices.map(toConsentView) };
  }
}

function toConsentView(n: ConsentView) {
  return {
    botId: n.botId,
    channel: n.channel,
    noticeText: n.noticeText,
    postedAt: n.postedAt?.toISOString() ?? null,
    participantsPresent: n.participantsPresent,
    lateJoiners: n.lateJoiners.map((p) => ({ name: p.name, seenAt: p.seenAt.toISOString(), notifiedAt: p.notifiedAt?.toISOString() ?? null })),
    optOuts: n.optOuts.map((o) => ({ participantName: o.participantName, messageText: o.messageText, at: o.at.toISOString() })),
    platformDialogs: n.platformDialogs,
    recordingDeleted: n.recordingDeleted,
  };
}

function notFound(): AppError {
  return new AppError('not_found', 'bot_not_found', 'No such bot');
}
