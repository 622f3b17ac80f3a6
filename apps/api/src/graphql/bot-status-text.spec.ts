import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BOT_SUB_CODES } from '@rapport/bot-domain';
import { explainBotStatus } from './bot-status-text';

test('every sub-code has its own plain-words explanation', () => {
  const texts = new Set<string>();
  for (const code of BOT_SUB_CODES) {
    const text = explainBotStatus(code.startsWith('timeout') || code.startsWith('call') || code.startsWith('bot_k') ? 'call_ended' : 'fatal', code);
    assert.doesNotMatch(text, /\(|_/, `${code} falls back to its raw name: ${text}`);
    texts.add(text);
  }
  assert.equal(texts.size, BOT_SUB_CODES.length);
});

test('the host denying entry reads as such', () => {
  assert.match(explainBotStatus('call_ended', 'request_to_join_denied'), /host denied entry/);
  assert.equal(explainBotStatus('in_call_recording', null), 'The bot is in the meeting and recording.');
});

test('unknown values degrade to readable words', () => {
  assert.equal(explainBotStatus('new_state', 'odd_code'), 'The bot is new state. (odd code)');
});
