import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ZodError } from 'zod';
import { botOptionsSchema, findOptOutPhrase, resolveBotOptions, resolveConsent } from './index';

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
