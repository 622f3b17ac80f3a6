import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';

export class UpdateMeDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(120)
  displayName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be a valid email address' })
  email?: string;

  @ApiPropertyOptional({ description: 'Days to keep meetings (1–3650), or "keep" to keep them until deleted', oneOf: [{ type: 'integer' }, { type: 'string', enum: ['keep'] }] })
  // Not @IsOptional: that would let null through; only an absent field is "no change".
  @ValidateIf((_, v) => v !== undefined && v !== 'keep')
  @IsInt({ message: 'retentionDays must be an integer between 1 and 3650, or "keep"' })
  @Min(1, { message: 'retentionDays must be at least 1 day' })
  @Max(3650, { message: 'retentionDays must be at most 3650 days' })
  retentionDays?: number | 'keep';

  @ApiPropertyOptional({ description: 'New password; requires currentPassword' })
  @IsOptional()
  @IsString()
  @MinLength(10, { message: 'newPassword must be at least 10 characters' })
  @MaxLength(256)
  newPassword?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(256)
  currentPassword?: string;
}
