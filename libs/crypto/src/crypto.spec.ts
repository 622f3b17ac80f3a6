import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  DecryptionError,
  KeyUnavailableError,
  LocalKeyProvider,
  chunkSpan,
  decrypt,
  decryptChunked,
  decryptChunks,
  encrypt,
  encryptChunked,
  generateDataKey,
  readChunkedHeader,
  CHUNKED_HEADER_BYTES,
} from './index';

const spec = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('envelope encryption', () => {
  test('round-trips and hides the plaintext', () => {
    const key = generateDataKey();
    const blob = encrypt(key, 'Alice said: the merger closes Friday', 'transcript:m1');
    assert.ok(!blob.toString('latin1').includes('merger'));
    assert.equal(decrypt(key, blob, 'transcript:m1').toString(), 'Alice said: the merger closes Friday');
  });

  test('detects tampering, a wrong key and a moved ciphertext', () => {
    const key = generateDataKey();
    const blob = encrypt(key, 'secret', 'transcript:m1');
    const flipped = Buffer.from(blob);
    flipped[flipped.length - 1] ^= 1;
    assert.throws(() => decrypt(key, flipped, 'transcript:m1'), DecryptionError);
    assert.throws(() => decrypt(generateDataKey(), blob, 'transcript:m1'), DecryptionError);
    assert.throws(() => decrypt(key, blob, 'transcript:m2'), DecryptionError);
    assert.throws(() => decrypt(key, blob.subarray(0, 10), 'transcript:m1'), DecryptionError);
  });
});

describe('LocalKeyProvider', () => {
  test('wraps with the current key and unwraps after rotation while the old key is kept', async () => {
    const old = LocalKeyProvider.fromSpec(spec('k1'));
    const dek = generateDataKey();
    const wrapped = await old.wrap(dek);
    assert.equal(wrapped.masterKeyId, 'k1');
    assert.ok(!wrapped.wrapped.includes(dek));
    const oldSpec = spec('k1');
    const p1 = LocalKeyProvider.fromSpec(oldSpec);
    const w1 = await p1.wrap(dek);
    const rotated = LocalKeyProvider.fromSpec(`${spec('k2')},${oldSpec}`);
    assert.equal(rotated.currentKeyId, 'k2');
    assert.deepEqual(await rotated.unwrap(w1), dek);
    const w2 = await rotated.wrap(dek);
    assert.equal(w2.masterKeyId, 'k2');
    await assert.rejects(p1.unwrap(w2), KeyUnavailableError);
  });

  test('rejects malformed key specs with a clear message', () => {
    assert.throws(() => LocalKeyProvider.fromSpec('k1:c2hvcnQ='), /32 bytes/);
    assert.throws(() => LocalKeyProvider.fromSpec('nokey'), /id:base64key/);
    const s = spec('k1');
    assert.throws(() => LocalKeyProvider.fromSpec(`${s},${s}`), /twice/);
  });
});

describe('chunked encryption', () => {
  const key = generateDataKey();
  const plain = randomBytes(10_000);
  const blob = encryptChunked(key, plain, 'recording:m1', 1024);

  test('round-trips, including empty input', () => {
    assert.deepEqual(decryptChunked(key, blob, 'recording:m1'), plain);
    assert.deepEqual(decryptChunked(key, encryptChunked(key, Buffer.alloc(0), 'c'), 'c'), Buffer.alloc(0));
  });

  test('decrypts any byte range from only the chunks it touches', () => {
    const h = readChunkedHeader(blob.subarray(0, CHUNKED_HEADER_BYTES));
    for (const [from, to] of [[0, 0], [1000, 3000], [9000, 9999], [1023, 1024]] as const) {
      const span = chunkSpan(h, from, to);
      const chunks = decryptChunks(key, h, blob.subarray(span.start, span.end), span.first, 'recording:m1');
      const off = from - span.first * h.chunkSize;
      assert.deepEqual(chunks.subarray(off, off + (to - from + 1)), plain.subarray(from, to + 1));
    }
  });

  test('detects truncation, reordering and tampering', () => {
    assert.throws(() => decryptChunked(key, blob.subarray(0, blob.length - 1040), 'recording:m1'), DecryptionError);
    const swapped = Buffer.from(blob);
    const sealed = 1024 + 16;
    blob.copy(swapped, CHUNKED_HEADER_BYTES, CHUNKED_HEADER_BYTES + sealed, CHUNKED_HEADER_BYTES + 2 * sealed);
    blob.copy(swapped, CHUNKED_HEADER_BYTES + sealed, CHUNKED_HEADER_BYTES, CHUNKED_HEADER_BYTES + sealed);
    assert.throws(() => decryptChunked(key, swapped, 'recording:m1'), DecryptionError);
    const flipped = Buffer.from(blob);
    flipped[500] ^= 0xff;
    assert.throws(() => decryptChunked(key, flipped, 'recording:m1'), DecryptionError);
  });
});
