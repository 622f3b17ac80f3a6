/**
 * Object storage behind one interface: a local folder by default, S3-compatible in
 * production. Blobs are already encrypted by the caller; the store never sees plaintext.
 */
export interface BlobStore {
  put(key: string, data: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  /** Bytes [start, end] inclusive; null when the blob does not exist. */
  getRange(key: string, start: number, end: number): Promise<Buffer | null>;
  size(key: string): Promise<number | null>;
  delete(key: string): Promise<void>;
  /** Deletes every blob whose key starts with `prefix` (e.g. `users/<id>/`). */
  deletePrefix(prefix: string): Promise<number>;
  list(prefix: string): Promise<string[]>;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._\-/]*$/;

export function assertBlobKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((p) => p === '..' || p === '.' || p === '')) {
    throw new Error(`Invalid blob key "${key}"`);
  }
}

/** The one place blob keys are built, so delete-me and retention find everything. */
export const blobKeys = {
  userPrefix: (userId: string) => `users/${userId}/`,
  meetingPrefix: (userId: string, meetingId: string) => `users/${userId}/meetings/${meetingId}/`,
  /** Chunked AES-GCM (seekable) audio; content type in the `recordings` row. */
  recording: (userId: string, meetingId: string) => `users/${userId}/meetings/${meetingId}/recording.enc`,
  /** Envelope-encrypted JSON written by the bot hand-off. */
  timeline: (userId: string, meetingId: string) => `users/${userId}/meetings/${meetingId}/timeline.json.enc`,
  captions: (userId: string, meetingId: string) => `users/${userId}/meetings/${meetingId}/captions.json.enc`,
};
