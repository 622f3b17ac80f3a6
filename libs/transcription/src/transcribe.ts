import { probeDurationSec, splitAudio } from './audio';
import { captionsToResult } from './captions';
import { buildTranscript, type BuiltTranscript } from './speakers';
import type { AudioInput, AudioTranscriber, BotCaption, BotTimeline, ProviderResult } from './types';

export interface TranscribeMeetingInput {
  /** null: the platform captions are the source. */
  transcriber: AudioTranscriber | null;
  audio: AudioInput | null;
  timeline: BotTimeline | null;
  captions: BotCaption[] | null;
  /** Chunk length when the audio is larger than the provider takes. */
  chunkSec: number;
  signal?: AbortSignal;
}

export interface TranscribeMeetingResult extends BuiltTranscript {
  source: string;
  chunks: number;
}

/**
 * Audio (or captions) to the analytics transcript with named speakers. Audio over the
 * provider's upload limit is cut into chunks sized to fit; their times are shifted back onto the
 * meeting clock, and each chunk's speaker labels are kept apart (c0:A is not c1:A) until the
 * timeline names them.
 */
export async function transcribeMeeting(input: TranscribeMeetingInput): Promise<TranscribeMeetingResult> {
  const duration = input.audio?.durationSec ?? null;
  if (!input.transcriber) {
    const result = captionsToResult(input.captions ?? [], input.timeline);
    return { ...buildTranscript(result, input.timeline, duration), source: 'captions', chunks: 0 };
  }
  if (!input.audio) throw new Error('this transcription provider needs the recording');
  const t = input.transcriber;
  const max = t.maxUploadBytes;
  let merged: ProviderResult;
  let chunks = 1;
  if (max !== null && input.audio.data.length > max) {
    const total = duration ?? (await probeDurationSec(input.audio.data));
    // Re-encoded chunks are 32 kbit/s nominal; Ogg/Opus VBR runs to ~6 kB/s, so size for that
    // with a 10 % margin, and cut finer if a chunk still comes out too large.
    let chunkSec = Math.min(input.chunkSec, Math.max(5, Math.floor((max * 0.9) / 6000)));
    let parts = await splitAudio(input.audio.data, chunkSec, total);
    while (parts.some((p) => p.data.length > max) && chunkSec > 5) {
      chunkSec = Math.max(5, Math.floor(chunkSec / 2));
      parts = await splitAudio(input.audio.data, chunkSec, total);
    }
    chunks = parts.length;
    merged = { segments: [], durationSec: total };
    for (const [i, part] of parts.entries()) {
      const r = await t.transcribe({ data: part.data, contentType: 'audio/ogg', durationSec: part.durationSec }, input.signal);
      for (const s of r.segments) {
        merged.segments.push({
          ...s,
          start: s.start + part.offsetSec,
          end: s.end + part.offsetSec,
          ...(s.speakerLabel ? { speakerLabel: `c${i}:${s.speakerLabel}` } : {}),
          ...(s.words ? { words: s.words.map((w) => ({ ...w, start: w.start + part.offsetSec, end: w.end + part.offsetSec })) } : {}),
        });
      }
      if (r.language && !merged.language) merged.language = r.language;
    }
  } else {
    merged = await t.transcribe(input.audio, input.signal);
  }
  return { ...buildTranscript(merged, input.timeline, duration ?? merged.durationSec), source: t.name, chunks };
}
