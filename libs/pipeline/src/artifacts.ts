import {
  CHUNKED_HEADER_BYTES,
  DecryptionError,
  decryptChunked,
  decryptChunks,
  decryptJson,
  encryptChunked,
  encryptJson,
  readChunkedHeader,
  chunkSpan,
  type DataKeyService,
} from '@rapport/crypto';
import { blobKeys, type BlobStore } from '@rapport/storage';
import type { BotCaption, BotTimeline } from '@rapport/transcription';

/** Encryption contexts (AAD) of a meeting's blobs and transcript, shared with the bot hand-off. */
export const contexts = {
  recording: (meetingId: string) => `recording:${meetingId}`,
  timeline: (meetingId: string) => `timeline:${meetingId}`,
  captions: (meetingId: string) => `captions:${meetingId}`,
  transcript: (meetingId: string) => `transcript:${meetingId}`,
};

/**
 * A meeting's stored bot outputs: recording (chunked AES-GCM), timeline and captions
 * (envelope-encrypted JSON), all under the owner's data key. Plaintext lives only in memory.
 */
export class MeetingArtifacts {
  constructor(
    private readonly blobs: BlobStore,
    private readonly keys: DataKeyService,
  ) {}

  private async json<T>(userId: string, key: string, context: string): Promise<T | null> {
    const blob = await this.blobs.get(key);
    if (!blob) return null;
    return decryptJson<T>(await this.keys.keyFor(userId), blob, context);
  }

  timeline(userId: string, meetingId: string): Promise<BotTimeline | null> {
    return this.json<BotTimeline>(userId, blobKeys.timeline(userId, meetingId), contexts.timeline(meetingId));
  }

  captions(userId: string, meetingId: string): Promise<BotCaption[] | null> {
    return this.json<BotCaption[]>(userId, blobKeys.captions(userId, meetingId), contexts.captions(meetingId));
  }

  async recording(userId: string, storageKey: string, meetingId: string): Promise<Buffer | null> {
    const blob = await this.blobs.get(storageKey);
    if (!blob) return null;
    return decryptChunked(await this.keys.keyFor(userId), blob, contexts.recording(meetingId));
  }

  /**
   * Checks a stored recording without decrypting all of it: the header parses, the blob has the
   * size the header implies, and the first and last chunks authenticate under the owner's key.
   */
  async verifyRecording(userId: string, storageKey: string, meetingId: string): Promise<{ plainLength: number } | null> {
    const size = await this.blobs.size(storageKey);
    if (size === null) return null;
    const head = await this.blobs.getRange(storageKey, 0, CHUNKED_HEADER_BYTES - 1);
    if (!head) return null;
    const h = readChunkedHeader(head);
    const whole = chunkSpan(h, 0, Math.max(0, h.plainLength - 1));
    if (whole.end !== size) throw new DecryptionError(`Recording is ${size} bytes, its header implies ${whole.end}`);
    const key = await this.keys.keyFor(userId);
    for (const at of new Set([0, Math.max(0, h.plainLength - 1)])) {
      const span = chunkSpan(h, at, at);
      const sealed = await this.blobs.getRange(storageKey, span.start, span.end - 1);
      decryptChunks(key, h, sealed ?? Buffer.alloc(0), span.first, contexts.recording(meetingId));
    }
    return { plainLength: h.plainLength };
  }

  /** What the bot hand-off writes (used by tests and benchmarks to stand in for a bot). */
  async storeBotOutputs(
    userId: string,
    meetingId: string,
    outputs: { recording?: Buffer; timeline?: BotTimeline; captions?: BotCaption[] },
  ): Promise<{ recordingKey: string | null; recordingBytes: number }> {
    const key = await this.keys.keyFor(userId);
    let recordingKey: string | null = null;
    let recordingBytes = 0;
    if (outputs.recording) {
      recordingKey = blobKeys.recording(userId, meetingId);
      const sealed = encryptChunked(key, outputs.recording, contexts.recording(meetingId));
      recordingBytes = sealed.length;
      await this.blobs.put(recordingKey, sealed);
    }
    if (outputs.timeline) await this.blobs.put(blobKeys.timeline(userId, meetingId), encryptJson(key, outputs.timeline, contexts.timeline(meetingId)));
    if (outputs.captions) await this.blobs.put(blobKeys.captions(userId, meetingId), encryptJson(key, outputs.captions, contexts.captions(meetingId)));
    return { recordingKey, recordingBytes };
  }
}
