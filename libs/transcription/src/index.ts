/**
 * @rapport/transcription — speech to a speaker-named transcript. Providers (AssemblyAI, OpenAI,
 * a self-hosted Whisper server, or the platform captions from the bot) sit behind one
 * interface, chosen by config; their errors map to TranscriptionError (transient or not).
 * docs/transcription.md.
 */
export * from './types';
export * from './errors';
export * from './retry';
export { splitAudio, probeDurationSec } from './audio';
export type { AudioChunk } from './audio';
export { captionsToResult } from './captions';
export { buildTranscript, mapLabelsToNames, nameSegments } from './speakers';
export type { BuiltTranscript } from './speakers';
export { AssemblyAiTranscriber } from './assemblyai.provider';
export type { AssemblyAiOptions } from './assemblyai.provider';
export { OpenAiTranscriber } from './openai.provider';
export type { OpenAiTranscriberOptions } from './openai.provider';
export { transcribeMeeting } from './transcribe';
export type { TranscribeMeetingInput, TranscribeMeetingResult } from './transcribe';
export { createTranscriber } from './create-transcriber';
export type { TranscriptionConfig, TranscriberTuning } from './create-transcriber';
// Vendor fakes speaking each provider's wire format, for tests and benchmarks of other packages.
export { startFakeAssemblyAi, aaiUtterance } from './testing/fake-assemblyai';
export type { FakeAssemblyAi, AaiUtterance, AaiWord } from './testing/fake-assemblyai';
export { startFakeOpenAi } from './testing/fake-openai';
export type { FakeOpenAi, OpenAiSegment } from './testing/fake-openai';
export type { FakeServer, ScriptedError } from './testing/fake-http';
