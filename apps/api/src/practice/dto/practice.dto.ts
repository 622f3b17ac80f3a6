import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export class PracticeProgressDto {
  @ApiPropertyOptional({ enum: ['started', 'completed'] })
  @IsOptional()
  @IsIn(['started', 'completed'], { message: 'status must be "started" or "completed"' })
  status?: 'started' | 'completed';

  @ApiPropertyOptional({ minimum: 1, maximum: 100, description: 'Attempts to add' })
  @IsOptional()
  @IsInt({ message: 'attemptIncrement must be an integer between 1 and 100' })
  @Min(1, { message: 'attemptIncrement must be at least 1' })
  @Max(100, { message: 'attemptIncrement must be at most 100' })
  attemptIncrement?: number;
}
