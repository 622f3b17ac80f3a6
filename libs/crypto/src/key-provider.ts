import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A data key wrapped (encrypted) by a master key, as stored in `user_keys`. */
export interface WrappedKey {
  /** Which master key wrapped it, so rotation can tell old from new. */
  masterKeyId: string;
  wrapped: Buffer;
}

/**
 * Wraps and unwraps per-user data keys. The local provider keeps master keys in config;
 * a KMS adapter (AWS KMS, GCP KMS, Vault transit) implements the same interface.
 */
export interface KeyProvider {
  readonly currentKeyId: string;
  wrap(dataKey: Buffer): Promise<WrappedKey>;
  unwrap(key: WrappedKey): Promise<Buffer>;
}

export class KeyUnavailableError extends Error {
  constructor(masterKeyId: string) {
    super(
      `Master key "${masterKeyId}" is not configured; add it to MASTER_KEYS (kept after rotation until \`rapport keys rotate-master\` finishes).`,
    );
    this.name = 'KeyUnavailableError';
  }
}

/**
 * A key service (KMS) refused or failed to wrap or unwrap. `transient` ones (throttling, the
 * service's own errors, the network) are worth retrying; the others (access denied, key
 * disabled or unknown, ciphertext not from this key) need an operator.
 */
export class KeyProviderError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'KeyProviderError';
  }
}

const WRAP_VERSION = 1;

/** Parses `MASTER_KEYS` ("id:base64,id:base64"); the first entry is the current key. */
export function parseMasterKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const idx = part.indexOf(':');
    if (idx <= 0) throw new Error(`MASTER_KEYS entry "${part.slice(0, 8)}…" must look like id:base64key`);
    const id = part.slice(0, idx);
    const key = Buffer.from(part.slice(idx + 1), 'base64');
    if (key.length !== 32) {
      throw new Error(`MASTER_KEYS entry "${id}" must be 32 bytes base64-encoded (openssl rand -base64 32)`);
    }
    if (keys.has(id)) throw new Error(`MASTER_KEYS has key id "${id}" twice`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new Error('MASTER_KEYS holds no key');
  return keys;
}

/** AES-256-GCM key wrapping with master keys held in process memory (from config). */
export class LocalKeyProvider implements KeyProvider {
  readonly currentKeyId: string;

  constructor(private readonly keys: Map<string, Buffer>) {
    const first = keys.keys().next();
    if (first.done) throw new Error('LocalKeyProvider needs at least one master key');
    this.currentKeyId = first.value;
  }

  static fromSpec(spec: string): LocalKeyProvider {
    return new LocalKeyProvider(parseMasterKeys(spec));
  }

  async wrap(dataKey: Buffer): Promise<WrappedKey> {
    const master = this.keys.get(this.currentKeyId)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', master, iv);
    cipher.setAAD(Buffer.from(`rapport-dek:${this.currentKeyId}`));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return {
      masterKeyId: this.currentKeyId,
      wrapped: Buffer.concat([Buffer.from([WRAP_VERSION]), iv, cipher.getAuthTag(), body]),
    };
  }

  async unwrap(key: WrappedKey): Promise<Buffer> {
    const master = this.keys.get(key.masterKeyId);
    if (!master) throw new KeyUnavailableError(key.masterKeyId);
    if (key.wrapped[0] !== WRAP_VERSION) throw new Error('Unknown wrapped-key format');
    const iv = key.wrapped.subarray(1, 13);
    const tag = key.wrapped.subarray(13, 29);
    const decipher = createDecipheriv('aes-256-gcm', master, iv);
    decipher.setAAD(Buffer.from(`rapport-dek:${key.masterKeyId}`));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(key.wrapped.subarray(29)), decipher.final()]);
  }
}
