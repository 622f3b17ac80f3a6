import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@rapport/common';
import { registerAndLogin, startApi, type ApiHarness } from './api-harness';

interface Operation {
  method: string;
  path: string;
}

/** Every operation the committed OpenAPI document lists (it is drift-checked elsewhere). */
function operations(): Operation[] {
  const doc = JSON.parse(readFileSync(join(repoRoot(), 'docs', 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of Object.keys(methods)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) ops.push({ method: method.toUpperCase(), path });
    }
  }
  return ops;
}

const BODIES: Array<{ name: string; raw: string }> = [
  { name: 'malformed JSON', raw: '{"a": ' },
  { name: 'an array', raw: '[1, 2, 3]' },
  { name: 'null', raw: 'null' },
  { name: 'wrong types', raw: JSON.stringify({ meetingUrl: 42, email: ['x'], password: {}, name: null, role: 7, retentionDays: 'soon', status: 12, override: 'maybe', refreshToken: 1 }) },
  { name: 'unknown fields', raw: JSON.stringify({ surprise: true, __proto__: { admin: true } }) },
];

/**
 * Bad input never makes the API fail: every documented endpoint, called with malformed ids
 * and bodies (as a signed-in user with no data, and anonymously), answers 4xx with a code
 * and a message — never 5xx.
 */
describe('bad input on every documented endpoint', () => {
  let api: ApiHarness;
  let token: string;
  before(async () => {
    api = await startApi();
    token = (await registerAndLogin(api, 'fuzz@example.com')).accessToken;
  });
  after(() => api.close());

  test('no 5xx for malformed ids and bodies, signed in or not', async () => {
    const ops = operations();
    assert.ok(ops.length > 30, `only ${ops.length} operations in docs/openapi.json`);
    const failures: string[] = [];
    for (const op of ops) {
      // DELETE /me would end the session the rest of the loop uses.
      if (op.method === 'DELETE' && op.path === '/api/v1/me') continue;
      for (const id of ['not-a-uuid', randomUUID(), '%00', '1 OR 1=1']) {
        const path = op.path.replace(/\{[^}]+\}/g, encodeURIComponent(id));
        const bodies = op.method === 'GET' || op.method === 'DELETE' ? [undefined] : BODIES;
        for (const body of bodies) {
          for (const auth of [token, undefined]) {
            const res = await api.request(op.method, `${path}${op.method === 'GET' ? '?limit=abc&cursor=%%%&weeks=-1' : ''}`, {
              ...(auth ? { token: auth } : {}),
              ...(body ? { rawBody: body.raw } : {}),
            });
            const where = `${op.method} ${path} ${body?.name ?? ''} ${auth ? 'signed in' : 'anonymous'}`;
            if (res.status >= 500) failures.push(`${where} → ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
            else if (res.status >= 400 && (typeof res.body !== 'object' || res.body === null || !('message' in res.body) || !('code' in res.body))) {
              failures.push(`${where} → ${res.status} without {code, message}: ${String(JSON.stringify(res.body)).slice(0, 120)}`);
            }
          }
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  test('GraphQL: malformed queries and variables are client errors', async () => {
    for (const body of ['{"query": ', JSON.stringify({ query: '{ nope }' }), JSON.stringify({ query: 'query($id: ID!) { meeting(id: $id) { id } }', variables: { id: 'not-a-uuid' } })]) {
      const res = await api.request('POST', '/graphql', { token, rawBody: body });
      assert.ok(res.status < 500, `${body} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
  });
});
