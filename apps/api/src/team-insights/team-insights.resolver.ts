import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../common/auth.decorators';
import { GqlUser } from '../graphql/gql-user.decorator';
import { TeamInsightsService } from './team-insights.service';
import { TeamInsights } from './team-insights.types';

@Resolver(() => TeamInsights)
export class TeamInsightsResolver {
  constructor(private readonly service: TeamInsightsService) {}

  @Query(() => TeamInsights, { description: 'Aggregates for a team I lead' })
  teamInsights(
    @GqlUser() user: AuthUser,
    @Args('teamId', { type: () => ID }) teamId: string,
    @Args('weeks', { type: () => Int, defaultValue: 12 }) weeks: number,
  ): Promise<TeamInsights> {
    return this.service.insights(user, teamId, weeks);
  }
}
