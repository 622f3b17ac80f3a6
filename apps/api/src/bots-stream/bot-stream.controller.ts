import { Controller, Get, Param, ParseUUIDPipe, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError } from '@rapport/common';
import { CurrentUser, type AuthUser } from '../common/auth.decorators';
import { explainBotStatus } from '../graphql/bot-status-text';
import { BotStreamRepository } from './bot-stream.repository';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 400 });
const FINAL = new Set(['done', 'fatal', 'cancelled']);
export const POLL_MS = 1000;
const HEARTBEAT_MS = 15_000;

/**
 * Live bot status as server-sent events: `event: status` per bot_events row (id = the row id,
 * so a reconnect with Last-Event-ID resumes), `event: end` after a final status. The database
 * is the truth the runner writes; this polls it once a second per open stream (an indexed range
 * read), so browsers hold one connection instead of polling.
 */
@ApiTags('bots')
@ApiBearerAuth()
@Controller('api/v1/bots')
export class BotStreamController {
  constructor(private readonly repo: BotStreamRepository) {}

  @Get(':id/stream')
  @ApiOkResponse({ description: 'text/event-stream of { code, subCode, at, explanation }' })
  async stream(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const bot = await this.repo.findForUser(user.id, id);
    if (!bot) throw new AppError('not_found', 'bot_not_found', 'No bot with this id among your bots');
    const lastHeader = req.headers['last-event-id'];
    let last = typeof lastHeader === 'string' && /^\d{1,18}$/.test(lastHeader) ? lastHeader : '0';
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(`retry: 3000\n\n`);
    let closed = false;
    let busy = false;
    const finish = () => {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      clearInterval(beat);
      res.end();
    };
    const tick = async () => {
      if (busy || closed) return;
      busy = true;
      try {
        for (const e of await this.repo.eventsAfter(user.id, id, last)) {
          last = e.id;
          const data = { code: e.code, subCode: e.subCode, at: new Date(e.at).toISOString(), explanation: explainBotStatus(e.code, e.subCode) };
          res.write(`id: ${e.id}\nevent: status\ndata: ${JSON.stringify(data)}\n\n`);
          if (FINAL.has(e.code)) {
            res.write(`event: end\ndata: {}\n\n`);
            finish();
            return;
          }
        }
      } catch {
        finish();
      } finally {
        busy = false;
      }
    };
    const poll = setInterval(() => void tick(), POLL_MS);
    const beat = setInterval(() => res.write(`: keep-alive\n\n`), HEARTBEAT_MS);
    req.on('close', finish);
    await tick();
  }
}
