import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { Request } from 'express';
import { TeamInsightsModule } from '../team-insights/team-insights.module';
import { DashboardRepository } from './dashboard.repository';
import { DashboardResolver } from './dashboard.resolver';
import { DashboardService } from './dashboard.service';
import { formatGraphqlError } from './graphql-error';

/**
 * GraphQL at /graphql for the dashboard's reads (plus preference toggles); REST stays the API
 * for actions. Code-first: the schema comes from the resolvers and is committed as
 * docs/schema.graphql (`npm run graphql:schema`; a test fails on drift). The global AuthGuard
 * covers resolvers too (it reads the request from the GraphQL context).
 */
@Module({
  imports: [
    GraphQLModule.forRoot<ApolloDriverConfig>({
      driver: ApolloDriver,
      path: '/graphql',
      autoSchemaFile: true,
      sortSchema: true,
      playground: false,
      introspection: true,
      context: ({ req }: { req: Request }) => ({ req }),
      formatError: formatGraphqlError,
    }),
    TeamInsightsModule,
  ],
  providers: [DashboardRepository, DashboardService, DashboardResolver],
})
export class GraphqlApiModule {}
