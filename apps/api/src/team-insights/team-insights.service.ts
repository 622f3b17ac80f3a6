import { Injectable } from '@nestjs/common';
import { AppError } from '@rapport/common';
import { TeamsRepository } from '@rapport/database';
import type { AuthUser } from '../common/auth.decorators';
import { FILLER_BUCKETS, PACE_BUCKETS, TALK_SHARE_BUCKETS, TeamInsightsRepository, type Histogram } from './team-insights.repository';
import type { DistributionBucket, TeamInsights, TeamWeek } from './team-insights.types';

/** An aggregate over fewer people than this is not shown: it would be nearly one person's figures. */
export const MIN_MEMBERS = 3;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const round1 = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);

export function buckets(h: Histogram, counts: number[], format: (x: number) => string): DistributionBucket[] {
  return counts.map((count, i) => {
    const from = h.from + i * h.width;
    const to = i === h.buckets - 1 ? null : h.from + (i + 1) * h.width;
    return { label: to === null ? `${format(from)}+` : `${format(from)}–${format(to)}`, from, to, count };
  });
}

/** Score change: mean of the last 4 shown weeks minus the mean of the 4 before (weeks with a score only). */
export function scoreChange(weekly: TeamWeek[]): number | null {
  const scored = weekly.filter((w) => w.averageScore !== null).map((w) => w.averageScore as number);
  if (scored.length < 2) return null;
  const recent = scored.slice(-4);
  const before = scored.slice(-8, -4);
  if (!before.length) return null;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return round1(mean(recent) - mean(before));
}

/** Team-lead aggregates: only for leads of the team (admins manage teams, they do not read them). */
@Injectable()
export class TeamInsightsService {
  constructor(
    private readonly repo: TeamInsightsRepository,
    private readonly teams: TeamsRepository,
  ) {}

  async insights(user: AuthUser, teamId: string, weeks: number): Promise<TeamInsights> {
    const team = UUID.test(teamId) ? await this.teams.findById(teamId) : null;
    if (!team) throw new AppError('not_found', 'team_not_found', 'No team with this id');
    if ((await this.teams.roleIn(teamId, user.id)) !== 'lead') {
      throw new AppError('forbidden', 'not_team_lead', 'Only leads of this team can see its insights');
    }
    const span = Math.min(Math.max(Math.trunc(weeks), 1), 52);
    const since = startOfWeek(new Date(Date.now() - (span - 1) * 7 * 86_400_000));
    const [memberCount, totals] = await Promise.all([this.repo.memberCount(teamId), this.repo.totals(teamId, since)]);
    const base = { teamId, teamName: team.name, weeks: span, memberCount, membersWithData: totals.membersWithData, minimumMembers: MIN_MEMBERS };
    if (totals.membersWithData < MIN_MEMBERS) {
      return { ...base, suppressed: true, meetings: 0, averageScore: null, scoreChange: null, weekly: [], talkShare: [], pace: [], fillers: [], topImprovementAreas: [], individuals: [] };
    }
    const [weekRows, share, pace, fillers, areas, individuals] = await Promise.all([
      this.repo.weekly(teamId, since),
      this.repo.histogram(teamId, since, 'talkTimeShare', TALK_SHARE_BUCKETS),
      this.repo.histogram(teamId, since, 'wordsPerMinute', PACE_BUCKETS),
      this.repo.histogram(teamId, since, 'fillerWordsPer100', FILLER_BUCKETS),
      this.repo.areas(teamId, since, 5),
      this.repo.individuals(teamId, since),
    ]);
    const weekly: TeamWeek[] = weekRows.map((w) =>
      w.members >= MIN_MEMBERS
        ? { weekStart: w.weekStart, members: w.members, meetings: w.meetings, averageScore: round1(w.averageScore) }
        : { weekStart: w.weekStart, members: null, meetings: null, averageScore: null },
    );
    return {
      ...base,
      suppressed: false,
      meetings: totals.meetings,
      averageScore: round1(totals.averageScore),
      scoreChange: scoreChange(weekly),
      weekly,
      talkShare: buckets(TALK_SHARE_BUCKETS, share, (x) => `${Math.round(x * 100)}%`),
      pace: buckets(PACE_BUCKETS, pace, (x) => `${x}`),
      fillers: buckets(FILLER_BUCKETS, fillers, (x) => `${x}`),
      topImprovementAreas: areas,
      individuals: individuals.map((i) => ({
        ...i,
        averageScore: round1(i.averageScore),
        talkTimeShare: i.talkTimeShare === null ? null : Math.round(i.talkTimeShare * 1000) / 1000,
        wordsPerMinute: round1(i.wordsPerMinute),
        fillerWordsPer100: round1(i.fillerWordsPer100),
      })),
    };
  }
}

/** Monday 00:00 UTC of the week containing d (Postgres date_trunc('week') in UTC). */
export function startOfWeek(d: Date): Date {
  const day = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day));
}
