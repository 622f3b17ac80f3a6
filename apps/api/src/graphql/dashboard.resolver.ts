import { Args, Int, Mutation, Query, Resolver, ID } from '@nestjs/graphql';
import type { AuthUser } from '../common/auth.decorators';
import { DashboardService } from './dashboard.service';
import { GqlUser } from './gql-user.decorator';
import { MeetingReport, MeetingSummary, PracticeModuleView, TrendPoint } from './types/meeting.types';
import { Me, Preferences, TeamMembership } from './types/user.types';
import { ShareMetricsInput, UpdatePreferencesInput } from './types/inputs';

/** The signed-in user's own data. Nothing here takes another user's id. */
@Resolver()
export class DashboardResolver {
  constructor(private readonly dashboard: DashboardService) {}

  @Query(() => Me)
  me(@GqlUser() user: AuthUser): Promise<Me> {
    return this.dashboard.me(user.id);
  }

  @Query(() => [MeetingSummary], { description: 'Meetings I own or am linked to (an event of my calendar, a bot I asked for, a speaker I confirmed), newest first' })
  myMeetings(
    @GqlUser() user: AuthUser,
    @Args('limit', { type: () => Int, defaultValue: 50 }) limit: number,
    @Args('before', { type: () => Date, nullable: true }) before: Date | null,
  ): Promise<MeetingSummary[]> {
    return this.dashboard.meetings(user.id, limit, before);
  }

  @Query(() => MeetingReport, { description: 'My report of one meeting (transcript and audio are REST: /api/v1/meetings/:id/transcript, /recording)' })
  meeting(@GqlUser() user: AuthUser, @Args('id', { type: () => ID }) id: string): Promise<MeetingReport> {
    return this.dashboard.meeting(user.id, id);
  }

  @Query(() => [TrendPoint], { description: 'My score and key metrics per meeting, oldest first' })
  myTrends(@GqlUser() user: AuthUser, @Args('days', { type: () => Int, defaultValue: 180 }) days: number): Promise<TrendPoint[]> {
    return this.dashboard.trends(user.id, days);
  }

  @Query(() => [PracticeModuleView])
  myPracticeModules(@GqlUser() user: AuthUser): Promise<PracticeModuleView[]> {
    return this.dashboard.practiceModules(user.id);
  }

  @Mutation(() => Preferences)
  updatePreferences(@GqlUser() user: AuthUser, @Args('input') input: UpdatePreferencesInput): Promise<Preferences> {
    return this.dashboard.updatePreferences(user.id, input);
  }

  @Mutation(() => TeamMembership, { description: "Let this team's leads see my individual figures, or stop" })
  setShareIndividualMetrics(@GqlUser() user: AuthUser, @Args('input') input: ShareMetricsInput): Promise<TeamMembership> {
    return this.dashboard.setShareIndividualMetrics(user.id, input.teamId, input.share);
  }
}
