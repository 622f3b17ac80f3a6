import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@rapport/common';
import { registerAndLogin, startApi, type ApiHarness } from './api-harness';

describe('HTTP contract: bad input, operations endpoints, roles', () => {
  let api: ApiHarness;
  before(async () => {
    api = await startApi();
  });
  after(() => api.close());

  test('malformed JSON → 400, oversized body → 413, wrong types/unknown fields → 400, never 500', async () => {
    const malformed = await api.request('POST', '/api/v1/auth/register', { rawBody: '{"email": "a@b.c", ' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.code, 'malformed_json');
    const big = await api.request('POST', '/api/v1/auth/register', { rawBody: JSON.stringify({ email: 'x@y.z', password: 'p'.repeat(1_100_000) }) });
    assert.equal(big.status, 413);
    assert.equal(big.body.code, 'payload_too_large');
    const types = await api.request('POST', '/api/v1/auth/login', { body: { email: 42, password: ['x'] } });
    assert.equal(types.status, 400);
    assert.ok(types.body.details.fields.email && types.body.details.fields.password);
    const arr = await api.request('POST', '/api/v1/auth/login', { rawBody: '[1,2,3]' });
    assert.equal(arr.status, 400);
    const nul = await api.request('POST', '/api/v1/auth/refresh', { rawBody: 'null' });
    assert.equal(nul.status, 400);
    const u = await registerAndLogin(api, 'input@example.com');
    const unknownField = await api.request('PATCH', '/api/v1/me', { token: u.accessToken, body: { role: 'admin' } });
    assert.equal(unknownField.status, 400);
    assert.match(unknownField.body.message, /role/);
    const badUuid = await api.request('GET', '/api/v1/teams/not-a-uuid/members', { token: u.accessToken });
    assert.equal(badUuid.status, 400);
    assert.equal((await api.request('GET', '/api/v1/nope', { token: u.accessToken })).status, 404);
  });

  test('changing password needs the current one and ends other sessions', async () => {
    const u = await registerAndLogin(api, 'pw@example.com');
    assert.equal((await api.request('PATCH', '/api/v1/me', { token: u.accessToken, body: { newPassword: 'brand new password' } })).status, 403);
    const ok = await api.request('PATCH', '/api/v1/me', { token: u.accessToken, body: { newPassword: 'brand new password', currentPassword: 'correct horse battery' } });
    assert.equal(ok.status, 200);
    assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: u.refreshToken } })).status, 401);
    assert.equal((await api.request('POST', '/api/v1/auth/login', { body: { email: 'pw@example.com', password: 'brand new password' } })).status, 200);
  });

  test('/health reports DB and Redis; /metrics speaks Prometheus; X-Request-Id is echoed', async () => {
    const h = await api.request('GET', '/health', { headers: { 'x-request-id': 'req-abc-123' } });
    assert.equal(h.status, 200);
    assert.deepEqual(h.body, { status: 'ok', db: 'up', redis: 'up' });
    assert.equal(h.headers.get('x-request-id'), 'req-abc-123');
    const m = await fetch(`${api.baseUrl}/metrics`);
    const text = await m.text();
    assert.match(text, /rapport_http_request_duration_seconds_bucket/);
    assert.match(text, /process_cpu_user_seconds_total/);
  });

  test('the OpenAPI document is served and the committed copy has not drifted', async () => {
    const doc = await api.request('GET', '/api/docs-json');
    assert.equal(doc.status, 200);
    assert.ok(doc.body.paths['/api/v1/auth/login']);
    const committed = JSON.parse(readFileSync(join(repoRoot(), 'docs', 'openapi.json'), 'utf8'));
    assert.deepEqual(committed, doc.body, 'docs/openapi.json is stale: run `npm run build && npm run openapi`');
  });

  test('admins manage teams; leads list their team; members and strangers are refused', async () => {
    const admin = await registerAndLogin(api, 'admin@example.com');
    const { DataSource } = await import('typeorm');
    const ds = new DataSource({ type: 'postgres', url: api.databaseUrl });
    await ds.initialize();
    await ds.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [admin.id]);
    await ds.destroy();
    const lead = await registerAndLogin(api, 'lead@example.com');
    const member = await registerAndLogin(api, 'member@example.com');
    const stranger = await registerAndLogin(api, 'stranger@example.com');

    assert.equal((await api.request('POST', '/api/v1/teams', { token: member.accessToken, body: { name: 'Sales' } })).status, 403);
    const team = await api.request('POST', '/api/v1/teams', { token: admin.accessToken, body: { name: 'Sales' } });
    assert.equal(team.status, 201);
    assert.equal((await api.request('POST', '/api/v1/teams', { token: admin.accessToken, body: { name: 'sales' } })).status, 409);
    const tid = team.body.id;
    assert.equal((await api.request('POST', `/api/v1/teams/${tid}/members`, { token: admin.accessToken, body: { email: 'lead@example.com', role: 'lead' } })).status, 201);
    await api.request('POST', `/api/v1/teams/${tid}/members`, { token: admin.accessToken, body: { email: 'member@example.com' } });
    assert.equal((await api.request('POST', `/api/v1/teams/${tid}/members`, { token: admin.accessToken, body: { email: 'ghost@example.com' } })).status, 404);

    const asLead = await api.request('GET', `/api/v1/teams/${tid}/members`, { token: lead.accessToken });
    assert.equal(asLead.status, 200);
    assert.deepEqual(asLead.body.map((m: { email: string }) => m.email).sort(), ['lead@example.com', 'member@example.com']);
    assert.deepEqual(Object.keys(asLead.body[0]).sort(), ['displayName', 'email', 'joinedAt', 'role', 'userId']);
    assert.equal((await api.request('GET', '/api/v1/me', { token: lead.accessToken })).body.role, 'team_lead');
    assert.equal((await api.request('GET', `/api/v1/teams/${tid}/members`, { token: member.accessToken })).status, 403);
    assert.equal((await api.request('GET', `/api/v1/teams/${tid}/members`, { token: stranger.accessToken })).status, 403);
    assert.deepEqual((await api.request('GET', '/api/v1/teams', { token: stranger.accessToken })).body, []);
    assert.equal((await api.request('PATCH', `/api/v1/users/${member.id}/role`, { token: lead.accessToken, body: { role: 'admin' } })).status, 403);
    assert.equal((await api.request('PATCH', `/api/v1/users/${member.id}/role`, { token: admin.accessToken, body: { role: 'superuser' } })).status, 400);
    assert.equal((await api.request('PATCH', `/api/v1/users/${admin.id}/role`, { token: admin.accessToken, body: { role: 'individual' } })).status, 400);
  });
});
