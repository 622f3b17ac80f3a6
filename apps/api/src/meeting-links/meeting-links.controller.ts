import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { describeRejection, extractMeetingLinkDetailed } from '@rapport/meeting-links';
import { ParseMeetingLinkDto, ParseMeetingLinkResultDto } from './dto/parse-link.dto';

const PLATFORM_NAMES = { zoom: 'Zoom', google_meet: 'Google Meet', microsoft_teams: 'Microsoft Teams' } as const;

/**
 * Validates a pasted meeting link as the person types ("Invite the bot"). Pure parsing: nothing
 * is stored, so the dashboard can call it on every keystroke (debounced).
 */
@ApiTags('meeting-links')
@ApiBearerAuth()
@Controller('api/v1/meeting-links')
export class MeetingLinksController {
  @Post('parse')
  @HttpCode(200)
  @ApiOkResponse({ type: ParseMeetingLinkResultDto })
  parse(@Body() body: ParseMeetingLinkDto): ParseMeetingLinkResultDto {
    const found = extractMeetingLinkDetailed(body.text);
    const rejected = found.rejected.map((r) => ({ url: r.url, reason: r.reason, message: describeRejection(r.reason) }));
    if (found.link) {
      return { ok: true, link: { ...found.link }, rejected, message: `${PLATFORM_NAMES[found.link.platform]} meeting ${found.link.meetingId}` };
    }
    const message = rejected[0]
      ? `That link cannot be used: ${rejected[0].message}`
      : 'Paste a Zoom, Google Meet or Microsoft Teams join link';
    return { ok: false, link: null, rejected, message };
  }
}
