import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@rapport/common';
import { ConfigError, loadConfig, renderEnvExample } from './load-config';

const valid = {
  JWT_SECRET: 'x'.repeat(40),
  MASTER_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
};

test('applies defaults and coerces numbers', () => {
  const c = loadConfig(valid);
  assert.equal(c.PORT, 3000);
  assert.equal(c.JWT_ACCESS_TTL_SEC, 900);
  assert.equal(c.REFRESH_TTL_DAYS, 30);
  assert.equal(loadConfig({ ...valid, PORT: '4123' }).PORT, 4123);
});

test('reports every bad or missing variable with its description', () => {
  assert.throws(
    () => loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      const names = err.problems.map((p) => p.split(':')[0]);
      assert.deepEqual(names.sort(), ['DATABASE_URL', 'JWT_SECRET', 'MASTER_KEYS', 'PORT']);
      assert.match(err.message, /JWT_SECRET: missing .*HMAC key/);
      return true;
    },
  );
});

test('the variables of a key provider are required only with it', () => {
  assert.throws(() => loadConfig({ JWT_SECRET: 'x'.repeat(40) }), (e: unknown) => e instanceof ConfigError && /MASTER_KEYS: missing \(required with KEY_PROVIDER=local\)/.test(e.message));
  assert.throws(
    () => loadConfig({ JWT_SECRET: 'x'.repeat(40), KEY_PROVIDER: 'aws-kms' }),
    (e: unknown) => e instanceof ConfigError && e.problems.length === 1 && /AWS_KMS_KEY_ID: missing \(required with KEY_PROVIDER=aws-kms\)/.test(e.message),
  );
  const kms = loadConfig({ JWT_SECRET: 'x'.repeat(40), KEY_PROVIDER: 'aws-kms', AWS_KMS_KEY_ID: 'alias/rapport' });
  assert.deepEqual([kms.KEY_PROVIDER, kms.MASTER_KEYS, kms.AWS_KMS_REGION], ['aws-kms', '', 'us-east-1']);
  assert.throws(() => loadConfig({ ...valid, KEY_PROVIDER: 'vault' }), ConfigError);
});

test('refuses the example secret in production', () => {
  assert.throws(
    () => loadConfig({ ...valid, NODE_ENV: 'production', JWT_SECRET: 'change-me-' + 'x'.repeat(40) }),
    ConfigError,
  );
});

test('.env.example is generated from the schema and committed up to date', () => {
  const committed = readFileSync(join(repoRoot(), '.env.example'), 'utf8');
  assert.equal(committed, renderEnvExample());
});
