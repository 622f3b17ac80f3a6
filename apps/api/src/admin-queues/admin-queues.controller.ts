import { Controller, Delete, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import jwt from 'jsonwebtoken';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG } from '@rapport/core';
import { CurrentUser, Roles, type AuthUser } from '../common/auth.decorators';
import { credentialCookie } from '../common/cookies';

export const DASHBOARD_PATH = '/admin/queues';
export const DASHBOARD_COOKIE = 'rapport_queues';
export const DASHBOARD_AUDIENCE = 'rapport-admin-queues';
export const DASHBOARD_TTL_SEC = 600;

/**
 * A browser cannot send a Bearer header when it opens /admin/queues, so an admin first trades
 * their access token for a short-lived, HttpOnly, SameSite=Strict cookie scoped to that path.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/queues/session')
export class AdminQueuesController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Post()
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Admins: set a 10-minute cookie that opens the queue dashboard at /admin/queues' })
  open(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response): void {
    const token = jwt.sign({ purpose: 'queue-dashboard' }, this.config.JWT_SECRET, {
      algorithm: 'HS256',
      subject: user.id,
      audience: DASHBOARD_AUDIENCE,
      issuer: 'rapport',
      expiresIn: DASHBOARD_TTL_SEC,
    });
    res.cookie(DASHBOARD_COOKIE, token, credentialCookie(this.config.PUBLIC_URL, DASHBOARD_PATH, DASHBOARD_TTL_SEC * 1000));
  }

  @Delete()
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Admins: drop the queue dashboard cookie' })
  close(@Res({ passthrough: true }) res: Response): void {
    res.clearCookie(DASHBOARD_COOKIE, { path: DASHBOARD_PATH });
  }
}
