import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with a per-user data key. Format: version(1) | iv(12) | tag(16) | ciphertext.
 * `context` is bound as additional authenticated data, so a ciphertext moved to another row
 * or user (e.g. "transcript:<meetingId>") fails to decrypt instead of being misattributed.
 */
const VERSION = 1;
const HEADER = 1 + 12 + 16;

export class DecryptionError extends Error {
  constructor(message = 'Ciphertext failed authentication (tampered, truncated or wrong key/context)') {
    super(message);
    this.name = 'DecryptionError';
  }
}

export function generateDataKey(): Buffer {
  return randomBytes(32);
}

export function encrypt(dataKey: Buffer, plaintext: Buffer | string, context: string): Buffer {
  assertKey(dataKey);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([
    cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext),
    cipher.final(),
  ]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

export function decrypt(dataKey: Buffer, blob: Buffer, context: string): Buffer {
  assertKey(dataKey);
  if (blob.length < HEADER || blob[0] !== VERSION) throw new DecryptionError('Not a Rapport ciphertext');
  const decipher = createDecipheriv('aes-256-gcm', dataKey, blob.subarray(1, 13));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(blob.subarray(13, HEADER));
  try {
    return Buffer.concat([decipher.update(blob.subarray(HEADER)), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

export function encryptJson(dataKey: Buffer, value: unknown, context: string): Buffer {
  return encrypt(dataKey, JSON.stringify(value), context);
}

export function decryptJson<T>(dataKey: Buffer, blob: Buffer, context: string): T {
  return JSON.parse(decrypt(dataKey, blob, context).toString('utf8')) as T;
}

function assertKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('AES-256 data keys are 32 bytes');
}
