import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@rapport/common';
import { decryptJson, DataKeyService } from '@rapport/crypto';
import { AnalysisRepository, PipelineRunsRepository, UsersRepository, nameMatchesUser, type MeetingAnalysisEntity } from '@rapport/database';
import { AnalysisQueue, contexts } from '@rapport/pipeline';

const NOT_FOUND = () => new AppError('not_found', 'meeting_not_found', 'No such meeting among yours');

function analysisView(a: MeetingAnalysisEntity) {
  return {
    id: a.id,
    speakerName: a.speakerName,
    communicationScore: a.communicationScore,
    improvementAreas: a.improvementAreas,
    recommendations: a.recommendations,
    metrics: a.metrics,
    createdAt: a.createdAt,
  };
}

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new AppError('bad_request', 'invalid_cursor', 'cursor must be a nextCursor returned by this endpoint');
  }
  return { createdAt, id };
}

/**
 * Meetings as each user may see them: the owner sees the meeting, its transcript, recording and
 * speakers; a participant who confirmed being a speaker sees the meeting and their own analysis;
 * nobody else learns that the meeting exists (404, never 403).
 */
@Injectable()
export class MeetingsService {
  constructor(
    private readonly analysis: AnalysisRepository,
    private readonly runs: PipelineRunsRepository,
    private readonly users: UsersRepository,
    private readonly keys: DataKeyService,
    @Inject(AnalysisQueue) private readonly queue: AnalysisQueue,
  ) {}

  async list(userId: string, limit = 20, cursor?: string) {
    const items = await this.analysis.listMeetingsForUser(userId, limit + 1, cursor ? decodeCursor(cursor) : undefined);
    const page = items.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((m) => ({ id: m.id, title: m.title, duration: m.duration, createdAt: m.createdAt, isOwner: m.isOwner, myScore: m.myScore, pipelineStatus: m.pipelineStatus })),
      nextCursor: items.length > limit && last ? encodeCursor(new Date(last.createdAt), last.id) : null,
    };
  }

  private async access(userId: string, meetingId: string) {
    const found = await this.analysis.findAccessibleMeeting(userId, meetingId);
    if (!found) throw NOT_FOUND();
    return found;
  }

  async get(userId: string, meetingId: string) {
    const { meeting, isOwner } = await this.access(userId, meetingId);
    const [mine, speakers] = await Promise.all([this.analysis.findAnalysisForUser(userId, meetingId), this.analysis.listSpeakers(meetingId)]);
    const base = {
      id: meeting.id,
      title: meeting.title,
      duration: meeting.duration,
      createdAt: meeting.createdAt,
      isOwner,
      myAnalysis: mine ? analysisView(mine) : null,
    };
    const visibleSpeakers = speakers
      .filter((s) => isOwner || s.userId === userId)
      .map((s) => ({ label: s.speakerLabel, displayName: s.displayName, talkTimeSec: s.talkTimeSec, isMe: s.userId === userId, confirmed: s.confirmed, claimed: s.userId !== null }));
    if (!isOwner) return { ...base, speakers: visibleSpeakers };
    const [run, rec] = await Promise.all([this.runs.latestForMeeting(meetingId), this.analysis.findRecordingForUser(userId, meetingId)]);
    return {
      ...base,
      speakers: visibleSpeakers,
      recording: rec ? { contentType: rec.contentType, byteSize: Number(rec.byteSize), durationSec: rec.durationSec, url: `/api/v1/meetings/${meetingId}/recording` } : null,
      pipeline: run
        ? { runId: run.id, status: run.status, step: run.step, reason: run.reason, attempts: run.attempts, errorCode: run.errorCode, errorMessage: run.errorMessage, transcriptSource: run.transcriptSource, updatedAt: run.updatedAt, finishedAt: run.finishedAt }
        : null,
    };
  }

  async transcript(userId: string, meetingId: string) {
    const { isOwner } = await this.access(userId, meetingId);
    if (!isOwner) throw NOT_FOUND();
    const row = await this.analysis.transcriptOf(meetingId);
    if (!row || row.userId !== userId) throw new AppError('not_found', 'transcript_not_ready', 'The transcript is not ready yet');
    const content = decryptJson<unknown>(await this.keys.keyFor(userId), row.ciphertext, contexts.transcript(meetingId));
    return { source: row.source, createdAt: row.createdAt, transcript: content };
  }

  async myAnalysis(userId: string, meetingId: string) {
    await this.access(userId, meetingId);
    const mine = await this.analysis.findAnalysisForUser(userId, meetingId);
    if (!mine) throw new AppError('not_found', 'analysis_not_ready', 'No analysis of you in this meeting yet (claim your speaker if you have not)');
    return analysisView(mine);
  }

  async reanalyze(userId: string, meetingId: string, retranscribe: boolean) {
    const { meeting, isOwner } = await this.access(userId, meetingId);
    if (!isOwner) throw NOT_FOUND();
    const active = await this.runs.activeForMeeting(meetingId);
    if (active) throw new AppError('conflict', 'analysis_in_progress', `An analysis of this meeting is already ${active.status} (step ${active.step}); try again when it ends`);
    const { runId, jobId } = await this.queue.queueRun(this.runs, { meetingId, userId: meeting.userId, reason: 'reanalyze', retranscribe });
    return { status: 'queued' as const, runId, jobId };
  }

  /**
   * "That's me": the owner may claim any speaker; anyone else only a speaker whose display name
   * matches their own name or email (they were in the meeting). A claim queues a reanalysis so
   * the claimer's analysis is produced.
   */
  async claim(userId: string, meetingId: string, label: string) {
    const meeting = await this.analysis.meetingById(meetingId);
    if (!meeting) throw NOT_FOUND();
    const speaker = (await this.analysis.listSpeakers(meetingId)).find((s) => s.speakerLabel === label);
    const user = await this.users.findById(userId);
    const allowed = meeting.userId === userId || (speaker && user && nameMatchesUser(speaker.displayName, user));
    if (!allowed) throw NOT_FOUND();
    if (!speaker) throw new AppError('not_found', 'speaker_not_found', `Meeting has no speaker "${label}"`);
    const result = await this.analysis.claimSpeaker(meetingId, label, userId);
    if (result === 'taken') throw new AppError('conflict', 'speaker_taken', 'Another user already confirmed being this speaker');
    if (result === 'not_found') throw new AppError('not_found', 'speaker_not_found', `Meeting has no speaker "${label}"`);
    const active = await this.runs.activeForMeeting(meetingId);
    // A run in progress picks the claim up at its analyze step, or the next run does.
    const queued = active ? null : await this.queue.queueRun(this.runs, { meetingId, userId: meeting.userId, reason: 'reanalyze', retranscribe: false });
    return { label, displayName: speaker.displayName, confirmed: true, analysisQueued: queued !== null || active !== null };
  }
}
