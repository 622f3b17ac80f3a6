import type { DataSource } from 'typeorm';
import { analyzeTranscript, buildPracticeModules, syntheticMeeting, type Transcript } from '@rapport/analytics';
import { AnalysisRepository, MeetingsRepository } from '@rapport/database';
import { encryptChunked, encryptJson, type DataKeyService } from '@rapport/crypto';
import { contexts } from '@rapport/pipeline';
import { blobKeys, type BlobStore } from '@rapport/storage';

export interface SeedSpeaker {
  name: string;
  /** The user this speaker is (confirmed, as after "that's me"); omit for guests. */
  userId?: string;
}

export interface SeededMeeting {
  meetingId: string;
  transcript: Transcript;
  /** Analysis id by user id. */
  analyses: Map<string, string>;
}

/**
 * A finished, analysed meeting written through the repositories the analysis pipeline uses
 * (meetings, speakers, analyses, practice modules), from a deterministic synthetic transcript
 * scored by @rapport/analytics. Test and benchmark data only.
 */
export async function seedAnalysedMeeting(
  ds: DataSource,
  input: {
    ownerId: string;
    title: string;
    speakers: SeedSpeaker[];
    durationSec?: number;
    seed?: number;
    createdAt?: Date;
    /** Analyse this existing meeting (e.g. the one a bot was invited to) instead of creating one. */
    meetingId?: string;
  },
): Promise<SeededMeeting> {
  const base = syntheticMeeting({ speakers: input.speakers.length, durationSec: input.durationSec ?? 900, seed: input.seed ?? 7 });
  const transcript: Transcript = { ...base, speakers: base.speakers.map((s, i) => ({ ...s, name: input.speakers[i]!.name })) };
  const analysis = analyzeTranscript(transcript);
  const meetings = new MeetingsRepository(ds);
  const repo = new AnalysisRepository(ds);
  const duration = Math.round(analysis.meeting.durationSec);
  let meeting: { id: string };
  if (input.meetingId) {
    await ds.query(`UPDATE meetings SET title = $3, duration = $4 WHERE id = $1 AND user_id = $2`, [input.meetingId, input.ownerId, input.title, duration]);
    meeting = { id: input.meetingId };
  } else {
    meeting = await meetings.create(input.ownerId, input.title, duration, input.createdAt);
  }
  const analyses = await repo.transaction(async (m) => {
    await repo.replaceSpeakers(
      m,
      meeting.id,
      { id: input.ownerId, email: '', displayName: null },
      analysis.speakers.map((s, i) => ({ label: transcript.speakers[i]!.id, displayName: s.name, talkTimeSec: s.talkTimeSec })),
    );
    for (const [i, sp] of input.speakers.entries()) {
      if (!sp.userId) continue;
      await m.query(`UPDATE meeting_speakers SET user_id = $3, confirmed = true WHERE meeting_id = $1 AND speaker_label = $2`, [meeting.id, transcript.speakers[i]!.id, sp.userId]);
    }
    const rows = input.speakers.flatMap((sp, i) => {
      const a = analysis.speakers[i]!;
      if (!sp.userId || a.communicationScore === null) return [];
      const { communicationScore, improvementAreas, recommendations, ...metrics } = a;
      return [{ userId: sp.userId, speakerName: sp.name, communicationScore, improvementAreas, recommendations, metrics: { ...metrics } }];
    });
    const ids = await repo.replaceAnalyses(m, meeting.id, rows);
    for (const [i, sp] of input.speakers.entries()) {
      const id = sp.userId && ids.get(sp.userId);
      if (!id || !sp.userId) continue;
      const modules = buildPracticeModules(analysis.speakers[i]!, transcript).map((p) => ({
        moduleType: p.moduleType,
        title: p.title,
        exercises: p.exercises,
        estimatedDuration: Math.max(1, Math.round(p.estimatedDurationMin)),
        difficulty: p.difficulty,
      }));
      await repo.replacePracticeModules(m, id, sp.userId, modules);
    }
    return ids;
  });
  if (input.createdAt) await ds.query(`UPDATE meeting_analyses SET created_at = $2 WHERE meeting_id = $1`, [meeting.id, input.createdAt.toISOString()]);
  return { meetingId: meeting.id, transcript, analyses };
}

/**
 * Stores a meeting's transcript and recording the way the pipeline does: the transcript as
 * envelope-encrypted JSON, the audio chunk-encrypted in the blob store, both under the owner's
 * data key with the pipeline's AAD contexts.
 */
export async function seedArtefacts(
  deps: { ds: DataSource; blobs: BlobStore; keys: DataKeyService },
  input: { ownerId: string; meetingId: string; transcript: Transcript; audio: Buffer; contentType: string; durationSec: number },
): Promise<void> {
  const key = await deps.keys.keyFor(input.ownerId);
  const meetings = new MeetingsRepository(deps.ds);
  await meetings.saveTranscript({ meetingId: input.meetingId, userId: input.ownerId, ciphertext: encryptJson(key, input.transcript, contexts.transcript(input.meetingId)), source: 'seed' });
  const storageKey = blobKeys.recording(input.ownerId, input.meetingId);
  const sealed = encryptChunked(key, input.audio, contexts.recording(input.meetingId));
  await deps.blobs.put(storageKey, sealed);
  await meetings.saveRecording({ meetingId: input.meetingId, userId: input.ownerId, storageKey, contentType: input.contentType, byteSize: String(input.audio.length), durationSec: input.durationSec });
}
