import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsISO8601, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { BOT_ROW_STATUSES, type BotRowStatus } from '@rapport/database';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateBotDto {
  @ApiProperty({ description: 'Google Meet link (Zoom and Teams links are recognised but have no bot yet)', example: 'https://meet.google.com/abc-defg-hij' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  meetingUrl!: string;

  @ApiPropertyOptional({ description: 'When the bot should be in the meeting (ISO 8601 with offset); default now', example: '2026-11-25T14:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  joinAt?: string;

  @ApiPropertyOptional({ description: 'Display name in the meeting (default "Rapport Notetaker")', maxLength: 60 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  botName?: string;

  @ApiPropertyOptional({
    description:
      'Auto-leave rules in seconds, null turns one off: waitingRoomTimeoutS, nooneJoinedTimeoutS, everyoneLeftTimeoutS, silenceTimeoutS, silenceActivateAfterS, onlyBotsTimeoutS, botNameKeywords, maxDurationS',
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  autoLeave?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Consent texts: noticeText, optOutPhrases, optOutReplyText', type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  consent?: Record<string, unknown>;
}

export class ListBotsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class BotView {
  @ApiProperty() id!: string;
  @ApiProperty() meetingId!: string;
  @ApiProperty() meetingUrl!: string;
  @ApiProperty({ enum: ['zoom', 'google_meet', 'microsoft_teams'] }) platform!: string;
  @ApiProperty() botName!: string;
  @ApiProperty() joinAt!: string;
  @ApiProperty({ enum: BOT_ROW_STATUSES }) status!: BotRowStatus;
  @ApiProperty({ nullable: true, type: String }) subCode!: string | null;
  @ApiProperty({ description: 'Dispatch attempts so far' }) attempt!: number;
  @ApiProperty({ description: 'A leave was requested and is on its way to the bot' }) leaveRequested!: boolean;
  @ApiProperty({ description: 'The recording was stored (encrypted) and handed to analysis' }) recordingStored!: boolean;
  @ApiProperty({ nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) endedAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class BotPage {
  @ApiProperty({ type: [BotView] }) items!: BotView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class BotEventView {
  @ApiProperty({ enum: BOT_ROW_STATUSES }) code!: BotRowStatus;
  @ApiProperty({ nullable: true, type: String }) subCode!: string | null;
  @ApiProperty() at!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
}

export class LeaveView {
  @ApiProperty({ enum: ['cancelled', 'leave_requested', 'already_ended'] }) outcome!: string;
  @ApiProperty({ type: BotView }) bot!: BotView;
}

export class ConsentNoticeView {
  @ApiProperty() botId!: string;
  @ApiProperty() channel!: string;
  @ApiProperty() noticeText!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Null: the notice was never posted, so nothing was recorded' }) postedAt!: string | null;
  @ApiProperty({ type: [String] }) participantsPresent!: string[];
  @ApiProperty({
    description: 'Participants who joined after the notice, and when the bot posted it again for them (null: it did not)',
    type: 'array',
    items: { type: 'object', properties: { name: { type: 'string' }, seenAt: { type: 'string' }, notifiedAt: { type: 'string', nullable: true } } },
  })
  lateJoiners!: Array<{ name: string; seenAt: string; notifiedAt: string | null }>;
  @ApiProperty({ type: 'array', items: { type: 'object', properties: { participantName: { type: 'string', nullable: true }, messageText: { type: 'string' }, at: { type: 'string' } } } })
  optOuts!: Array<{ participantName: string | null; messageText: string; at: string }>;
  @ApiProperty({ type: 'array', items: { type: 'object', properties: { text: { type: 'string' }, at: { type: 'string' } } }, description: 'Platform recording dialogs the bot acknowledged' })
  platformDialogs!: Array<{ text: string; at: string }>;
  @ApiProperty() recordingDeleted!: boolean;
}

export class MeetingConsentView {
  @ApiProperty() meetingId!: string;
  @ApiProperty({ type: [ConsentNoticeView] }) notices!: ConsentNoticeView[];
}
