import { createHash } from 'node:crypto';
import { DecryptCommand, EncryptCommand, KMSClient, KMSServiceException } from '@aws-sdk/client-kms';
import { KeyProviderError, KeyUnavailableError, type KeyProvider, type WrappedKey } from './key-provider';

/** Bound into every wrap as the KMS encryption context: a data key cannot be unwrapped as anything else. */
const ENCRYPTION_CONTEXT = { purpose: 'rapport-user-data-key' } as const;
/** `user_keys.master_key_id` of keys wrapped by KMS: this prefix and the KMS key id or alias. */
export const AWS_KMS_PREFIX = 'aws-kms:';

const PERMANENT_KMS_ERRORS = new Set([
  'AccessDeniedException',
  'DisabledException',
  'NotFoundException',
  'InvalidCiphertextException',
  'IncorrectKeyException',
  'InvalidKeyUsageException',
  'KMSInvalidStateException',
  'ValidationException',
]);

export interface AwsKmsOptions {
  /** Key id, key ARN, alias name (`alias/rapport`) or alias ARN of a symmetric KMS key. */
  keyId: string;
  region: string;
  /** A KMS-compatible endpoint (LocalStack, a test fake); empty for AWS. */
  endpoint?: string;
  /** Unwraps data keys still wrapped by the local master keys (moving from MASTER_KEYS to KMS). */
  legacy?: KeyProvider | null;
  /** Unwrapped keys kept in memory, saving a KMS call per read (default 5 min, 10,000 keys). */
  cacheTtlMs?: number;
  cacheMax?: number;
  /** Tests: a client with its own credentials and endpoint. */
  client?: KMSClient;
}

/**
 * Per-user data keys wrapped by an AWS KMS key (Encrypt/Decrypt with an encryption context), so
 * the master key never leaves KMS and every unwrap is authorised and logged by AWS. Credentials
 * come from the AWS default chain (environment, IRSA web identity, instance role). KMS rotates
 * the key material itself; moving to another KMS key is `AWS_KMS_KEY_ID` plus
 * `rapport keys rotate-master`, which re-wraps every data key (as from local master keys).
 */
export class AwsKmsKeyProvider implements KeyProvider {
  readonly currentKeyId: string;
  private readonly client: KMSClient;
  private readonly cache = new Map<string, { key: Buffer; until: number }>();

  constructor(private readonly opts: AwsKmsOptions) {
    this.currentKeyId = `${AWS_KMS_PREFIX}${opts.keyId}`;
    this.client = opts.client ?? new KMSClient({ region: opts.region, ...(opts.endpoint ? { endpoint: opts.endpoint } : {}) });
  }

  async wrap(dataKey: Buffer): Promise<WrappedKey> {
    const out = await this.call('Encrypt', () => this.client.send(new EncryptCommand({ KeyId: this.opts.keyId, Plaintext: dataKey, EncryptionContext: ENCRYPTION_CONTEXT })));
    if (!out.CiphertextBlob) throw new KeyProviderError('kms_bad_response', 'KMS Encrypt returned no CiphertextBlob', true);
    return { masterKeyId: this.currentKeyId, wrapped: Buffer.from(out.CiphertextBlob) };
  }

  async unwrap(key: WrappedKey): Promise<Buffer> {
    if (!key.masterKeyId.startsWith(AWS_KMS_PREFIX)) {
      if (this.opts.legacy) return this.opts.legacy.unwrap(key);
      throw new KeyUnavailableError(key.masterKeyId);
    }
    const cacheKey = createHash('sha256').update(key.masterKeyId).update(key.wrapped).digest('base64');
    const hit = this.cache.get(cacheKey);
    if (hit && hit.until > Date.now()) return Buffer.from(hit.key);
    const out = await this.call('Decrypt', () =>
      this.client.send(new DecryptCommand({ CiphertextBlob: key.wrapped, KeyId: key.masterKeyId.slice(AWS_KMS_PREFIX.length), EncryptionContext: ENCRYPTION_CONTEXT })),
    );
    if (!out.Plaintext) throw new KeyProviderError('kms_bad_response', 'KMS Decrypt returned no Plaintext', true);
    const plain = Buffer.from(out.Plaintext);
    this.remember(cacheKey, plain);
    return Buffer.from(plain);
  }

  private remember(cacheKey: string, key: Buffer): void {
    const max = this.opts.cacheMax ?? 10_000;
    const ttl = this.opts.cacheTtlMs ?? 5 * 60_000;
    if (ttl <= 0 || max <= 0) return;
    if (this.cache.size >= max) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(cacheKey, { key: Buffer.from(key), until: Date.now() + ttl });
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      if (err instanceof KMSServiceException) {
        const permanent = PERMANENT_KMS_ERRORS.has(err.name);
        throw new KeyProviderError(
          `kms_${err.name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}`,
          `KMS ${operation} failed: ${err.name}: ${err.message}${permanent ? ' (check AWS_KMS_KEY_ID and the role’s kms:Encrypt/kms:Decrypt permissions)' : ''}`,
          !permanent,
        );
      }
      throw new KeyProviderError('kms_unreachable', `KMS ${operation} failed: ${err instanceof Error ? err.message : String(err)}`, true);
    }
  }
}
