import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { DataKeyService } from '@rapport/crypto';
import { MeetingsRepository, type MeetingEntity } from '@rapport/database';
import type { BlobStore } from '@rapport/storage';
import type { BotCaption, BotTimeline } from '@rapport/transcription';
import { MeetingArtifacts } from './artifacts';

export interface ScriptLine {
  speaker: string;
  text: string;
  /** espeak-ng voice, e.g. "en+f3". */
  voice?: string;
}

export interface RenderedMeeting {
  recording: Buffer;
  contentType: string;
  durationSec: number;
  timeline: BotTimeline;
  captions: BotCaption[];
}

/** Platform captions show up a little after the words are said. */
const CAPTION_LAG_MS = 700;

/**
 * A meeting as a bot would have recorded it: each line spoken by espeak-ng, joined with pauses
 * into Ogg/Opus (as the bot's recorder writes), with the matching speaker timeline and captions.
 */
export function renderScriptedMeeting(lines: ScriptLine[], gapSec = 0.5): RenderedMeeting {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-script-'));
  try {
    const turns: BotTimeline['speakerTurns'] = [];
    const events: BotTimeline['events'] = [];
    const captions: BotCaption[] = [];
    const parts: string[] = [];
    let t = gapSec;
    const silence = join(dir, 'gap.wav');
    execFileSync('sox', ['-n', '-r', '22050', '-c', '1', '-b', '16', silence, 'trim', '0', String(gapSec)]);
    parts.push(silence);
    for (const name of new Set(lines.map((l) => l.speaker))) events.push({ type: 'participant_joined', name, atMs: 0 });
    lines.forEach((line, i) => {
      const wav = join(dir, `l${i}.wav`);
      execFileSync('espeak-ng', ['-v', line.voice ?? 'en', '-s', '165', '-w', wav, line.text]);
      const dur = Number(execFileSync('soxi', ['-D', wav]).toString().trim());
      const startMs = Math.round(t * 1000);
      const endMs = Math.round((t + dur) * 1000);
      turns.push({ speaker: line.speaker, startMs, endMs });
      events.push({ type: 'speaking_started', name: line.speaker, atMs: startMs }, { type: 'speaking_stopped', name: line.speaker, atMs: endMs });
      captions.push({ speaker: line.speaker, text: line.text, atMs: startMs + CAPTION_LAG_MS });
      parts.push(wav, silence);
      t += dur + gapSec;
    });
    const joined = join(dir, 'all.wav');
    execFileSync('sox', [...parts, '-r', '22050', joined]);
    const ogg = join(dir, 'recording.ogg');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', joined, '-ac', '1', '-c:a', 'libopus', '-b:a', '32k', '-application', 'voip', ogg]);
    return {
      recording: readFileSync(ogg),
      contentType: 'audio/ogg',
      durationSec: Math.round(t * 1000) / 1000,
      timeline: { recordingStartedAt: new Date().toISOString(), events, speakerTurns: turns },
      captions,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Silent Ogg/Opus of a given length (benchmarks: the captions path never decodes it). */
export function silentOgg(seconds: number): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-silence-'));
  try {
    const out = join(dir, 's.ogg');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `anullsrc=r=16000:cl=mono`, '-t', String(seconds), '-c:a', 'libopus', '-b:a', '32k', out]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Stores a finished meeting exactly as the bot hand-off does: a meetings row, the recording
 * encrypted with the owner's key (chunked, context recording:<id>) plus its recordings row,
 * the timeline and captions as envelope-encrypted JSON. Enqueueing meeting.process is the caller's.
 */
export async function seedFinishedMeeting(
  infra: { ds: DataSource; blobs: BlobStore; keys: DataKeyService },
  input: { userId: string; title: string } & Partial<RenderedMeeting>,
): Promise<MeetingEntity> {
  const meetings = new MeetingsRepository(infra.ds);
  const meeting = await meetings.create(input.userId, input.title, null);
  const stored = await new MeetingArtifacts(infra.blobs, infra.keys).storeBotOutputs(input.userId, meeting.id, {
    ...(input.recording ? { recording: input.recording } : {}),
    ...(input.timeline ? { timeline: input.timeline } : {}),
    ...(input.captions ? { captions: input.captions } : {}),
  });
  if (stored.recordingKey && input.recording) {
    await meetings.saveRecording({
      meetingId: meeting.id,
      userId: input.userId,
      storageKey: stored.recordingKey,
      contentType: input.contentType ?? 'audio/ogg',
      // Plaintext size, as the bot-runner hand-off records it.
      byteSize: String(input.recording.length),
      durationSec: input.durationSec ?? null,
    });
  }
  return meeting;
}

