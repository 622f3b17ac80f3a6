import { AppError } from '@rapport/common';
import { DataKeyMissingError, DecryptionError, KeyProviderError } from '@rapport/crypto';
import { TranscriptionError } from '@rapport/transcription';

/** A pipeline failure with a code the API shows; `permanent` ones are not retried. */
export class PipelineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'PipelineError';
  }
}

export interface ClassifiedError {
  permanent: boolean;
  code: string;
  message: string;
}

/**
 * The one place that decides retry or fail: provider 429/5xx/network and infrastructure
 * hiccups (database, Redis, storage) are transient; provider 4xx, undecryptable or missing data,
 * invalid transcripts and a deleted meeting or user are permanent.
 */
export function classifyError(err: unknown): ClassifiedError {
  if (err instanceof PipelineError) return { permanent: err.permanent, code: err.code, message: err.message };
  if (err instanceof TranscriptionError) return { permanent: !err.transient, code: `transcription_${err.code}`, message: err.message };
  if (err instanceof DecryptionError) return { permanent: true, code: 'decryption_failed', message: err.message };
  if (err instanceof DataKeyMissingError) return { permanent: true, code: 'owner_key_missing', message: err.message };
  if (err instanceof KeyProviderError) return { permanent: !err.transient, code: err.code, message: err.message };
  if (err instanceof AppError && err.kind === 'bad_request') return { permanent: true, code: err.code, message: err.message };
  return { permanent: false, code: 'internal_error', message: err instanceof Error ? err.message : String(err) };
}
