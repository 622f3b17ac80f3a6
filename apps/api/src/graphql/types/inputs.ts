import { Field, ID, InputType } from '@nestjs/graphql';
import { IsBoolean, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { MAX_CHAT_MESSAGE_CHARS } from '@rapport/bot-domain';

@InputType({ description: 'Only the fields given change; consentNotice null restores the default notice' })
export class UpdatePreferencesInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'botName must not be empty' })
  @MaxLength(60, { message: 'botName must be at most 60 characters' })
  botName?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(20, { message: 'consentNotice must be at least 20 characters: it has to tell people they are recorded' })
  @MaxLength(MAX_CHAT_MESSAGE_CHARS, { message: `consentNotice must be at most ${MAX_CHAT_MESSAGE_CHARS} characters (meeting chats cap messages)` })
  consentNotice?: string | null;

  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() notifyReportReady?: boolean;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() notifyWeeklyDigest?: boolean;
  @Field(() => Boolean, { nullable: true, description: 'Mark onboarding as finished' }) @IsOptional() @IsBoolean() onboarded?: boolean;
}

@InputType()
export class ShareMetricsInput {
  @Field(() => ID) @IsUUID('all', { message: 'teamId must be a UUID' }) teamId!: string;
  @Field(() => Boolean) @IsBoolean() share!: boolean;
}
