/**
 * What every provider returns: time-ordered segments (an utterance, a Whisper segment, a caption
 * line) with optional word timings and, when the provider diarizes, its own speaker label.
 * Times are seconds from the start of the recording.
 */
export interface TimedWord {
  text: string;
  start: number;
  end: number;
}

export interface ProviderSegment {
  start: number;
  end: number;
  text: string;
  /** The provider's diarization label ("A", "SPEAKER_00"); absent when it does not diarize. */
  speakerLabel?: string;
  /** A name the source already knows (platform captions carry the speaker's display name). */
  speakerName?: string;
  words?: TimedWord[];
}

export interface ProviderResult {
  segments: ProviderSegment[];
  language?: string;
  durationSec?: number;
}

export interface AudioInput {
  data: Buffer;
  /** e.g. audio/ogg */
  contentType: string;
  /** Known duration (from the recordings row); saves a decode when chunking. */
  durationSec?: number | null;
}

export interface AudioTranscriber {
  /** Stored as the transcript's `source`, e.g. "assemblyai", "openai:whisper-1". */
  readonly name: string;
  /** Largest upload the provider takes; longer audio is cut into chunks. null: no limit. */
  readonly maxUploadBytes: number | null;
  transcribe(audio: AudioInput, signal?: AbortSignal): Promise<ProviderResult>;
}

/** The bot's documents, as bots/runtime writes them (timeline.json, captions.json). */
export interface BotSpeakerTurn {
  speaker: string;
  startMs: number;
  endMs: number;
}

export interface BotTimeline {
  recordingStartedAt: string | null;
  events: Array<{ type: string; name: string; atMs: number }>;
  speakerTurns: BotSpeakerTurn[];
}

export interface BotCaption {
  speaker: string;
  text: string;
  atMs: number;
}
