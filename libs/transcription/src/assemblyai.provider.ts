import { FileService, TranscriptService, type BaseServiceParams, type Transcript as AaiTranscript } from 'assemblyai';
import { TranscriptionError, httpError } from './errors';
import { withRetry } from './retry';
import type { AudioInput, AudioTranscriber, ProviderResult, ProviderSegment } from './types';

export interface AssemblyAiOptions {
  apiKey: string;
  baseUrl?: string;
  /** Retries of one request on 429/5xx. */
  retries?: number;
  retryBaseMs?: number;
  pollIntervalMs?: number;
  /** Give up waiting for a transcript after this long (transient: the job retries). */
  pollTimeoutMs?: number;
  /** AssemblyAI takes files up to 2.2 GB; set lower to force chunking. */
  maxUploadBytes?: number | null;
  speechModel?: string;
}

/**
 * The SDK's base service throws a bare Error on HTTP errors, losing the status. These subclasses
 * keep the SDK's request building (auth header, base URL, user agent) and map the status to a
 * TranscriptionError so 429/5xx retry and 4xx fail with AssemblyAI's reason.
 */
async function checked(res: Response): Promise<Response> {
  if (res.status < 400) return res;
  const text = await res.text();
  let reason = text || res.statusText;
  try {
    const json = JSON.parse(text) as { error?: string };
    if (json.error) reason = json.error;
  } catch {
    /* not JSON */
  }
  throw httpError('assemblyai', res.status, reason, res.headers.get('retry-after'));
}

class Files extends FileService {
  protected override async fetch(input: string, init?: RequestInit): Promise<Response> {
    return checked(await this.fetchResponse(input, init));
  }
}

class Transcripts extends TranscriptService {
  protected override async fetch(input: string, init?: RequestInit): Promise<Response> {
    return checked(await this.fetchResponse(input, init));
  }
}

function networkError(err: unknown): never {
  if (err instanceof TranscriptionError) throw err;
  if (err instanceof TypeError) throw new TranscriptionError('assemblyai', 'network_error', `assemblyai unreachable: ${err.message}`, true);
  throw err;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** AssemblyAI async transcription: upload, submit with speaker labels, poll until done. */
export class AssemblyAiTranscriber implements AudioTranscriber {
  readonly name = 'assemblyai';
  readonly maxUploadBytes: number | null;
  private readonly files: Files;
  private readonly transcripts: Transcripts;

  constructor(private readonly opts: AssemblyAiOptions) {
    const params: BaseServiceParams = { apiKey: opts.apiKey, baseUrl: (opts.baseUrl ?? 'https://api.assemblyai.com').replace(/\/$/, '') };
    this.files = new Files(params);
    this.transcripts = new Transcripts(params, this.files);
    this.maxUploadBytes = opts.maxUploadBytes === undefined ? 2_000_000_000 : opts.maxUploadBytes;
  }

  private retry<T>(fn: () => Promise<T>): Promise<T> {
    return withRetry(() => fn().catch(networkError), { retries: this.opts.retries ?? 4, baseDelayMs: this.opts.retryBaseMs ?? 1000 });
  }

  async transcribe(audio: AudioInput, signal?: AbortSignal): Promise<ProviderResult> {
    const uploadUrl = await this.retry(() => this.files.upload(audio.data));
    const submitted = await this.retry(() =>
      this.transcripts.submit({
        audio_url: uploadUrl,
        speaker_labels: true,
        punctuate: true,
        format_text: true,
        ...(this.opts.speechModel ? { speech_model: this.opts.speechModel as never } : {}),
      }),
    );
    const deadline = Date.now() + (this.opts.pollTimeoutMs ?? 30 * 60_000);
    let t: AaiTranscript = submitted;
    while (t.status !== 'completed' && t.status !== 'error') {
      if (signal?.aborted) throw new TranscriptionError('assemblyai', 'aborted', 'transcription aborted', true);
      if (Date.now() > deadline) throw new TranscriptionError('assemblyai', 'timeout', `transcript ${t.id} not ready in time (status ${t.status})`, true);
      await sleep(this.opts.pollIntervalMs ?? 3000);
      t = await this.retry(() => this.transcripts.get(submitted.id));
    }
    if (t.status === 'error') {
      throw new TranscriptionError('assemblyai', 'transcription_failed', `assemblyai could not transcribe: ${t.error ?? 'unknown error'}`, false);
    }
    return toResult(t);
  }
}

function toResult(t: AaiTranscript): ProviderResult {
  const ms = (x: number) => x / 1000;
  let segments: ProviderSegment[];
  if (t.utterances?.length) {
    segments = t.utterances.map((u) => ({
      start: ms(u.start),
      end: ms(u.end),
      text: u.text,
      speakerLabel: u.speaker,
      words: u.words.map((w) => ({ text: w.text, start: ms(w.start), end: ms(w.end) })),
    }));
  } else {
    // Without utterances, fall back to words grouped by their speaker label.
    segments = [];
    for (const w of t.words ?? []) {
      const last = segments.at(-1);
      const word = { text: w.text, start: ms(w.start), end: ms(w.end) };
      if (last && last.speakerLabel === (w.speaker ?? undefined) && word.start - last.end < 1.5) {
        last.words!.push(word);
        last.text += ` ${w.text}`;
        last.end = word.end;
      } else {
        segments.push({ start: word.start, end: word.end, text: w.text, ...(w.speaker ? { speakerLabel: w.speaker } : {}), words: [word] });
      }
    }
  }
  const out: ProviderResult = { segments };
  if (t.language_code) out.language = t.language_code;
  if (t.audio_duration) out.durationSec = t.audio_duration;
  return out;
}
