import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '@rapport/common';
import { BLOB_STORE } from '@rapport/core';
import { CHUNKED_HEADER_BYTES, DataKeyService, chunkSpan, decryptChunks, readChunkedHeader } from '@rapport/crypto';
import { AnalysisRepository } from '@rapport/database';
import { contexts } from '@rapport/pipeline';
import type { BlobStore } from '@rapport/storage';

/** Plaintext bytes decrypted per storage read while streaming (16 chunks of 64 KiB). */
const WINDOW_CHUNKS = 16;

/**
 * Streams the owner's recording, decrypted in memory a window of chunks at a time, with HTTP
 * range requests: the chunked format lets a range fetch and decrypt only the chunks it touches.
 */
@Injectable()
export class RecordingStreamService {
  constructor(
    private readonly analysis: AnalysisRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly keys: DataKeyService,
  ) {}

  /** 404 unless the user may play this meeting's recording (the owner, with one stored). */
  async assertPlayable(userId: string, meetingId: string): Promise<void> {
    if (!(await this.analysis.findRecordingForUser(userId, meetingId))) {
      throw new AppError('not_found', 'recording_not_found', 'No recording of this meeting is available to you');
    }
  }

  async serve(userId: string, meetingId: string, req: Request, res: Response): Promise<void> {
    const rec = await this.analysis.findRecordingForUser(userId, meetingId);
    if (!rec) throw new AppError('not_found', 'recording_not_found', 'No recording of this meeting is available to you');
    const head = await this.blobs.getRange(rec.storageKey, 0, CHUNKED_HEADER_BYTES - 1);
    if (!head) throw new AppError('not_found', 'recording_not_found', 'The recording is no longer stored');
    const h = readChunkedHeader(head);
    const size = h.plainLength;
    let start = 0;
    let end = size - 1;
    let partial = false;
    if (req.headers.range !== undefined) {
      const ranges = size > 0 ? req.range(size, { combine: true }) : -1;
      if (ranges === -1 || ranges === -2 || ranges === undefined) {
        res
          .status(416)
          .set({ 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes' })
          .json({ code: 'range_not_satisfiable', message: `Range "${req.headers.range}" is not satisfiable for ${size} bytes`, requestId: res.getHeader('X-Request-Id') ?? null });
        return;
      }
      // Several disjoint ranges: answer the first (a multipart/byteranges body is not worth it for audio players).
      start = ranges[0]!.start;
      end = ranges[0]!.end;
      partial = true;
    }
    const key = await this.keys.keyFor(userId);
    res.status(partial ? 206 : 200);
    res.set({
      'Content-Type': rec.contentType,
      'Accept-Ranges': 'bytes',
      'Content-Length': String(size === 0 ? 0 : end - start + 1),
      'Cache-Control': 'private, no-store',
      ...(partial ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    });
    if (size === 0) {
      res.end();
      return;
    }
    const window = WINDOW_CHUNKS * h.chunkSize;
    for (let pos = start; pos <= end; ) {
      const wEnd = Math.min(end, (Math.floor(pos / h.chunkSize) * h.chunkSize) + window - 1);
      const span = chunkSpan(h, pos, wEnd);
      const sealed = await this.blobs.getRange(rec.storageKey, span.start, span.end - 1);
      if (!sealed) throw new AppError('not_found', 'recording_not_found', 'The recording is no longer stored');
      const plain = decryptChunks(key, h, sealed, span.first, contexts.recording(meetingId));
      const offset = span.first * h.chunkSize;
      const ok = res.write(plain.subarray(pos - offset, wEnd - offset + 1));
      if (!ok) await new Promise<void>((r) => res.once('drain', () => r()));
      if (res.destroyed) return;
      pos = wEnd + 1;
    }
    res.end();
  }
}
