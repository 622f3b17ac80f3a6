export * from './user.entity';
export * from './user-key.entity';
export * from './refresh-token.entity';
export * from './team.entity';
export * from './audit-log.entity';
export * from './meeting.entity';
export * from './meeting-analysis.entity';
export * from './practice-module.entity';
export * from './analysis-pipeline.entity';
export * from './bot.entity';
export * from './bot-event.entity';
export * from './consent.entity';

import { UserEntity } from './user.entity';
import { UserKeyEntity } from './user-key.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { TeamEntity, TeamMembershipEntity } from './team.entity';
import { AuditLogEntity } from './audit-log.entity';
import { MeetingEntity, MeetingTranscriptEntity, RecordingEntity } from './meeting.entity';
import { MeetingAnalysisEntity } from './meeting-analysis.entity';
import { PracticeModuleEntity } from './practice-module.entity';
import { MeetingSpeakerEntity, NotificationEntity, PipelineRunEntity } from './analysis-pipeline.entity';
import { BotEntity } from './bot.entity';
import { BotEventEntity } from './bot-event.entity';
import { ConsentNoticeEntity, ConsentOptOutEntity, ConsentParticipantEntity } from './consent.entity';

export const ENTITIES = [
  UserEntity,
  UserKeyEntity,
  RefreshTokenEntity,
  TeamEntity,
  TeamMembershipEntity,
  AuditLogEntity,
  MeetingEntity,
  MeetingTranscriptEntity,
  RecordingEntity,
  MeetingAnalysisEntity,
  PracticeModuleEntity,
  MeetingSpeakerEntity,
  PipelineRunEntity,
  NotificationEntity,
  BotEntity,
  BotEventEntity,
  ConsentNoticeEntity,
  ConsentParticipantEntity,
  ConsentOptOutEntity,
];
