import { generateDataKey } from './envelope';
import type { KeyProvider, WrappedKey } from './key-provider';

/** Where wrapped data keys live (the database lib implements it). */
export interface UserKeyStore {
  find(userId: string): Promise<WrappedKey | null>;
  listNotWrappedBy(currentKeyId: string, limit: number): Promise<Array<{ userId: string; key: WrappedKey }>>;
  replace(userId: string, from: WrappedKey, to: WrappedKey): Promise<boolean>;
}

export class DataKeyMissingError extends Error {
  constructor(userId: string) {
    super(`No data key for user ${userId}: the user was deleted or never set up`);
    this.name = 'DataKeyMissingError';
  }
}

/**
 * Per-user data keys: created with the user, unwrapped only in memory when needed, and
 * re-wrapped (never re-encrypting blobs) when the master key rotates.
 */
export class DataKeyService {
  constructor(
    private readonly provider: KeyProvider,
    private readonly store: UserKeyStore,
  ) {}

  /** A fresh data key and its wrapped form, to insert with the new user. */
  async newKey(): Promise<{ plain: Buffer; wrapped: WrappedKey }> {
    const plain = generateDataKey();
    return { plain, wrapped: await this.provider.wrap(plain) };
  }

  async keyFor(userId: string): Promise<Buffer> {
    const wrapped = await this.store.find(userId);
    if (!wrapped) throw new DataKeyMissingError(userId);
    return this.provider.unwrap(wrapped);
  }

  /** Re-wraps every data key not under the current master key. Safe to re-run. */
  async rotateMaster(batchSize = 500): Promise<{ rewrapped: number }> {
    let rewrapped = 0;
    for (;;) {
      const batch = await this.store.listNotWrappedBy(this.provider.currentKeyId, batchSize);
      if (!batch.length) return { rewrapped };
      for (const { userId, key } of batch) {
        const plain = await this.provider.unwrap(key);
        if (await this.store.replace(userId, key, await this.provider.wrap(plain))) rewrapped++;
      }
    }
  }
}
