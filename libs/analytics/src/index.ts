/**
 * @rapport/analytics — communication metrics, score, improvement areas, recommendations and
 * practice modules from a diarized transcript. Pure TypeScript: no Nest, no database, no I/O
 * except `loadAmiMeeting`. Definitions: docs/metrics.md; score: docs/scoring.md.
 *
 *   const t = parseTranscript(json);          // validate (AppError 'bad_request' naming the field)
 *   const analysis = analyzeTranscript(t);    // { meeting, speakers: [...metrics, score, areas, recs] }
 *   const modules = buildPracticeModules(analysis.speakers[0], t);
 */
export { parseTranscript, transcriptSchema, formatPath } from './transcript';
export type { Transcript, Speaker, SpeakerRole, Utterance, Word } from './transcript';
export { computeMetrics, gini, median } from './metrics';
export type { MeetingMetrics, SpeakerMetrics, TranscriptMetrics } from './metrics';
export { scoreSpeaker, applyCurve, expectedShare, WEIGHTS } from './scoring';
export type { ScoreBreakdown, ScoreComponent, ScoreComponentKey, ScoringContext } from './scoring';
export { analyzeTranscript, scoringContext } from './analyze';
export type { SpeakerAnalysis, TranscriptAnalysis } from './analyze';
export type { Excerpt, ImprovementArea, ImprovementAreaKey, Severity } from './improvement-areas';
export { buildPracticeModules } from './practice';
export type { Difficulty, ExerciseKind, PracticeExercise, PracticeModule, PracticeModuleType } from './practice';
export { tokenize, findFillers, countQuestions, markFillers } from './text';
export { amiToTranscript, loadAmiMeeting } from './ami';
export type { AmiMeetingFiles } from './ami';
export {
  FLOOR_TAKING_MIN_SEC,
  INTERRUPTION_MIN_OVERLAP_SEC,
  MONOLOGUE_MAX_PAUSE_SEC,
} from './timeline';
export { syntheticMeeting } from './synthetic';
export type { SyntheticOptions } from './synthetic';
