import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '@rapport/config';
import { CoreModule, ObservabilityModule, loggerParams } from '@rapport/core';
import { AuthModule } from './auth/auth.module';
import { AdminQueuesModule } from './admin-queues/admin-queues.module';
import { MeetingsModule } from './meetings/meetings.module';
import { PracticeModule } from './practice/practice.module';
import { CalendarsModule } from './calendars/calendars.module';
import { BotsModule } from './bots/bots.module';
import { TeamsModule } from './teams/teams.module';
import { UsersModule } from './users/users.module';
import { GraphqlApiModule } from './graphql/graphql-api.module';
import { MeetingLinksModule } from './meeting-links/meeting-links.module';
import { WebAppModule } from './web-app/web-app.module';
import { BotsStreamModule } from './bots-stream/bots-stream.module';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        LoggerModule.forRoot(loggerParams(config, 'api')),
        CoreModule.forRoot(config),
        ObservabilityModule,
        AuthModule,
        CalendarsModule,
        UsersModule,
        TeamsModule,
        MeetingsModule,
        PracticeModule,
        AdminQueuesModule,
        BotsModule,
        MeetingLinksModule,
        GraphqlApiModule,
        BotsStreamModule,
        WebAppModule,
      ],
    };
  }
}
