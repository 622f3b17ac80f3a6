import type { Command } from 'commander';
import { loadConfig } from '@rapport/config';
import { DataKeyService, createKeyProvider } from '@rapport/crypto';
import { UserKeysRepository, createDataSource } from '@rapport/database';

/**
 * `rapport keys rotate-master`: put the new key first in MASTER_KEYS (keep the old one after
 * it), run this, then remove the old key. With KEY_PROVIDER=aws-kms, the current key is
 * AWS_KMS_KEY_ID: this moves every data key there (from MASTER_KEYS or an earlier KMS key).
 * Only the wrapped data keys change; blobs do not.
 */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('Encryption key management');
  keys
    .command('rotate-master')
    .description('Re-wrap every user data key under the current master key (first in MASTER_KEYS, or AWS_KMS_KEY_ID)')
    .action(async () => {
      const config = loadConfig();
      const provider = createKeyProvider(config);
      const ds = await createDataSource({ url: config.DATABASE_URL }).initialize();
      try {
        const repo = new UserKeysRepository(ds);
        const { rewrapped } = await new DataKeyService(provider, repo).rotateMaster();
        const counts = await repo.countByMasterKey();
        process.stdout.write(`${JSON.stringify({ currentKeyId: provider.currentKeyId, rewrapped, keysByMasterKey: counts })}\n`);
      } finally {
        await ds.destroy();
      }
    });
}
