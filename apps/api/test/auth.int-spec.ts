import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { registerAndLogin, startApi, type ApiHarness } from './api-harness';

describe('auth contract', () => {
  let api: ApiHarness;
  before(async () => {
    api = await startApi({ LOGIN_MAX_PER_EMAIL_PER_15MIN: '5', LOGIN_MAX_PER_IP_PER_MIN: '1000' });
  });
  after(() => api.close());

  test('register → 201, duplicate (any case) → 409, weak/invalid input → 400 with field messages', async () => {
    const r = await api.request('POST', '/api/v1/auth/register', { body: { email: 'Ada@Example.com', password: 'long enough pw' } });
    assert.equal(r.status, 201);
    assert.equal(r.body.email, 'ada@example.com');
    assert.equal(r.body.role, 'individual');
    assert.equal(r.body.password_hash, undefined);
    const dup = await api.request('POST', '/api/v1/auth/register', { body: { email: 'ADA@example.com', password: 'another long pw' } });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.code, 'email_taken');
    const bad = await api.request('POST', '/api/v1/auth/register', { body: { email: 'nope', password: 'short', admin: true } });
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(bad.body.details.fields).sort(), ['admin', 'email', 'password']);
    assert.ok(bad.body.requestId);
  });

  test('login returns a 15-minute HS256 access JWT with sub, role, jti and an opaque refresh token', async () => {
    const t = await registerAndLogin(api, 'grace@example.com');
    assert.equal(t.expiresIn, 900);
    const decoded = jwt.decode(t.accessToken, { complete: true })!;
    assert.equal(decoded.header.alg, 'HS256');
    const p = decoded.payload as jwt.JwtPayload;
    assert.equal(p.sub, t.id);
    assert.equal(p.role, 'individual');
    assert.ok(p.jti);
    assert.equal(p.exp! - p.iat!, 900);
    assert.match(t.refreshToken, /^rt_[A-Za-z0-9_-]{40,}$/);
    const me = await api.request('GET', '/api/v1/me', { token: t.accessToken });
    assert.equal(me.status, 200);
    assert.equal(me.body.email, 'grace@example.com');
    assert.equal(me.body.retentionDays, 90);
  });

  test('unknown email and wrong password get the same answer', async () => {
    await registerAndLogin(api, 'linus@example.com');
    const wrong = await api.request('POST', '/api/v1/auth/login', { body: { email: 'linus@example.com', password: 'wrong password!' } });
    const unknown = await api.request('POST', '/api/v1/auth/login', { body: { email: 'nobody@example.com', password: 'wrong password!' } });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.code, unknown.body.code);
    assert.equal(wrong.body.message, unknown.body.message);
  });

  test('forged signatures, alg none and expired tokens are rejected', async () => {
    const t = await registerAndLogin(api, 'eve@example.com');
    const payload = jwt.decode(t.accessToken) as jwt.JwtPayload;
    const forged = jwt.sign({ role: 'admin' }, 'not-the-secret-not-the-secret-not', { algorithm: 'HS256', subject: payload.sub, jwtid: 'x', issuer: 'rapport', audience: 'rapport-api', expiresIn: 900 });
    const none = jwt.sign({ role: 'admin', sub: payload.sub, jti: 'y', iss: 'rapport', aud: 'rapport-api', exp: Math.floor(Date.now() / 1000) + 900 }, '', { algorithm: 'none' });
    const expired = jwt.sign({ role: 'individual' }, api.config.JWT_SECRET, { algorithm: 'HS256', subject: payload.sub, jwtid: 'z', issuer: 'rapport', audience: 'rapport-api', expiresIn: -10 });
    const [h, , s] = t.accessToken.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url')}.${s}`;
    for (const token of [forged, none, expired, tampered, 'garbage']) {
      const r = await api.request('GET', '/api/v1/me', { token });
      assert.equal(r.status, 401, `token ${token.slice(0, 20)} should be refused`);
    }
    assert.equal((await api.request('GET', '/api/v1/me')).status, 401);
  });

  test('refresh rotates; replaying a rotated token revokes the whole family', async () => {
    const t = await registerAndLogin(api, 'rot@example.com');
    const r1 = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: t.refreshToken } });
    assert.equal(r1.status, 200);
    assert.notEqual(r1.body.refreshToken, t.refreshToken);
    const r2 = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: r1.body.refreshToken } });
    assert.equal(r2.status, 200);
    // The thief replays the first token: refused, and the legitimate newest token dies too.
    const replay = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: t.refreshToken } });
    assert.equal(replay.status, 401);
    const newest = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: r2.body.refreshToken } });
    assert.equal(newest.status, 401);
    // Another login (another family) is unaffected.
    const other = await api.request('POST', '/api/v1/auth/login', { body: { email: 'rot@example.com', password: 'correct horse battery' } });
    assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: other.body.refreshToken } })).status, 200);
    assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: 'rt_doesnotexistdoesnotexist' } })).status, 401);
  });

  test('concurrent use of one refresh token lets at most one succeed', async () => {
    const t = await registerAndLogin(api, 'race@example.com');
    const results = await Promise.all([1, 2, 3].map(() => api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: t.refreshToken } })));
    assert.ok(results.filter((r) => r.status === 200).length <= 1);
  });

  test('logout invalidates the access token at once and the refresh family', async () => {
    const t = await registerAndLogin(api, 'bye@example.com');
    const rotated = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: t.refreshToken } });
    const out = await api.request('POST', '/api/v1/auth/logout', { token: rotated.body.accessToken, body: { refreshToken: rotated.body.refreshToken } });
    assert.equal(out.status, 204);
    assert.equal((await api.request('GET', '/api/v1/me', { token: rotated.body.accessToken })).status, 401);
    assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } })).status, 401);
    // The jti sits on the Redis deny-list with a TTL no longer than the token's life.
    const jti = (jwt.decode(rotated.body.accessToken) as jwt.JwtPayload).jti;
    const { default: Redis } = await import('ioredis');
    const redis = new Redis(api.config.REDIS_URL);
    const ttl = await redis.ttl(`${api.config.REDIS_PREFIX}:denied-jti:${jti}`);
    await redis.quit();
    assert.ok(ttl > 0 && ttl <= 900, `ttl ${ttl}`);
  });

  test('browser sessions: the refresh token lives in an HttpOnly, SameSite=Strict cookie, rotates, and logout clears it', async () => {
    const COOKIE_MODE = { 'x-rapport-session': 'cookie' };
    await api.request('POST', '/api/v1/auth/register', { body: { email: 'browser@example.com', password: 'correct horse battery' } });
    const login = await api.request('POST', '/api/v1/auth/login', { body: { email: 'browser@example.com', password: 'correct horse battery' }, headers: COOKIE_MODE });
    assert.equal(login.status, 200);
    assert.ok(login.body.accessToken);
    assert.equal(login.body.refreshToken, undefined, 'not readable by page scripts');
    const setCookie = login.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^rapport_refresh=[^;]{20,};/);
    for (const attr of [/; Path=\/api\/v1\/auth/, /; HttpOnly/, /; SameSite=Strict/, /; Max-Age=2592000/]) assert.match(setCookie, attr);
    const first = setCookie.split(';')[0]!;

    // The cookie alone is not enough: without the header (a cross-site form cannot add it) it is ignored.
    const noHeader = await api.request('POST', '/api/v1/auth/refresh', { body: {}, headers: { cookie: first } });
    assert.equal(noHeader.status, 400);
    assert.equal(noHeader.body.code, 'refresh_token_required');

    const rotated = await api.request('POST', '/api/v1/auth/refresh', { body: {}, headers: { ...COOKIE_MODE, cookie: first } });
    assert.equal(rotated.status, 200);
    assert.equal(rotated.body.refreshToken, undefined);
    const second = (rotated.headers.get('set-cookie') ?? '').split(';')[0]!;
    assert.match(second, /^rapport_refresh=/);
    assert.notEqual(second, first, 'rotated');

    // Logout with the cookie revokes its family and clears it.
    const out = await api.request('POST', '/api/v1/auth/logout', { token: rotated.body.accessToken, body: {}, headers: { ...COOKIE_MODE, cookie: second } });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /^rapport_refresh=; Path=\/api\/v1\/auth; Expires=Thu, 01 Jan 1970/);
    assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: {}, headers: { ...COOKIE_MODE, cookie: second } })).status, 401);
    assert.equal((await api.request('GET', '/api/v1/me', { token: rotated.body.accessToken })).status, 401);

    // A replayed cookie revokes the family, as in the body flow.
    const again = await api.request('POST', '/api/v1/auth/login', { body: { email: 'browser@example.com', password: 'correct horse battery' }, headers: COOKIE_MODE });
    const a = (again.headers.get('set-cookie') ?? '').split(';')[0]!;
    const b = (await api.request('POST', '/api/v1/auth/refresh', { body: {}, headers: { ...COOKIE_MODE, cookie: a } })).headers.get('set-cookie')!.split(';')[0]!;
    assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: {}, headers: { ...COOKIE_MODE, cookie: a } })).status, 401);
    assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: {}, headers: { ...COOKIE_MODE, cookie: b } })).status, 401, 'family revoked');
    // A garbled cookie is a clean 4xx.
    assert.equal((await api.request('POST', '/api/v1/auth/refresh', { body: {}, headers: { ...COOKIE_MODE, cookie: 'rapport_refresh=%E0%A4%A' } })).status, 400);
  });

  test('login is rate-limited per email with 429 and Retry-After', async () => {
    await registerAndLogin(api, 'brute@example.com');
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 7; i++) {
      last = await api.request('POST', '/api/v1/auth/login', { body: { email: 'brute@example.com', password: `guess number ${i}` } });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses.slice(0, 4), [401, 401, 401, 401]);
    assert.equal(statuses[6], 429);
    assert.ok(Number(last!.headers.get('retry-after')) > 0);
    assert.equal(last!.body.code, 'too_many_login_attempts');
  });
});

describe('login rate limit per IP', () => {
  let api: ApiHarness;
  before(async () => {
    api = await startApi({ LOGIN_MAX_PER_IP_PER_MIN: '3' });
  });
  after(() => api.close());

  test('a fourth attempt from one IP within a minute → 429, whatever the email', async () => {
    const codes = [];
    for (const e of ['a@x.io', 'b@x.io', 'c@x.io', 'd@x.io']) {
      codes.push((await api.request('POST', '/api/v1/auth/login', { body: { email: e, password: 'whatever pw' } })).status);
    }
    assert.deepEqual(codes, [401, 401, 401, 429]);
  });
});
