import OpenAI, { toFile } from 'openai';
import { TranscriptionError, httpError } from './errors';
import { withRetry } from './retry';
import type { AudioInput, AudioTranscriber, ProviderResult, ProviderSegment, TimedWord } from './types';

export interface OpenAiTranscriberOptions {
  /** "openai" or "whisper" (a self-hosted server speaking the same API); names errors and the source. */
  provider: 'openai' | 'whisper';
  apiKey: string;
  baseURL?: string;
  model: string;
  retries?: number;
  retryBaseMs?: number;
  /** OpenAI's limit is 25 MB per file. */
  maxUploadBytes?: number | null;
  timeoutMs?: number;
}

interface VerboseTranscription {
  language?: string;
  duration?: number;
  text: string;
  words?: Array<{ word: string; start: number; end: number }>;
  segments?: Array<{ start: number; end: number; text: string }>;
}

/**
 * OpenAI's /v1/audio/transcriptions with verbose_json and word + segment timestamps, through the
 * official SDK. The same adapter talks to self-hosted Whisper servers (faster-whisper-server,
 * whisper.cpp) at their base URL. The SDK's own retries are off so that every provider retries
 * the same way (withRetry, Retry-After honoured) and errors map to TranscriptionError.
 */
export class OpenAiTranscriber implements AudioTranscriber {
  readonly name: string;
  readonly maxUploadBytes: number | null;
  private readonly client: OpenAI;

  constructor(private readonly opts: OpenAiTranscriberOptions) {
    this.name = `${opts.provider}:${opts.model}`;
    this.maxUploadBytes = opts.maxUploadBytes === undefined ? 24 * 1024 * 1024 : opts.maxUploadBytes;
    this.client = new OpenAI({
      apiKey: opts.apiKey || 'not-needed',
      ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
      maxRetries: 0,
      timeout: opts.timeoutMs ?? 10 * 60_000,
    });
  }

  async transcribe(audio: AudioInput, signal?: AbortSignal): Promise<ProviderResult> {
    const ext = /wav/.test(audio.contentType) ? 'wav' : /webm/.test(audio.contentType) ? 'webm' : /mpeg|mp3/.test(audio.contentType) ? 'mp3' : 'ogg';
    const res = await withRetry(
      async () => {
        try {
          const file = await toFile(audio.data, `audio.${ext}`, { type: audio.contentType });
          return (await this.client.audio.transcriptions.create(
            { file, model: this.opts.model, response_format: 'verbose_json', timestamp_granularities: ['word', 'segment'] },
            signal ? { signal } : {},
          )) as unknown as VerboseTranscription;
        } catch (err) {
          throw this.mapError(err);
        }
      },
      { retries: this.opts.retries ?? 4, baseDelayMs: this.opts.retryBaseMs ?? 1000 },
    );
    return toResult(res);
  }

  private mapError(err: unknown): unknown {
    const p = this.opts.provider;
    if (err instanceof OpenAI.APIConnectionError) return new TranscriptionError(p, 'network_error', `${p} unreachable: ${err.message}`, true);
    if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
      const body = err.error as { message?: string } | undefined;
      return httpError(p, err.status, body?.message ?? err.message, err.headers?.get('retry-after'));
    }
    return err;
  }
}

/** Words go to the segment they fall in; segment text keeps the punctuation words lack. */
function toResult(r: VerboseTranscription): ProviderResult {
  const words: TimedWord[] = (r.words ?? []).map((w) => ({ text: w.word.trim(), start: w.start, end: w.end }));
  const raw = r.segments?.length ? r.segments : r.text ? [{ start: words[0]?.start ?? 0, end: words.at(-1)?.end ?? r.duration ?? 0, text: r.text }] : [];
  const segments: ProviderSegment[] = raw.map((s) => ({ start: s.start, end: s.end, text: s.text.trim(), words: [] as TimedWord[] }));
  let j = 0;
  for (const w of words) {
    const mid = (w.start + w.end) / 2;
    while (j < segments.length - 1 && mid >= segments[j + 1]!.start) j++;
    segments[j]?.words!.push(w);
  }
  for (const s of segments) if (!s.words!.length) delete s.words;
  const out: ProviderResult = { segments: segments.filter((s) => s.text) };
  if (r.language) out.language = r.language;
  if (r.duration) out.durationSec = r.duration;
  return out;
}
