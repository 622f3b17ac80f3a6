import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OAuthStateSigner } from './oauth-state';

const secret = 'x'.repeat(48);

describe('OAuthStateSigner', () => {
  test('a state it signed verifies for the same provider and names the user', () => {
    const signer = new OAuthStateSigner(secret);
    const { state } = signer.sign('user-1', 'google');
    const check = signer.verify(state, 'google');
    assert.equal(check.ok, true);
    assert.equal(check.ok && check.payload.userId, 'user-1');
  });

  test('tampered, foreign-key, expired and cross-provider states are refused', () => {
    const signer = new OAuthStateSigner(secret);
    const { state } = signer.sign('user-1', 'google', 1_000);
    const [body, mac] = state.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), userId: 'attacker' })).toString('base64url');
    assert.deepEqual(signer.verify(`${forgedBody}.${mac}`, 'google', 2_000), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(new OAuthStateSigner('y'.repeat(48)).verify(state, 'google', 2_000), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(signer.verify(state, 'google', 1_000 + 11 * 60_000), { ok: false, reason: 'expired' });
    assert.deepEqual(signer.verify(state, 'microsoft', 2_000), { ok: false, reason: 'wrong_provider' });
    assert.deepEqual(signer.verify('nonsense', 'google'), { ok: false, reason: 'malformed' });
  });
});
