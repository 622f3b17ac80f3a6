import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export class ListMeetingsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer between 1 and 100' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(100, { message: 'limit must be at most 100' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{10,200}$/, { message: 'cursor must be a nextCursor returned by this endpoint' })
  cursor?: string;
}

export class ReanalyzeDto {
  @ApiPropertyOptional({ description: 'Transcribe the recording again instead of reusing the stored transcript', default: false })
  @IsOptional()
  @IsBoolean({ message: 'retranscribe must be true or false' })
  retranscribe?: boolean;
}
