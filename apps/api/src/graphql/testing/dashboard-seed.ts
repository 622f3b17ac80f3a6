import type { DataSource } from 'typeorm';
import { analyzeTranscript, buildPracticeModules, syntheticMeeting, type Transcript } from '@rapport/analytics';
import { AnalysisRepository, MeetingsRepository } from '@rapport/database';

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
  input: { ownerId: string; title: string; speakers: SeedSpeaker[]; durationSec?: number; seed?: number; createdAt?: Date },
): Promise<SeededMeeting> {
  const base = syntheticMeeting({ speakers: input.speakers.length, durationSec: input.durationSec ?? 900, seed: input.seed ?? 7 });
  const transcript: Transcript = { ...base, speakers: base.speakers.map((s, i) => ({ ...s, name: input.speakers[i]!.name })) };
  const analysis = analyzeTranscript(transcript);
  const meetings = new MeetingsRepository(ds);
  const repo = new AnalysisRepository(ds);
  const meeting = await meetings.create(input.ownerId, input.title, Math.round(analysis.meeting.durationSec), input.createdAt);
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
