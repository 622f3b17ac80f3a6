import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptionError } from './envelope';

/**
 * Chunked AES-256-GCM for large blobs (recordings): the plaintext is cut into fixed-size
 * chunks, each sealed with its own tag and a nonce derived from a random prefix and the
 * chunk index, with the index and a last-chunk flag in the AAD (the STREAM construction),
 * so chunks cannot be reordered, dropped or truncated unnoticed. Fixed chunk sizes give
 * random access: an HTTP range request decrypts only the chunks it touches.
 *
 * Layout: magic "RPC1" | chunkSize u32 | plainLength u64 | noncePrefix(8) | chunks, each
 * ciphertext(chunkSize or less) | tag(16).
 */
const MAGIC = Buffer.from('RPC1');
export const CHUNKED_HEADER_BYTES = 4 + 4 + 8 + 8;
const TAG = 16;
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

export interface ChunkedHeader {
  chunkSize: number;
  plainLength: number;
  noncePrefix: Buffer;
}

function nonce(prefix: Buffer, index: number): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(index, 8);
  return n;
}

function aad(context: string, index: number, last: boolean): Buffer {
  return Buffer.from(`${context}|${index}|${last ? 1 : 0}`);
}

export function encryptChunked(
  dataKey: Buffer,
  plaintext: Buffer,
  context: string,
  chunkSize = DEFAULT_CHUNK_SIZE,
): Buffer {
  const prefix = randomBytes(8);
  const header = Buffer.alloc(CHUNKED_HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(chunkSize, 4);
  header.writeBigUInt64BE(BigInt(plaintext.length), 8);
  prefix.copy(header, 16);
  const parts: Buffer[] = [header];
  const count = Math.max(1, Math.ceil(plaintext.length / chunkSize));
  for (let i = 0; i < count; i++) {
    const chunk = plaintext.subarray(i * chunkSize, (i + 1) * chunkSize);
    const cipher = createCipheriv('aes-256-gcm', dataKey, nonce(prefix, i));
    cipher.setAAD(aad(context, i, i === count - 1));
    parts.push(cipher.update(chunk), cipher.final(), cipher.getAuthTag());
  }
  return Buffer.concat(parts);
}

export function readChunkedHeader(head: Buffer): ChunkedHeader {
  if (head.length < CHUNKED_HEADER_BYTES || !head.subarray(0, 4).equals(MAGIC)) {
    throw new DecryptionError('Not a chunked Rapport ciphertext');
  }
  return {
    chunkSize: head.readUInt32BE(4),
    plainLength: Number(head.readBigUInt64BE(8)),
    noncePrefix: Buffer.from(head.subarray(16, 24)),
  };
}

/** Byte range [start, end) of the sealed chunks covering plaintext bytes [from, to]. */
export function chunkSpan(h: ChunkedHeader, from: number, to: number): { first: number; last: number; start: number; end: number } {
  const first = Math.floor(from / h.chunkSize);
  const last = Math.floor(to / h.chunkSize);
  const sealed = h.chunkSize + TAG;
  const count = Math.max(1, Math.ceil(h.plainLength / h.chunkSize));
  const lastChunkPlain = h.plainLength - (count - 1) * h.chunkSize;
  const end = CHUNKED_HEADER_BYTES + last * sealed + (last === count - 1 ? lastChunkPlain + TAG : sealed);
  return { first, last, start: CHUNKED_HEADER_BYTES + first * sealed, end };
}

/** Decrypts consecutive sealed chunks starting at chunk `first`. */
export function decryptChunks(dataKey: Buffer, h: ChunkedHeader, sealed: Buffer, first: number, context: string): Buffer {
  const count = Math.max(1, Math.ceil(h.plainLength / h.chunkSize));
  const out: Buffer[] = [];
  let offset = 0;
  for (let i = first; offset < sealed.length; i++) {
    if (i >= count) throw new DecryptionError('Ciphertext has trailing data');
    const plainLen = i === count - 1 ? h.plainLength - i * h.chunkSize : h.chunkSize;
    const body = sealed.subarray(offset, offset + plainLen);
    const tag = sealed.subarray(offset + plainLen, offset + plainLen + TAG);
    if (tag.length !== TAG) throw new DecryptionError('Ciphertext is truncated');
    const decipher = createDecipheriv('aes-256-gcm', dataKey, nonce(h.noncePrefix, i));
    decipher.setAAD(aad(context, i, i === count - 1));
    decipher.setAuthTag(tag);
    try {
      out.push(decipher.update(body), decipher.final());
    } catch {
      throw new DecryptionError();
    }
    offset += plainLen + TAG;
  }
  return Buffer.concat(out);
}

export function decryptChunked(dataKey: Buffer, blob: Buffer, context: string): Buffer {
  const h = readChunkedHeader(blob);
  const plain = decryptChunks(dataKey, h, blob.subarray(CHUNKED_HEADER_BYTES), 0, context);
  if (plain.length !== h.plainLength) throw new DecryptionError('Ciphertext is truncated');
  return plain;
}
