import { AssemblyAiTranscriber } from './assemblyai.provider';
import { OpenAiTranscriber } from './openai.provider';
import type { AudioTranscriber } from './types';

/** The config the transcriber is chosen from (a subset of the app config). */
export interface TranscriptionConfig {
  TRANSCRIPTION_PROVIDER: 'captions' | 'assemblyai' | 'openai' | 'whisper';
  ASSEMBLYAI_API_KEY: string;
  ASSEMBLYAI_BASE_URL: string;
  OPENAI_API_KEY: string;
  OPENAI_BASE_URL: string;
  OPENAI_TRANSCRIBE_MODEL: string;
  WHISPER_BASE_URL: string;
  WHISPER_MODEL: string;
  WHISPER_API_KEY: string;
  TRANSCRIPTION_MAX_UPLOAD_BYTES: number;
  TRANSCRIPTION_MAX_RETRIES: number;
}

export interface TranscriberTuning {
  retryBaseMs?: number;
  pollIntervalMs?: number;
}

/**
 * The audio transcriber the config asks for, or null for the platform captions (the default).
 * A provider named without its key or URL is a configuration error, reported at once.
 */
export function createTranscriber(config: TranscriptionConfig, tuning: TranscriberTuning = {}): AudioTranscriber | null {
  const retries = config.TRANSCRIPTION_MAX_RETRIES;
  switch (config.TRANSCRIPTION_PROVIDER) {
    case 'captions':
      return null;
    case 'assemblyai':
      if (!config.ASSEMBLYAI_API_KEY) throw new Error('TRANSCRIPTION_PROVIDER=assemblyai needs ASSEMBLYAI_API_KEY');
      return new AssemblyAiTranscriber({
        apiKey: config.ASSEMBLYAI_API_KEY,
        baseUrl: config.ASSEMBLYAI_BASE_URL,
        retries,
        ...tuning,
      });
    case 'openai':
      if (!config.OPENAI_API_KEY) throw new Error('TRANSCRIPTION_PROVIDER=openai needs OPENAI_API_KEY');
      return new OpenAiTranscriber({
        provider: 'openai',
        apiKey: config.OPENAI_API_KEY,
        baseURL: config.OPENAI_BASE_URL,
        model: config.OPENAI_TRANSCRIBE_MODEL,
        maxUploadBytes: config.TRANSCRIPTION_MAX_UPLOAD_BYTES,
        retries,
        ...(tuning.retryBaseMs !== undefined ? { retryBaseMs: tuning.retryBaseMs } : {}),
      });
    case 'whisper':
      if (!config.WHISPER_BASE_URL) throw new Error('TRANSCRIPTION_PROVIDER=whisper needs WHISPER_BASE_URL');
      return new OpenAiTranscriber({
        provider: 'whisper',
        apiKey: config.WHISPER_API_KEY,
        baseURL: config.WHISPER_BASE_URL,
        model: config.WHISPER_MODEL,
        maxUploadBytes: config.TRANSCRIPTION_MAX_UPLOAD_BYTES,
        retries,
        ...(tuning.retryBaseMs !== undefined ? { retryBaseMs: tuning.retryBaseMs } : {}),
      });
  }
}
