import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG } from '@rapport/core';
import { TokenService } from '../auth/token.service';
import { AcceptsMediaCookie, CurrentUser, MEDIA_COOKIE, type AuthUser } from '../common/auth.decorators';
import { credentialCookie } from '../common/cookies';
import { ListMeetingsQuery, ReanalyzeDto } from './dto/meetings.dto';
import { MeetingsService } from './meetings.service';
import { RecordingStreamService } from './recording-stream.service';


@ApiTags('meetings')
@ApiBearerAuth()
@Controller('api/v1/meetings')
export class MeetingsController {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly recordings: RecordingStreamService,
    private readonly tokens: TokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'My meetings (owned, or linked to me: my calendar, a bot I asked for, a speaker I confirmed), newest first, with my score' })
  list(@CurrentUser() user: AuthUser, @Query() q: ListMeetingsQuery) {
    return this.meetings.list(user.id, q.limit ?? 20, q.cursor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A meeting with my analysis (owners also get speakers, recording and pipeline status)' })
  get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.meetings.get(user.id, checkId(id));
  }

  @Get(':id/transcript')
  @ApiOperation({ summary: 'The transcript, decrypted for the meeting owner only' })
  transcript(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.meetings.transcript(user.id, checkId(id));
  }

  @Get(':id/analysis')
  @ApiOperation({ summary: 'My analysis of this meeting' })
  analysis(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.meetings.myAnalysis(user.id, checkId(id));
  }

  /**
   * An <audio> element cannot send a Bearer token, so the page first gets a cookie that opens
   * this meeting's recording only (HttpOnly, SameSite=Strict, path of the recording), valid as
   * long as the access token it came from and revoked with it. The player then streams with
   * ordinary range requests instead of downloading the whole file first.
   */
  @Post(':id/recording/session')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a cookie that lets a media element stream this recording (valid as long as the access token used)' })
  async recordingSession(@CurrentUser() user: AuthUser, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<void> {
    const meetingId = checkId(id);
    await this.recordings.assertPlayable(user.id, meetingId);
    const media = this.tokens.signMedia(user, meetingId);
    res.cookie(MEDIA_COOKIE, media.token, credentialCookie(this.config.PUBLIC_URL, `/api/v1/meetings/${meetingId}/recording`, media.maxAgeMs));
  }

  @Get(':id/recording')
  @AcceptsMediaCookie()
  @ApiCookieAuth(MEDIA_COOKIE)
  @ApiOperation({ summary: 'The owner’s recording, decrypted on the fly; supports Range (206, 416). Bearer token, or the cookie from POST …/recording/session' })
  async recording(@CurrentUser() user: AuthUser, @Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.recordings.serve(user.id, checkId(id), req, res);
  }

  @Post(':id/reanalyze')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run the analysis again from the stored transcript (or recording, with retranscribe)' })
  reanalyze(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: ReanalyzeDto) {
    return this.meetings.reanalyze(user.id, checkId(id), body.retranscribe ?? false);
  }

  @Post(':id/speakers/:label/claim')
  @HttpCode(200)
  @ApiOperation({ summary: '"That’s me": confirm being this speaker; my analysis is then produced' })
  claim(@CurrentUser() user: AuthUser, @Param('id') id: string, @Param('label') label: string) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(label)) return this.meetings.claim(user.id, checkId(id), 'invalid');
    return this.meetings.claim(user.id, checkId(id), label);
  }
}

/** A malformed id is a meeting that does not exist, not a validation error (no probing). */
function checkId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? id.toLowerCase() : '00000000-0000-0000-0000-000000000000';
}
