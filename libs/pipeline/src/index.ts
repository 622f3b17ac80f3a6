/**
 * @rapport/pipeline — the analysis pipeline's use cases without Nest: finalize → transcribe →
 * analyze → practice → notify over Bull, each step idempotent, with one retry-or-fail policy
 * (errors.ts). docs/pipeline.md.
 */
export { AnalysisPipeline, NEXT_STEP } from './analysis-pipeline';
export type { PipelineDeps, PipelineLogger, ReportReadyEmails } from './analysis-pipeline';
export { AnalysisQueue, STEP_JOB, JOB_STEP, stepJobId } from './analysis-queue';
export { PipelineRecovery } from './pipeline-recovery';
export type { RecoveryOptions, RecoveryReport } from './pipeline-recovery';
export { MeetingArtifacts, contexts } from './artifacts';
export { PipelineError, classifyError } from './errors';
export type { ClassifiedError } from './errors';
export { OpenAiRefiner, refinementInput } from './refine';
export type { RecommendationRefiner, Refinement } from './refine';
export { buildPipeline, createRefiner, createStandalonePipeline } from './create-pipeline';
export type { StandalonePipeline } from './create-pipeline';
export { renderScriptedMeeting, seedFinishedMeeting, silentOgg } from './seed';
export type { RenderedMeeting, ScriptLine } from './seed';
