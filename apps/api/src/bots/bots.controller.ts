import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../common/auth.decorators';
import { BotEventView, BotPage, BotView, CreateBotDto, LeaveView, ListBotsQueryDto, MeetingConsentView } from './dto/bot.dto';
import { BotsService } from './bots.service';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 400 });

@ApiTags('bots')
@ApiBearerAuth()
@Controller('api/v1')
export class BotsController {
  constructor(private readonly bots: BotsService) {}

  /** Schedules a bot for a meeting link; 409 `bot_already_active` carries `details.existingBotId`. */
  @Post('bots')
  @ApiCreatedResponse({ type: BotView })
  @ApiConflictResponse({ description: 'The meeting already has an active bot; details.existingBotId names it' })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateBotDto): Promise<BotView> {
    return this.bots.create(user.id, body);
  }

  @Get('bots')
  @ApiOkResponse({ type: BotPage })
  list(@CurrentUser() user: AuthUser, @Query() q: ListBotsQueryDto): Promise<BotPage> {
    return this.bots.list(user.id, q.limit ?? 20, q.cursor);
  }

  @Get('bots/:id')
  @ApiOkResponse({ type: BotView })
  get(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string): Promise<BotView> {
    return this.bots.get(user.id, id);
  }

  @Get('bots/:id/events')
  @ApiOkResponse({ type: [BotEventView] })
  events(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string): Promise<BotEventView[]> {
    return this.bots.events(user.id, id);
  }

  /** A scheduled bot is cancelled; a live one leaves the call (`call_ended/bot_received_leave_call`). */
  @Post('bots/:id/leave')
  @HttpCode(202)
  @ApiOkResponse({ type: LeaveView })
  leave(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string): Promise<LeaveView> {
    return this.bots.leave(user.id, id);
  }

  /** The consent ledger of one of the caller's meetings: notices, who was there, late joiners, opt-outs. */
  @Get('meetings/:id/consent')
  @ApiOkResponse({ type: MeetingConsentView })
  consent(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string): Promise<MeetingConsentView> {
    return this.bots.consent(user.id, id);
  }
}
