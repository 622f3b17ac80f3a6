import { Body, Controller, Headers, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { HeaderRecord } from '@rapport/calendar';
import { Public } from '../common/auth.decorators';
import { CalendarWebhooksService, type WebhookAnswer } from './calendar-webhooks.service';

function send(res: Response, answer: WebhookAnswer): void {
  if (answer.contentType === 'text/plain') {
    res.status(answer.status).type('text/plain').send(answer.body);
    return;
  }
  if (answer.body !== undefined) res.status(answer.status).json(answer.body);
  else res.status(answer.status).end();
}

/** Vendor push endpoints (public: authenticity is the per-channel secret, checked on every request). */
@ApiExcludeController()
@Controller('api/v1/webhooks')
export class CalendarWebhooksController {
  constructor(private readonly webhooks: CalendarWebhooksService) {}

  @Public()
  @Post('google-calendar')
  async google(@Headers() headers: HeaderRecord, @Res() res: Response): Promise<void> {
    send(res, await this.webhooks.google(headers));
  }

  /** Change and lifecycle notifications, and the validation handshake (answered before anything else). */
  @Public()
  @Post('microsoft-graph')
  async graph(@Query() query: Record<string, unknown>, @Body() body: unknown, @Res() res: Response): Promise<void> {
    send(res, await this.webhooks.graph(query, body));
  }
}
