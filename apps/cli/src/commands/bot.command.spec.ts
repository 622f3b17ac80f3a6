import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '@rapport/common';
import { botForMeetingUrl, botOptionsFromCli } from './bot.command';

function code(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    assert.ok(err instanceof AppError);
    assert.equal(err.kind, 'bad_request');
    return err.code;
  }
}

describe('rapport bot join input', () => {
  test('takes Google Meet links, canonicalised', () => {
    const { bot, url } = botForMeetingUrl('https://meet.google.com/abc-defg-hij?authuser=1');
    assert.equal(bot.platform, 'google_meet');
    assert.equal(url, 'https://meet.google.com/abc-defg-hij');
  });

  test('refuses other platforms for now, and anything that is not a meeting link', () => {
    assert.equal(code(() => botForMeetingUrl('https://zoom.us/j/1234567890')), 'platform_not_supported');
    assert.equal(code(() => botForMeetingUrl('https://meet.google.com.evil.example/abc-defg-hij')), 'invalid_meeting_url');
    assert.equal(code(() => botForMeetingUrl('not a url')), 'invalid_meeting_url');
  });

  test('options: --name and --max-duration over --options JSON; bad values are bad requests', () => {
    const o = botOptionsFromCli('Coach', '600', '{"autoLeave":{"everyoneLeftTimeoutS":5},"botName":"Ignored"}');
    assert.equal(o.botName, 'Coach');
    assert.equal(o.autoLeave.maxDurationS, 600);
    assert.equal(o.autoLeave.everyoneLeftTimeoutS, 5);
    assert.equal(code(() => botOptionsFromCli(undefined, '0', undefined)), 'invalid_max_duration');
    assert.equal(code(() => botOptionsFromCli(undefined, undefined, '{nope')), 'invalid_options');
    assert.equal(code(() => botOptionsFromCli(undefined, undefined, '{"autoLeave":{"everyoneLeftTimeoutS":"soon"}}')), 'invalid_options');
  });
});
