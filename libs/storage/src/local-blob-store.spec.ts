import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBlobStore, blobKeys } from './index';

test('stores, reads ranges, lists and deletes by prefix', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rapport-blobs-'));
  const store = new LocalBlobStore(dir);
  const key = blobKeys.recording('u1', 'm1');
  await store.put(key, Buffer.from('0123456789'));
  await store.put(blobKeys.recording('u2', 'm2'), Buffer.from('other'));
  assert.equal((await store.get(key))?.toString(), '0123456789');
  assert.equal((await store.getRange(key, 2, 5))?.toString(), '2345');
  assert.equal(await store.size(key), 10);
  assert.deepEqual(await store.list('users/u1/'), [key]);
  assert.equal(await store.deletePrefix(blobKeys.userPrefix('u1')), 1);
  assert.equal(await store.get(key), null);
  assert.deepEqual(await readdir(join(dir, 'blobs', 'users')), ['u2']);
});

test('rejects keys that escape the root', async () => {
  const store = new LocalBlobStore(await mkdtemp(join(tmpdir(), 'rapport-blobs-')));
  await assert.rejects(store.put('../etc/passwd', Buffer.alloc(1)), /Invalid blob key/);
  await assert.rejects(store.put('users//x', Buffer.alloc(1)), /Invalid blob key/);
});
