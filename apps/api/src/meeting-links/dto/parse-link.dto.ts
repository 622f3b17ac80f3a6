import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class ParseMeetingLinkDto {
  @ApiProperty({ description: 'A pasted join link, or text (an invitation) that contains one', maxLength: 10000 })
  @IsString()
  @MaxLength(10000, { message: 'text must be at most 10000 characters' })
  text!: string;
}

export class ParsedMeetingLinkDto {
  @ApiProperty({ enum: ['zoom', 'google_meet', 'microsoft_teams'] }) platform!: string;
  @ApiProperty() meetingId!: string;
  @ApiProperty({ description: 'Canonical join URL' }) url!: string;
  @ApiProperty({ description: 'One bot per key' }) dedupeKey!: string;
}

export class RejectedLinkDto {
  @ApiProperty() url!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'The reason in plain words' }) message!: string;
}

export class ParseMeetingLinkResultDto {
  @ApiProperty({ description: 'Whether a supported meeting link was found' }) ok!: boolean;
  @ApiPropertyOptional({ type: ParsedMeetingLinkDto, nullable: true }) link!: ParsedMeetingLinkDto | null;
  @ApiProperty({ type: [RejectedLinkDto] }) rejected!: RejectedLinkDto[];
  @ApiProperty({ description: 'What to tell the person typing' }) message!: string;
}
