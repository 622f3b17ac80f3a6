import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KMSClient } from '@aws-sdk/client-kms';
import {
  AwsKmsKeyProvider,
  DataKeyService,
  KeyProviderError,
  LocalKeyProvider,
  createKeyProvider,
  encryptJson,
  decryptJson,
  startFakeKms,
  type FakeKms,
  type UserKeyStore,
  type WrappedKey,
} from './index';

/** user_keys in memory, with the compare-and-swap replace the database does. */
class MemoryKeyStore implements UserKeyStore {
  readonly rows = new Map<string, WrappedKey>();
  async find(userId: string) {
    return this.rows.get(userId) ?? null;
  }
  async listNotWrappedBy(current: string, limit: number) {
    return [...this.rows].filter(([, k]) => k.masterKeyId !== current).slice(0, limit).map(([userId, key]) => ({ userId, key }));
  }
  async replace(userId: string, from: WrappedKey, to: WrappedKey) {
    const now = this.rows.get(userId);
    if (!now || !now.wrapped.equals(from.wrapped)) return false;
    this.rows.set(userId, to);
    return true;
  }
}

describe('AWS KMS key provider against a local KMS speaking its wire format', () => {
  let kms: FakeKms;
  let client: KMSClient;
  let alias: string;

  before(async () => {
    kms = await startFakeKms();
    kms.createKey('alias/rapport');
    alias = 'alias/rapport';
    client = new KMSClient({ region: kms.region, endpoint: kms.url, credentials: { accessKeyId: 'AKIDRAPPORTTEST', secretAccessKey: 'test-secret' }, maxAttempts: 3 });
  });
  after(async () => {
    client.destroy();
    await kms.close();
  });

  test('data keys are wrapped by KMS (signed Encrypt/Decrypt), unwrap in memory, and open what they encrypted', async () => {
    const provider = new AwsKmsKeyProvider({ keyId: alias, region: kms.region, client });
    const store = new MemoryKeyStore();
    const keys = new DataKeyService(provider, store);
    const { plain, wrapped } = await keys.newKey();
    assert.equal(wrapped.masterKeyId, 'aws-kms:alias/rapport');
    assert.ok(!wrapped.wrapped.includes(plain), 'the stored form does not contain the key');
    store.rows.set('u1', wrapped);
    const sealed = encryptJson(plain, { secret: 'transcript' }, 'transcript:m1');
    assert.deepEqual(decryptJson(await keys.keyFor('u1'), sealed, 'transcript:m1'), { secret: 'transcript' });
    const ops = kms.calls.map((c) => c.operation);
    assert.deepEqual(ops, ['Encrypt', 'Decrypt']);
    for (const c of kms.calls) assert.match(c.authorization ?? '', /^AWS4-HMAC-SHA256 Credential=AKIDRAPPORTTEST\/\d{8}\/eu-west-1\/kms\/aws4_request/);
    assert.deepEqual(kms.calls.map((c) => c.keyId), [alias, alias]);
    // Read again within the cache period: no second KMS call.
    await keys.keyFor('u1');
    assert.equal(kms.calls.filter((c) => c.operation === 'Decrypt').length, 1);
  });

  test('throttling is retried by the SDK; a disabled key or a foreign ciphertext is a permanent error that says what to check', async () => {
    const provider = new AwsKmsKeyProvider({ keyId: alias, region: kms.region, client, cacheTtlMs: 0 });
    const wrapped = await provider.wrap(Buffer.alloc(32, 7));
    const before = kms.calls.length;
    kms.failNext('Decrypt', 'ThrottlingException');
    assert.deepEqual(await provider.unwrap(wrapped), Buffer.alloc(32, 7));
    assert.equal(kms.calls.length - before, 2, 'one throttled call, one retry');

    const other = kms.createKey();
    await assert.rejects(provider.unwrap({ masterKeyId: `aws-kms:${other.keyId}`, wrapped: wrapped.wrapped }), (e: unknown) => {
      assert.ok(e instanceof KeyProviderError);
      assert.deepEqual([e.code, e.transient], ['kms_incorrect_key', false]);
      assert.match(e.message, /AWS_KMS_KEY_ID/);
      return true;
    });
    const tampered = Buffer.from(wrapped.wrapped);
    tampered[tampered.length - 1]! ^= 1;
    await assert.rejects(provider.unwrap({ ...wrapped, wrapped: tampered }), (e: unknown) => e instanceof KeyProviderError && e.code === 'kms_invalid_ciphertext' && !e.transient);

    const doomed = kms.createKey('alias/doomed');
    const p2 = new AwsKmsKeyProvider({ keyId: 'alias/doomed', region: kms.region, client, cacheTtlMs: 0 });
    const w2 = await p2.wrap(Buffer.alloc(32, 1));
    kms.disable(doomed.keyId);
    await assert.rejects(p2.unwrap(w2), (e: unknown) => e instanceof KeyProviderError && e.code === 'kms_disabled' && !e.transient);
    await assert.rejects(p2.wrap(Buffer.alloc(32, 1)), (e: unknown) => e instanceof KeyProviderError && e.code === 'kms_disabled');
  });

  test('KMS out of reach is transient', async () => {
    const down = new KMSClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'AKID', secretAccessKey: 's' }, maxAttempts: 1 });
    const provider = new AwsKmsKeyProvider({ keyId: alias, region: 'eu-west-1', client: down });
    await assert.rejects(provider.wrap(Buffer.alloc(32)), (e: unknown) => e instanceof KeyProviderError && e.code === 'kms_unreachable' && e.transient);
    down.destroy();
  });

  test('moving from MASTER_KEYS to KMS: old keys still open, rotate-master re-wraps them all under KMS', async () => {
    const masterKeys = `k1:${Buffer.alloc(32, 3).toString('base64')}`;
    const store = new MemoryKeyStore();
    const local = new DataKeyService(LocalKeyProvider.fromSpec(masterKeys), store);
    const before = await local.newKey();
    store.rows.set('old-user', before.wrapped);

    // Configured as operators would: the default credential chain reads the environment.
    process.env.AWS_ACCESS_KEY_ID = 'AKIDFROMENV';
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret';
    const provider = createKeyProvider({ KEY_PROVIDER: 'aws-kms', MASTER_KEYS: masterKeys, AWS_KMS_KEY_ID: alias, AWS_KMS_REGION: kms.region, AWS_KMS_ENDPOINT: kms.url });
    const keys = new DataKeyService(provider, store);
    assert.deepEqual(await keys.keyFor('old-user'), before.plain, 'unwrapped by the legacy local key');
    assert.deepEqual(await keys.rotateMaster(), { rewrapped: 1 });
    assert.equal(store.rows.get('old-user')!.masterKeyId, 'aws-kms:alias/rapport');
    assert.match(kms.calls.at(-1)!.authorization ?? '', /Credential=AKIDFROMENV\//);
    // Without MASTER_KEYS now, the data still opens.
    const kmsOnly = new DataKeyService(createKeyProvider({ KEY_PROVIDER: 'aws-kms', MASTER_KEYS: '', AWS_KMS_KEY_ID: alias, AWS_KMS_REGION: kms.region, AWS_KMS_ENDPOINT: kms.url }), store);
    assert.deepEqual(await kmsOnly.keyFor('old-user'), before.plain);
    assert.deepEqual(await kmsOnly.rotateMaster(), { rewrapped: 0 }, 'nothing left to move');
  });
});
