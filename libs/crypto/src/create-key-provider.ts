import { AwsKmsKeyProvider } from './aws-kms-key-provider';
import { LocalKeyProvider, type KeyProvider } from './key-provider';

/** The configuration the key provider is chosen by (a structural slice of AppConfig). */
export interface KeyProviderSettings {
  KEY_PROVIDER: 'local' | 'aws-kms';
  MASTER_KEYS: string;
  AWS_KMS_KEY_ID: string;
  AWS_KMS_REGION: string;
  AWS_KMS_ENDPOINT: string;
}

/**
 * `local`: master keys from MASTER_KEYS. `aws-kms`: the KMS key wraps new data keys; MASTER_KEYS,
 * when still set, only unwraps keys from before the move until `rapport keys rotate-master`
 * has re-wrapped them all under KMS.
 */
export function createKeyProvider(s: KeyProviderSettings): KeyProvider {
  if (s.KEY_PROVIDER === 'local') return LocalKeyProvider.fromSpec(s.MASTER_KEYS);
  return new AwsKmsKeyProvider({
    keyId: s.AWS_KMS_KEY_ID,
    region: s.AWS_KMS_REGION,
    endpoint: s.AWS_KMS_ENDPOINT,
    legacy: s.MASTER_KEYS ? LocalKeyProvider.fromSpec(s.MASTER_KEYS) : null,
  });
}
