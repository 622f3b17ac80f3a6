import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppError } from '@rapport/common';
import { AnalysisRepository, type PracticeModuleEntity } from '@rapport/database';
import { CurrentUser, type AuthUser } from '../common/auth.decorators';
import { PracticeProgressDto } from './dto/practice.dto';

function view(m: PracticeModuleEntity) {
  return {
    id: m.id,
    moduleType: m.moduleType,
    title: m.title,
    exercises: m.exercises,
    estimatedDuration: m.estimatedDuration,
    difficulty: m.difficulty,
    status: m.status,
    attempts: m.attempts,
    completedAt: m.completedAt,
    sourceAnalysisId: m.sourceAnalysisId,
    createdAt: m.createdAt,
  };
}

@ApiTags('practice')
@ApiBearerAuth()
@Controller('api/v1/practice-modules')
export class PracticeController {
  constructor(private readonly analysis: AnalysisRepository) {}

  @Get()
  @ApiOperation({ summary: 'My practice modules, newest first' })
  async list(@CurrentUser() user: AuthUser) {
    return { items: (await this.analysis.listPracticeForUser(user.id)).map(view) };
  }

  @Patch(':id/progress')
  @ApiOperation({ summary: 'Record progress: status started|completed and/or attempts to add' })
  async progress(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: PracticeProgressDto) {
    if (body.status === undefined && body.attemptIncrement === undefined) {
      throw new AppError('bad_request', 'validation_failed', 'Send status and/or attemptIncrement');
    }
    const updated = /^[0-9a-f-]{36}$/i.test(id) ? await this.analysis.updatePracticeProgress(user.id, id, body) : null;
    if (!updated) throw new AppError('not_found', 'practice_module_not_found', 'No such practice module among yours');
    return view(updated);
  }
}
