import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ZodError } from 'zod';
import { botOptionsSchema, findOptOutPhrase, lateJoinerNotice, lateJoinersToNotify, newConsentLedger, resolveBotOptions, resolveConsent } from './index';

describe('consent', () => {
  test('the default notice names the product, recording, transcription and the opt-out', () => {
    const c = resolveConsent(undefined);
    assert.match(c.noticeText, /Rapport/);
    assert.match(c.noticeText, /recording/);
    assert.match(c.noticeText, /transcrib/);
    assert.match(c.noticeText, /"stop recording"/);
    assert.ok(c.noticeText.length <= 500);
    assert.deepEqual(c.optOutPhrases, ['stop recording']);
  });

  test('custom opt-out phrases appear in the default notice', () => {
    const c = resolveConsent({ optOutPhrases: ['stop recording', 'no bots'] });
    assert.match(c.noticeText, /"no bots"/);
  });

  test('late joiners: the notice again, greeting them by name, within the 500-char chat limit', () => {
    const notice = resolveConsent(undefined).noticeText;
    assert.equal(lateJoinerNotice(['Grace Hopper'], notice), `Welcome Grace Hopper: ${notice}`);
    assert.equal(lateJoinerNotice(['Grace', 'Linus'], 'N.'), 'Welcome Grace and Linus: N.');
    assert.equal(lateJoinerNotice(['A', 'B', 'C'], 'N.'), 'Welcome A, B and C: N.');
    assert.equal(lateJoinerNotice(['A', 'B', 'C', 'D', 'E'], 'N.'), 'Welcome A, B, C and 2 others: N.');
    assert.equal(lateJoinerNotice(['A', 'B', 'C', 'D'], 'N.'), 'Welcome A, B, C and 1 other: N.');
    const long = 'x'.repeat(495);
    assert.equal(lateJoinerNotice(['Grace Hopper'], long), long, 'names dropped when they do not fit');
    assert.equal(lateJoinerNotice([], notice), notice);
    assert.equal(resolveConsent(undefined).lateJoinerNoticeDelayS, 15);
    assert.equal(resolveConsent({ lateJoinerNoticeDelayS: null }).lateJoinerNoticeDelayS, null);
    assert.equal(resolveBotOptions({ consent: { lateJoinerNoticeDelayS: 0 } }).consent.lateJoinerNoticeDelayS, 0);
    assert.throws(() => resolveBotOptions({ consent: { lateJoinerNoticeDelayS: 601 } }), ZodError);
    assert.throws(() => resolveBotOptions({ consent: { lateJoinerNoticeDelayS: 1.5 } }), ZodError);
  });

  test('late joiners are notified together once the first has waited the delay, each once', () => {
    const t0 = Date.parse('2026-11-25T10:00:00Z');
    const ledger = newConsentLedger('Recording.');
    assert.deepEqual(lateJoinersToNotify(ledger, 15, t0), []);
    ledger.noticePostedAt = new Date(t0).toISOString();
    ledger.lateJoiners.push({ name: 'Grace', joinedAt: new Date(t0 + 1000).toISOString(), notifiedAt: null });
    ledger.lateJoiners.push({ name: 'Linus', joinedAt: new Date(t0 + 9000).toISOString(), notifiedAt: null });
    assert.deepEqual(lateJoinersToNotify(ledger, 15, t0 + 15_999), [], 'Grace has waited 14.999 s');
    assert.deepEqual(lateJoinersToNotify(ledger, 15, t0 + 16_000), ['Grace', 'Linus']);
    assert.deepEqual(lateJoinersToNotify(ledger, null, t0 + 60_000), [], 'null: never');
    assert.deepEqual(lateJoinersToNotify(ledger, 0, t0 + 1000), ['Grace', 'Linus'], '0: at once');
    ledger.lateJoiners.forEach((j) => (j.notifiedAt = new Date(t0 + 16_000).toISOString()));
    assert.deepEqual(lateJoinersToNotify(ledger, 15, t0 + 60_000), [], 'each notified once');
    ledger.lateJoiners.push({ name: 'Ada', joinedAt: new Date(t0 + 50_000).toISOString(), notifiedAt: null });
    assert.deepEqual(lateJoinersToNotify(ledger, 15, t0 + 60_000), []);
    assert.deepEqual(lateJoinersToNotify(ledger, 15, t0 + 65_000), ['Ada']);
  });

  test('opt-out phrases match whole words, ignoring case and punctuation', () => {
    const phrases = ['stop recording'];
    assert.equal(findOptOutPhrase('Please STOP recording!', phrases), 'stop recording');
    assert.equal(findOptOutPhrase('stop-recording now', phrases), 'stop recording');
    assert.equal(findOptOutPhrase('do not stop recordings', phrases), null);
    assert.equal(findOptOutPhrase('recording stop', phrases), null);
  });
});

describe('botOptionsSchema', () => {
  test('fills defaults and keeps overrides', () => {
    const o = resolveBotOptions({ botName: 'Coach', autoLeave: { everyoneLeftTimeoutS: 5, maxDurationS: null } });
    assert.equal(o.botName, 'Coach');
    assert.equal(o.autoLeave.everyoneLeftTimeoutS, 5);
    assert.equal(o.autoLeave.maxDurationS, null);
    assert.equal(o.autoLeave.waitingRoomTimeoutS, 900);
    assert.deepEqual(o.consent.optOutPhrases, ['stop recording']);
    assert.equal(resolveBotOptions(undefined).botName, 'Rapport Notetaker');
  });

  test('rejects unknown keys and bad values', () => {
    assert.throws(() => resolveBotOptions({ autoLeave: { everyoneLeftTimeoutS: -1 } }), ZodError);
    assert.throws(() => resolveBotOptions({ autoLeave: { nope: 1 } }), ZodError);
    assert.throws(() => resolveBotOptions({ consent: { noticeText: 'x'.repeat(501) } }), ZodError);
    assert.equal(botOptionsSchema.safeParse({ botName: '' }).success, false);
  });
});
