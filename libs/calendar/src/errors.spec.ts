import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphError } from '@microsoft/microsoft-graph-client';
import {
  type CalendarErrorCode,
  type KnownGoogleChannel,
  TokenEndpointError,
  mapProviderError,
  parseRetryAfter,
  verifyGoogleNotification,
} from '@rapport/calendar';

/** The shape googleapis/google-auth-library errors have (GaxiosError: status + response). */
function gaxios(status: number, data: unknown, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    name: 'GaxiosError',
    status,
    response: { status, statusText: '', data, headers: new Headers(headers) },
  });
}

function graph(status: number, code: string, headers: Record<string, string> = {}): GraphError {
  const e = new GraphError(status, code);
  e.code = code;
  e.headers = new Headers(headers);
  return e;
}

const googleError = (code: number, reason: string) => ({ error: { code, message: reason, errors: [{ domain: 'global', reason }] } });

const CASES: Array<[string, 'google' | 'microsoft', unknown, CalendarErrorCode, number | null]> = [
  ['google 429 + Retry-After', 'google', gaxios(429, googleError(429, 'rateLimitExceeded'), { 'retry-after': '7' }), 'temporary', 7000],
  ['google 403 rateLimitExceeded', 'google', gaxios(403, googleError(403, 'rateLimitExceeded')), 'temporary', null],
  ['google 403 userRateLimitExceeded', 'google', gaxios(403, googleError(403, 'userRateLimitExceeded')), 'temporary', null],
  ['google 500', 'google', gaxios(500, googleError(500, 'backendError')), 'temporary', null],
  ['google 410 fullSyncRequired', 'google', gaxios(410, googleError(410, 'fullSyncRequired')), 'sync_cursor_invalid', null],
  ['google token invalid_grant', 'google', gaxios(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }), 'auth_revoked', null],
  ['google deleted_client', 'google', gaxios(401, { error: 'deleted_client' }), 'auth_revoked', null],
  ['google 401 after refresh', 'google', gaxios(401, googleError(401, 'authError')), 'auth_revoked', null],
  ['google 403 insufficient scope', 'google', gaxios(403, googleError(403, 'insufficientPermissions')), 'auth_revoked', null],
  ['google 404', 'google', gaxios(404, googleError(404, 'notFound')), 'not_found', null],
  ['google 400 invalid', 'google', gaxios(400, googleError(400, 'invalid')), 'provider_error', null],
  ['graph 429 + Retry-After', 'microsoft', graph(429, 'TooManyRequests', { 'Retry-After': '3' }), 'temporary', 3000],
  ['graph 503', 'microsoft', graph(503, 'ServiceNotAvailable'), 'temporary', null],
  ['graph 410 syncStateNotFound', 'microsoft', graph(410, 'syncStateNotFound'), 'sync_cursor_invalid', null],
  ['graph 400 syncStateInvalid', 'microsoft', graph(400, 'syncStateInvalid'), 'sync_cursor_invalid', null],
  ['graph 401', 'microsoft', graph(401, 'InvalidAuthenticationToken'), 'auth_revoked', null],
  ['graph 403 ErrorAccessDenied', 'microsoft', graph(403, 'ErrorAccessDenied'), 'auth_revoked', null],
  ['graph 404', 'microsoft', graph(404, 'ResourceNotFound'), 'not_found', null],
  ['AAD invalid_grant', 'microsoft', new TokenEndpointError(400, 'invalid_grant', 'AADSTS70000', new Headers()), 'auth_revoked', null],
  ['AAD 503 with Retry-After', 'microsoft', new TokenEndpointError(503, 'temporarily_unavailable', 'busy', new Headers({ 'retry-after': '2' })), 'temporary', 2000],
  ['network refused', 'microsoft', Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 'temporary', null],
  ['unknown thing', 'google', new Error('boom'), 'provider_error', null],
];

describe('mapProviderError: one mapper for every vendor error', () => {
  for (const [label, provider, err, code, retryAfterMs] of CASES) {
    test(label, () => {
      const mapped = mapProviderError(provider, err);
      assert.equal(mapped.code, code);
      assert.equal(mapped.retryAfterMs, retryAfterMs);
      assert.equal(mapped.provider, provider);
    });
  }

  test('CalendarError is an AppError with an HTTP-ish kind', () => {
    const mapped = mapProviderError('google', gaxios(410, googleError(410, 'fullSyncRequired')));
    assert.equal(mapped.kind, 'conflict');
    assert.equal(mapped.status, 409);
    assert.equal(mapped.vendorCode, 'fullSyncRequired');
  });

  test('Retry-After as HTTP date', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    assert.equal(parseRetryAfter('Wed, 25 Nov 2026 10:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), null);
  });
});

describe('verifyGoogleNotification edge cases', () => {
  const channel = { provider: 'google' as const, id: 'ch1', resourceId: 'res1', secret: 's3cret', expiresAt: new Date('2026-12-01T00:00:00Z') };
  const headers = (extra: Record<string, string> = {}) => ({
    'x-goog-channel-id': 'ch1',
    'x-goog-channel-token': 's3cret',
    'x-goog-resource-id': 'res1',
    'x-goog-resource-state': 'exists',
    'x-goog-message-number': '5',
    ...extra,
  });
  const lookup = (last: number | null) => (id: string): KnownGoogleChannel | null => (id === 'ch1' ? { channel, lastMessageNumber: last } : null);
  const now = new Date('2026-11-25T00:00:00Z');

  test('genuine change', () => assert.equal(verifyGoogleNotification(headers(), lookup(4), now).action, 'sync'));
  test('not_exists also syncs', () => assert.equal(verifyGoogleNotification(headers({ 'x-goog-resource-state': 'not_exists' }), lookup(null), now).action, 'sync'));
  test('missing token is rejected', () => {
    const h: Record<string, string> = headers();
    delete h['x-goog-channel-token'];
    assert.deepEqual(verifyGoogleNotification(h, lookup(null), now), { action: 'reject', status: 403, reason: 'token_mismatch' });
  });
  test('expired channel is ignored', () => {
    const v = verifyGoogleNotification(headers(), lookup(null), new Date('2026-12-02T00:00:00Z'));
    assert.equal(v.action === 'ignore' && v.reason, 'channel_expired');
  });
  test('unknown channel is acknowledged and ignored', () => {
    const v = verifyGoogleNotification(headers({ 'x-goog-channel-id': 'zzz' }), lookup(null), now);
    assert.equal(v.action === 'ignore' && v.reason, 'unknown_channel');
  });
  test('unknown resource state is rejected', () => {
    assert.equal(verifyGoogleNotification(headers({ 'x-goog-resource-state': 'not_found' }), lookup(null), now).action, 'reject');
  });
  test('non-numeric message number is malformed', () => {
    assert.deepEqual(verifyGoogleNotification(headers({ 'x-goog-message-number': 'x' }), lookup(null), now), { action: 'reject', status: 400, reason: 'missing_headers' });
  });
});
