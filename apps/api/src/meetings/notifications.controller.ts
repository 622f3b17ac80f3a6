import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppError } from '@rapport/common';
import { AnalysisRepository } from '@rapport/database';
import { CurrentUser, type AuthUser } from '../common/auth.decorators';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly analysis: AnalysisRepository) {}

  @Get()
  @ApiOperation({ summary: 'My notifications, newest first (e.g. analysis_ready after each meeting)' })
  async list(@CurrentUser() user: AuthUser) {
    const rows = await this.analysis.listNotificationsForUser(user.id);
    return { items: rows.map((n) => ({ id: n.id, kind: n.kind, meetingId: n.meetingId, payload: n.payload, readAt: n.readAt, createdAt: n.createdAt })) };
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark a notification read' })
  async read(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/i.test(id) || !(await this.analysis.markNotificationRead(user.id, id))) {
      throw new AppError('not_found', 'notification_not_found', 'No such notification');
    }
  }
}
