import { Body, Controller, Delete, Get, Inject, Param, ParseEnumPipe, ParseUUIDPipe, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG } from '@rapport/core';
import { CurrentUser, Public, type AuthUser } from '../common/auth.decorators';
import { CalendarsService } from './calendars.service';
import {
  CalendarConnectionView,
  CalendarEventView,
  CalendarSettingsView,
  ConnectView,
  CoverageRulesDto,
  ListCalendarEventsQueryDto,
  PatchCalendarEventDto,
} from './dto/calendar.dto';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 400 });
const provider = new ParseEnumPipe({ google: 'google', microsoft: 'microsoft' } as const);
type Provider = 'google' | 'microsoft';

@ApiTags('calendars')
@ApiBearerAuth()
@Controller('api/v1')
export class CalendarsController {
  constructor(
    private readonly calendars: CalendarsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Your connected (and disconnected, with the reason) calendars. */
  @Get('calendars')
  @ApiOkResponse({ type: [CalendarConnectionView] })
  list(@CurrentUser() user: AuthUser): Promise<CalendarConnectionView[]> {
    return this.calendars.list(user.id);
  }

  /** Starts the consent flow: open `authorizationUrl` in the browser; the provider redirects to the callback. */
  @Post('calendars/:provider/connect')
  @ApiOkResponse({ type: ConnectView })
  connect(@CurrentUser() user: AuthUser, @Param('provider', provider) p: Provider): ConnectView {
    return this.calendars.connect(user.id, p);
  }

  /** OAuth redirect target (public: the signed state names the user). Redirects to the web app's calendar settings. */
  @Public()
  @Get('calendars/:provider/callback')
  @ApiExcludeEndpoint()
  async callback(@Param('provider', provider) p: Provider, @Query() q: Record<string, string>, @Res() res: Response): Promise<void> {
    const conn = await this.calendars.callback(p, { code: q.code, state: q.state, error: q.error });
    res.redirect(302, `${this.config.PUBLIC_URL.replace(/\/$/, '')}/settings/calendars?connected=${p}&id=${conn.id}`);
  }

  /** Disconnects: pending bots of its meetings are cancelled (unless another invitee covers them), the grant revoked, channels stopped. */
  @Delete('calendars/:id')
  @ApiOkResponse({ type: CalendarConnectionView })
  disconnect(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string): Promise<CalendarConnectionView> {
    return this.calendars.disconnect(user.id, id);
  }

  @Get('calendar-settings')
  @ApiOkResponse({ type: CalendarSettingsView })
  settings(@CurrentUser() user: AuthUser): Promise<CalendarSettingsView> {
    return this.calendars.settings(user.id);
  }

  /** Replaces your coverage rules (fields left out follow the team defaults); upcoming events are re-decided. */
  @Put('calendar-settings')
  @ApiOkResponse({ type: CalendarSettingsView })
  saveSettings(@CurrentUser() user: AuthUser, @Body() body: CoverageRulesDto): Promise<CalendarSettingsView> {
    return this.calendars.saveSettings(user.id, body);
  }

  /** A team's default coverage rules (team leads of that team and admins). */
  @Put('calendar-settings/teams/:teamId')
  @ApiOkResponse({ type: CoverageRulesDto })
  saveTeamSettings(@CurrentUser() user: AuthUser, @Param('teamId', uuid) teamId: string, @Body() body: CoverageRulesDto) {
    return this.calendars.saveTeamSettings(user.id, user.role, teamId, body);
  }

  /** Upcoming events of your connected calendars: link, whether a bot is planned and why (not). */
  @Get('calendar-events')
  @ApiOkResponse({ type: [CalendarEventView] })
  events(@CurrentUser() user: AuthUser, @Query() q: ListCalendarEventsQueryDto): Promise<CalendarEventView[]> {
    return this.calendars.events(user.id, q.limit ?? 100);
  }

  /** Per-event override: on (recorded as your consent), off, or null to follow the rules. */
  @Patch('calendar-events/:id')
  @ApiOkResponse({ type: CalendarEventView })
  patchEvent(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: PatchCalendarEventDto): Promise<CalendarEventView> {
    return this.calendars.setOverride(user.id, id, body.override);
  }
}
