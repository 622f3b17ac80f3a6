import type { Command } from 'commander';
import { AppError } from '@rapport/common';
import { describeRejection, extractMeetingLinkDetailed } from '@rapport/meeting-links';

/**
 * `rapport links parse "<text>"`: the meeting link in a URL or an invitation text, as JSON
 * (`{platform, meetingId, url, dedupeKey}`); exit 1 with the reason when there is none.
 */
export function registerLinksCommand(program: Command): void {
  const links = program.command('links').description('Meeting-link extraction and classification');
  links
    .command('parse')
    .description('Print the meeting link found in a URL or invitation text (HTML accepted) as JSON')
    .argument('<text>', 'a URL, or free text / HTML that contains one')
    .action((text: string) => {
      if (!text.trim()) throw new AppError('bad_request', 'text_required', 'text: give a URL or an invitation text');
      const result = extractMeetingLinkDetailed(text);
      if (result.link) {
        process.stdout.write(`${JSON.stringify(result.link)}\n`);
        return;
      }
      const reasons = result.rejected.map((r) => `${r.url}: ${describeRejection(r.reason)} (${r.reason})`);
      process.stderr.write(
        reasons.length
          ? `rapport: no meeting link found; refused:\n  ${reasons.join('\n  ')}\n`
          : 'rapport: no meeting link found (no URL in the text)\n',
      );
      process.exitCode = 1;
    });
}
