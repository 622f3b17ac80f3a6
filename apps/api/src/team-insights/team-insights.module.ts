import { Module } from '@nestjs/common';
import { TeamInsightsRepository } from './team-insights.repository';
import { TeamInsightsResolver } from './team-insights.resolver';
import { TeamInsightsService } from './team-insights.service';

@Module({ providers: [TeamInsightsRepository, TeamInsightsService, TeamInsightsResolver] })
export class TeamInsightsModule {}
