import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';

export class ConnectView {
  @ApiProperty({ description: "The provider's consent page; send the user's browser there" }) authorizationUrl!: string;
}

export class CalendarConnectionView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['google', 'microsoft'] }) provider!: 'google' | 'microsoft';
  @ApiProperty({ example: 'primary' }) calendarId!: string;
  @ApiProperty({ enum: ['connected', 'disconnected'] }) status!: 'connected' | 'disconnected';
  @ApiProperty({ nullable: true, type: String, description: 'Why it is disconnected, e.g. user_disconnected or auth_revoked: invalid_grant (reconnect to fix)' })
  statusReason!: string | null;
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty({ nullable: true, type: String }) lastSyncAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) lastSyncError!: string | null;
  @ApiProperty() connectedAt!: string;
  @ApiProperty({ nullable: true, type: String }) disconnectedAt!: string | null;
}

export class CoverageRulesDto {
  @ApiPropertyOptional({ enum: ['all_with_link', 'organized_by_me', 'with_external', 'internal_only'] })
  @IsOptional()
  @IsIn(['all_with_link', 'organized_by_me', 'with_external', 'internal_only'])
  mode?: 'all_with_link' | 'organized_by_me' | 'with_external' | 'internal_only';

  @ApiPropertyOptional({ type: [String], description: 'Extra email domains counted as internal (your own domain always is)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  internalDomains?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Case-insensitive regular expressions; matching titles are not covered', example: ['^focus', '1:1'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  skipTitlePatterns?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'boolean' }, description: 'Per recurring series by iCalUID: true = always, false = never' })
  @IsOptional()
  @IsObject()
  seriesOverrides?: Record<string, boolean>;
}

export class EffectiveRulesView {
  @ApiProperty({ enum: ['all_with_link', 'organized_by_me', 'with_external', 'internal_only'] }) mode!: string;
  @ApiProperty({ type: [String] }) internalDomains!: string[];
  @ApiProperty({ type: [String] }) skipTitlePatterns!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'boolean' } }) seriesOverrides!: Record<string, boolean>;
}

export class TeamDefaultsView {
  @ApiProperty() teamId!: string;
  @ApiProperty({ type: CoverageRulesDto }) rules!: CoverageRulesDto;
}

export class CalendarSettingsView {
  @ApiProperty({ type: CoverageRulesDto, nullable: true, description: 'Your own rules (null: team defaults apply)' }) rules!: CoverageRulesDto | null;
  @ApiProperty({ type: TeamDefaultsView, nullable: true }) teamDefaults!: TeamDefaultsView | null;
  @ApiProperty({ type: EffectiveRulesView, description: 'Defaults ← team ← yours, field by field' }) effective!: EffectiveRulesView;
}

export class CalendarEventView {
  @ApiProperty() id!: string;
  @ApiProperty() connectionId!: string;
  @ApiProperty({ enum: ['google', 'microsoft'] }) provider!: string;
  @ApiProperty() title!: string;
  @ApiProperty() startsAt!: string;
  @ApiProperty() endsAt!: string;
  @ApiProperty({ nullable: true, type: String }) iCalUID!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Series master id of a recurring occurrence' }) seriesId!: string | null;
  @ApiProperty({ enum: ['accepted', 'declined', 'tentative', 'needsAction'] }) selfResponse!: string;
  @ApiProperty() isOrganizer!: boolean;
  @ApiProperty({ nullable: true, type: String, enum: ['zoom', 'google_meet', 'microsoft_teams'] }) platform!: string | null;
  @ApiProperty({ nullable: true, type: String }) meetingUrl!: string | null;
  @ApiProperty({ description: 'Whether your coverage rules want a bot here' }) covered!: boolean;
  @ApiProperty({ description: 'Why or why not: has_meeting_link, declined, title_skipped, event_override_on, platform_not_supported, …' }) coverageReason!: string;
  @ApiProperty({ nullable: true, enum: ['on', 'off'], type: String }) override!: 'on' | 'off' | null;
  @ApiProperty({ nullable: true, type: String, description: 'The canonical meeting shared by everyone invited' }) meetingId!: string | null;
  @ApiProperty({ description: 'A bot is planned or running for the meeting (possibly for another invitee)' }) botPlanned!: boolean;
  @ApiProperty({ nullable: true, type: String }) botId!: string | null;
  @ApiProperty({ nullable: true, type: String }) botStatus!: string | null;
  @ApiProperty({ nullable: true, type: String }) botJoinAt!: string | null;
}

export class ListCalendarEventsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class PatchCalendarEventDto {
  @ApiProperty({ nullable: true, enum: ['on', 'off'], type: String, description: 'on: always cover (recorded as your consent), off: never, null: follow the rules' })
  @IsIn(['on', 'off', null])
  override!: 'on' | 'off' | null;
}
