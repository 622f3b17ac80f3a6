import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { S3BlobStore, blobKeys, createBlobStore, LocalBlobStore } from './index';

// s3rver ships no types; the part used here is tiny.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (opts: Record<string, unknown>) => { run(): Promise<AddressInfo>; close(): Promise<void> };

let server: InstanceType<typeof S3rver>;
let dir: string;
let store: S3BlobStore;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rapport-s3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: 'rapport-test' }] });
  const { port } = await server.run();
  const config = {
    STORAGE_DRIVER: 's3' as const,
    DATA_DIR: dir,
    S3_BUCKET: 'rapport-test',
    S3_REGION: 'us-east-1',
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: true,
  };
  const made = createBlobStore(config);
  assert.ok(made instanceof S3BlobStore, 'STORAGE_DRIVER=s3 picks the S3 store');
  store = made;
  assert.ok(createBlobStore({ ...config, STORAGE_DRIVER: 'local' }) instanceof LocalBlobStore);
});

after(async () => {
  store.client.destroy();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

test('S3 store: put, get, ranges, size, missing keys', async () => {
  const key = blobKeys.recording('u1', 'm1');
  const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
  await store.put(key, data);
  assert.deepEqual(await store.get(key), data);
  assert.deepEqual(await store.getRange(key, 1000, 1999), data.subarray(1000, 2000));
  assert.deepEqual(await store.getRange(key, 299_990, 400_000), data.subarray(299_990));
  assert.equal(await store.size(key), data.length);
  assert.equal(await store.get('users/nobody/x'), null);
  assert.equal(await store.getRange('users/nobody/x', 0, 10), null);
  assert.equal(await store.size('users/nobody/x'), null);
  await assert.rejects(store.put('../escape', Buffer.alloc(1)), /Invalid blob key/);
});

test('S3 store: list and delete by prefix only touch that prefix', async () => {
  for (const m of ['a', 'b', 'c']) await store.put(blobKeys.timeline('u2', m), Buffer.from(m));
  await store.put(blobKeys.timeline('u3', 'a'), Buffer.from('keep'));
  assert.deepEqual(await store.list(blobKeys.userPrefix('u2')), ['a', 'b', 'c'].map((m) => blobKeys.timeline('u2', m)));
  assert.equal(await store.deletePrefix(blobKeys.userPrefix('u2')), 3);
  assert.deepEqual(await store.list(blobKeys.userPrefix('u2')), []);
  assert.equal((await store.get(blobKeys.timeline('u3', 'a')))?.toString(), 'keep');
  await store.delete(blobKeys.timeline('u3', 'a'));
  assert.equal(await store.get(blobKeys.timeline('u3', 'a')), null);
});
