import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@rapport/common';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG } from '@rapport/core';
import { DEFAULT_BOT_NAME, defaultNoticeText } from '@rapport/bot-domain';
import { UsersRepository } from '@rapport/database';
import { DashboardRepository, type MeetingRow } from './dashboard.repository';
import { explainBotStatus } from './bot-status-text';
import { scoreComponentsOf, toConsentRecord, toImprovementAreas, toSpeakerMetrics, toExercises, toSpeakerShares } from './analysis-view';
import type { BotState, MeetingReport, MeetingSummary, PracticeModuleView, TrendPoint } from './types/meeting.types';
import type { Me, Preferences, TeamMembership } from './types/user.types';
import type { UpdatePreferencesInput } from './types/inputs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The dashboard's reads for the signed-in user: every method takes that user's id first. */
@Injectable()
export class DashboardService {
  constructor(
    private readonly repo: DashboardRepository,
    private readonly users: UsersRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async me(userId: string): Promise<Me> {
    const user = await this.users.findById(userId);
    if (!user) throw new AppError('unauthorized', 'invalid_token', 'The account for this token no longer exists');
    const [teams, preferences] = await Promise.all([this.memberships(userId), this.preferences(userId)]);
    return { id: user.id, email: user.email, displayName: user.displayName, role: user.role, retentionDays: user.retentionDays, createdAt: user.createdAt, teams, preferences };
  }

  memberships(userId: string): Promise<TeamMembership[]> {
    return this.repo.memberships(userId);
  }

  async preferences(userId: string): Promise<Preferences> {
    const row = await this.repo.preferences(userId);
    return {
      botName: row?.botName ?? DEFAULT_BOT_NAME,
      consentNotice: row?.consentNotice ?? defaultNoticeText(),
      consentNoticeIsDefault: !row?.consentNotice,
      notifyReportReady: row?.notifyReportReady ?? true,
      notifyWeeklyDigest: row?.notifyWeeklyDigest ?? false,
      emailDelivery: !!this.config.SMTP_URL,
      onboardedAt: row?.onboardedAt ?? null,
    };
  }

  async updatePreferences(userId: string, input: UpdatePreferencesInput): Promise<Preferences> {
    await this.repo.savePreferences(userId, {
      botName: input.botName === undefined ? undefined : input.botName?.trim() || null,
      consentNotice: input.consentNotice === undefined ? undefined : input.consentNotice?.trim() || null,
      notifyReportReady: input.notifyReportReady ?? undefined,
      notifyWeeklyDigest: input.notifyWeeklyDigest ?? undefined,
      onboardedAt: input.onboarded === undefined ? undefined : input.onboarded ? new Date() : null,
    });
    return this.preferences(userId);
  }

  async setShareIndividualMetrics(userId: string, teamId: string, share: boolean): Promise<TeamMembership> {
    if (!(await this.repo.setShareIndividualMetrics(userId, teamId, share))) {
      throw new AppError('not_found', 'membership_not_found', 'You are not a member of this team');
    }
    const membership = (await this.repo.memberships(userId)).find((m) => m.teamId === teamId);
    if (!membership) throw new AppError('not_found', 'membership_not_found', 'You are not a member of this team');
    return membership;
  }

  async meetings(userId: string, limit: number, before: Date | null): Promise<MeetingSummary[]> {
    const rows = await this.repo.listMeetings(userId, Math.min(Math.max(limit, 1), 200), before);
    return rows.map((r) => ({ id: r.id, title: r.title, platform: r.platform, duration: r.duration, createdAt: r.createdAt, myScore: r.myScore, isOwner: r.isOwner, bot: botState(r), analysisStatus: r.pipelineStatus }));
  }

  async meeting(userId: string, meetingId: string): Promise<MeetingReport> {
    const row = UUID.test(meetingId) ? await this.repo.findMeeting(userId, meetingId) : null;
    // One answer for "does not exist" and "not yours", so ids cannot be probed.
    if (!row) throw new AppError('not_found', 'meeting_not_found', 'No meeting with this id among your meetings');
    const [analysis, speakers, artefacts, consent] = await Promise.all([
      this.repo.myAnalysis(userId, meetingId),
      this.repo.speakers(userId, meetingId),
      row.isOwner ? this.repo.artefacts(userId, meetingId) : Promise.resolve({ hasTranscript: false, hasRecording: false }),
      row.isOwner ? this.consentLedger(userId, meetingId) : Promise.resolve([]),
    ]);
    return {
      id: row.id,
      title: row.title,
      platform: row.platform,
      duration: row.duration,
      createdAt: row.createdAt,
      isOwner: row.isOwner,
      bot: botState(row),
      analysisStatus: row.pipelineStatus,
      analysedAt: row.pipelineFinishedAt,
      myAnalysis: analysis && {
        id: analysis.id,
        speakerName: analysis.speakerName,
        score: analysis.score,
        components: scoreComponentsOf(analysis.metrics ?? {}, {
          activeSpeakers: speakers.filter((s) => Number(s.talkTimeSec) > 0).length,
          durationSec: row.duration ?? Math.max(0, ...speakers.map((s) => Number(s.talkTimeSec) || 0)),
        }),
        metrics: toSpeakerMetrics(analysis.metrics ?? {}),
        improvementAreas: toImprovementAreas(analysis.improvementAreas),
        recommendations: analysis.recommendations ?? [],
      },
      speakers: toSpeakerShares(speakers, userId),
      consent,
      ...artefacts,
    };
  }

  private async consentLedger(ownerId: string, meetingId: string) {
    const notices = await this.repo.consent(ownerId, meetingId);
    const ids = notices.map((n) => n.id);
    const [seen, optOuts] = await Promise.all([this.repo.consentParticipants(ids), this.repo.consentOptOuts(ids)]);
    return notices.map((n) =>
      toConsentRecord(
        n,
        seen.filter((s) => s.noticeId === n.id).map(({ name, seenAt, notifiedAt }) => ({ name, seenAt, notifiedAt })),
        optOuts.filter((o) => o.noticeId === n.id).map(({ participantName, message, at }) => ({ participantName, message, at })),
      ),
    );
  }

  async trends(userId: string, days: number): Promise<TrendPoint[]> {
    const since = new Date(Date.now() - Math.min(Math.max(days, 1), 3650) * 86_400_000);
    const rows = await this.repo.trends(userId, since);
    return rows.map((r) => {
      const m = toSpeakerMetrics(r.metrics ?? {});
      const has = Object.keys(r.metrics ?? {}).length > 0;
      return {
        meetingId: r.meetingId,
        title: r.title,
        date: r.date,
        score: r.score,
        talkTimeShare: has ? m.talkTimeShare : null,
        wordsPerMinute: m.wordsPerMinute,
        fillerWordsPer100: m.fillerWordsPer100,
        questionCount: has ? m.questionCount : null,
        longestMonologueSec: has ? m.longestMonologueSec : null,
      };
    });
  }

  async practiceModules(userId: string): Promise<PracticeModuleView[]> {
    const rows = await this.repo.practiceModules(userId);
    return rows.map((r) => ({ ...r, exercises: toExercises(r.exercises) }));
  }
}

function botState(r: MeetingRow): BotState | null {
  if (!r.botId || !r.botStatus) return null;
  return { id: r.botId, status: r.botStatus, subCode: r.botSubCode, explanation: explainBotStatus(r.botStatus, r.botSubCode), updatedAt: r.botUpdatedAt ?? r.createdAt };
}
