import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsentLedger } from '@rapport/bot-domain';
import { BLOB_STORE } from '@rapport/core';
import { DataKeyService, encryptChunked, encryptJson } from '@rapport/crypto';
import { BotsRepository, MeetingsRepository, type BotEntity } from '@rapport/database';
import { DEFAULT_JOB_OPTIONS, QUEUES, type AnalysisJobs } from '@rapport/queue';
import { blobKeys, type BlobStore } from '@rapport/storage';

export interface HandoffResult {
  recordingStored: boolean;
  optedOut: boolean;
  analysisEnqueued: boolean;
  recordingBytes: number;
}

const RECORDING_FILE = 'recording.ogg';
const RECORDING_CONTENT_TYPE = 'audio/ogg';

/**
 * What happens to a bot's working folder when the bot ends: the recording, timeline and captions
 * are encrypted with the meeting owner's data key into blob storage, the consent ledger is
 * imported, the plaintext folder is deleted, and the meeting is handed to the analysis pipeline.
 * The meeting owner, not the bot's sender: an invitee may send (or cover with) the bot of a
 * canonical meeting someone else owns, and the pipeline, the transcript and recording access and
 * crypto-shredding all follow the meeting's owner. An opt-out, or a meeting deleted meanwhile,
 * stores nothing and hands on nothing. Safe to run twice for the same bot (upserts, job id).
 */
@Injectable()
export class HandoffService {
  private readonly logger = new Logger(HandoffService.name);

  constructor(
    @Inject(BotsRepository) private readonly bots: BotsRepository,
    @Inject(MeetingsRepository) private readonly meetings: MeetingsRepository,
    @Inject(DataKeyService) private readonly keys: DataKeyService,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @InjectQueue(QUEUES.analysis) private readonly analysis: Queue<AnalysisJobs['meeting.process']>,
  ) {}

  async handOff(bot: BotEntity, dir: string, optedOutByEvent: boolean): Promise<HandoffResult> {
    const result: HandoffResult = { recordingStored: false, optedOut: optedOutByEvent, analysisEnqueued: false, recordingBytes: 0 };
    const ownerId = await this.meetings.ownerOf(bot.meetingId);
    if (ownerId === null) {
      rmSync(dir, { recursive: true, force: true });
      this.logger.warn({ botId: bot.id, meetingId: bot.meetingId }, 'the meeting was deleted while the bot ran: nothing stored');
      return result;
    }
    const ledger = readJson<ConsentLedger>(join(dir, 'consent.json'));
    if (ledger) {
      result.optedOut ||= ledger.recordingDeleted || ledger.optOut !== null;
      await this.bots.saveConsent({
        meetingId: bot.meetingId,
        botId: bot.id,
        userId: bot.userId,
        channel: ledger.channel,
        noticeText: ledger.noticeText,
        postedAt: ledger.noticePostedAt ? new Date(ledger.noticePostedAt) : null,
        participantsPresent: ledger.participantsAtNotice,
        platformDialogs: ledger.platformDialogsAcknowledged,
        recordingDeleted: ledger.recordingDeleted,
        lateJoiners: ledger.lateJoiners.map((p) => ({ name: p.name, seenAt: new Date(p.joinedAt), notifiedAt: p.notifiedAt ? new Date(p.notifiedAt) : null })),
        optOuts: ledger.optOut ? [{ participantName: ledger.optOut.from, messageText: ledger.optOut.text, at: new Date(ledger.optOut.at) }] : [],
      });
    }
    if (result.optedOut) {
      rmSync(dir, { recursive: true, force: true });
      this.logger.log({ botId: bot.id, meetingId: bot.meetingId }, 'opt-out: nothing stored, nothing handed on');
      return result;
    }

    const recording = this.recordingFile(dir);
    if (recording) {
      const plain = readFileSync(recording);
      const key = await this.keys.keyFor(ownerId);
      const storageKey = blobKeys.recording(ownerId, bot.meetingId);
      await this.blobs.put(storageKey, encryptChunked(key, plain, `recording:${bot.meetingId}`));
      const durationSec = mediaDurationS(recording);
      for (const [file, blobKey, context] of [
        ['timeline.json', blobKeys.timeline(ownerId, bot.meetingId), `timeline:${bot.meetingId}`],
        ['captions.json', blobKeys.captions(ownerId, bot.meetingId), `captions:${bot.meetingId}`],
      ] as const) {
        const value = readJson<unknown>(join(dir, file));
        if (value !== null) await this.blobs.put(blobKey, encryptJson(key, value, context));
      }
      await this.meetings.saveRecording({
        meetingId: bot.meetingId,
        userId: ownerId,
        storageKey,
        contentType: RECORDING_CONTENT_TYPE,
        byteSize: String(plain.length),
        durationSec,
      });
      if (durationSec !== null) await this.bots.setMeetingDuration(bot.meetingId, durationSec);
      await this.bots.markRecordingStored(bot.id);
      result.recordingStored = true;
      result.recordingBytes = plain.length;
      key.fill(0);
    }
    // Plaintext never outlives the hand-off.
    rmSync(dir, { recursive: true, force: true });
    if (result.recordingStored) {
      await this.analysis.add(
        'meeting.process',
        { meetingId: bot.meetingId, botId: bot.id, reason: 'bot_done' },
        { ...DEFAULT_JOB_OPTIONS, jobId: `meeting.process:${bot.id}` },
      );
      result.analysisEnqueued = true;
    }
    this.logger.log({ botId: bot.id, meetingId: bot.meetingId, ...result }, 'bot outputs handed on');
    return result;
  }

  /** recording.ogg, or the segments joined when the bot died before joining them itself. */
  private recordingFile(dir: string): string | null {
    const joined = join(dir, RECORDING_FILE);
    if (existsSync(joined) && statSync(joined).size > 0) return joined;
    const segDir = join(dir, 'segments');
    if (!existsSync(segDir)) return null;
    const segments = readdirSync(segDir)
      .filter((f) => f.endsWith('.ogg'))
      .sort()
      .map((f) => join(segDir, f))
      .filter((f) => statSync(f).size > 0);
    if (!segments.length) return null;
    const list = join(dir, 'handoff-segments.txt');
    writeFileSync(list, segments.map((f) => `file '${f.replace(/'/g, "'\\''")}'`).join('\n') + '\n');
    const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', joined], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status !== 0) {
      this.logger.error({ stderr: r.stderr?.slice(-500) }, 'joining leftover segments failed');
      return null;
    }
    return joined;
  }
}

function readJson<T>(file: string): T | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Duration in seconds (ffprobe); null when it cannot be read (a truncated last segment). */
function mediaDurationS(file: string): number | null {
  const r = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8', timeout: 30_000 });
  const s = Number.parseFloat((r.stdout ?? '').trim());
  return Number.isFinite(s) ? s : null;
}
