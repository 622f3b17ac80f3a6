import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { TeamInsightsResolver } from '../team-insights/team-insights.resolver';
import { DashboardResolver } from './dashboard.resolver';

/** Every resolver class the API serves; the schema is built from exactly these. */
export const RESOLVERS = [DashboardResolver, TeamInsightsResolver];

/** The schema as SDL, the same sorted print Apollo serves, without a database or a server. */
export async function buildSchemaSdl(): Promise<string> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  try {
    await app.init();
    const schema = await app.get(GraphQLSchemaFactory).create(RESOLVERS);
    return `${printSchema(lexicographicSortSchema(schema))}\n`;
  } finally {
    await app.close();
  }
}
