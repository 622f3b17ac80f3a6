import type { Job } from 'bull';
import {
  analyzeTranscript,
  buildPracticeModules,
  computeMetrics,
  parseTranscript,
  type MeetingMetrics,
  type SpeakerAnalysis,
  type SpeakerMetrics,
  type Transcript,
} from '@rapport/analytics';
import { decryptJson, encryptJson, type DataKeyService } from '@rapport/crypto';
import type { AnalysisInput, AnalysisRepository, MeetingEntity, PipelineRunEntity, PipelineRunsRepository, PipelineStep, UsersRepository } from '@rapport/database';
import { ANALYSIS_JOBS, type AnalysisJobs, type AnalysisStepPayload } from '@rapport/queue';
import { blobKeys, type BlobStore } from '@rapport/storage';
import { transcribeMeeting, type AudioTranscriber } from '@rapport/transcription';
import { JOB_STEP, type AnalysisQueue } from './analysis-queue';
import { MeetingArtifacts, contexts } from './artifacts';
import { PipelineError, classifyError } from './errors';
import type { RecommendationRefiner } from './refine';

export interface PipelineLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface PipelineDeps {
  analysis: AnalysisRepository;
  runs: PipelineRunsRepository;
  users: UsersRepository;
  blobs: BlobStore;
  keys: DataKeyService;
  queue: AnalysisQueue;
  /** null: the platform captions are the transcript source. */
  transcriber: AudioTranscriber | null;
  /** null: no LLM refinement (no OPENAI_API_KEY). */
  refiner: RecommendationRefiner | null;
  chunkSec: number;
  log?: PipelineLogger;
  /** Queues "your report is ready" emails; absent without SMTP (notifications stay in the app). */
  emails?: ReportReadyEmails | null;
}

export interface ReportReadyEmails {
  reportReady(userId: string, meetingId: string): Promise<void>;
}

/** Stored in meeting_analyses.metrics: everything needed to rebuild the SpeakerAnalysis. */
interface StoredMetrics extends SpeakerMetrics {
  speakerLabel: string;
  meeting: MeetingMetrics;
  transcriptSource: string;
  deterministicRecommendations: string[];
  refinedBy: string | null;
}

/** The step after each step; null after the last. */
export const NEXT_STEP: Readonly<Record<PipelineStep, PipelineStep | null>> = {
  finalize: 'transcribe',
  transcribe: 'analyze',
  analyze: 'practice',
  practice: 'notify',
  notify: null,
};

const silent: PipelineLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The analysis pipeline's use cases, one per step, plus the job handler that runs them with
 * the retry-or-fail policy. Every step reads its inputs from the database and storage (the DB is
 * the truth, the job only names the run) and replaces its output in one transaction, so running
 * a step twice leaves the same rows as running it once.
 */
export class AnalysisPipeline {
  private readonly artifacts: MeetingArtifacts;
  private readonly log: PipelineLogger;

  constructor(private readonly d: PipelineDeps) {
    this.artifacts = new MeetingArtifacts(d.blobs, d.keys);
    this.log = d.log ?? silent;
  }

  /** Bull handler for every job on the analysis queue. */
  async handle(job: Job): Promise<unknown> {
    if (job.name === ANALYSIS_JOBS['meeting.process']) return this.handleProcess(job as Job<AnalysisJobs['meeting.process']>);
    const step = JOB_STEP[job.name];
    if (!step) {
      await job.discard();
      throw new PipelineError('unknown_job', `No handler for job "${job.name}" on the analysis queue`, true);
    }
    return this.handleStep(job as Job<AnalysisStepPayload>, step);
  }

  private async handleProcess(job: Job<AnalysisJobs['meeting.process']>): Promise<{ runId: string }> {
    try {
      const meeting = await this.d.analysis.meetingById(job.data.meetingId);
      if (!meeting) throw new PipelineError('meeting_not_found', `Meeting ${job.data.meetingId} does not exist (deleted?)`, true);
      const run = await this.d.runs.start({
        meetingId: meeting.id,
        userId: meeting.userId,
        botId: job.data.botId,
        reason: job.data.reason,
        retranscribe: job.data.retranscribe ?? false,
        triggerJobId: `${job.queue.name}:${String(job.id)}`,
      });
      await this.d.queue.enqueueStep('finalize', { runId: run.id, meetingId: meeting.id });
      this.log.info({ meetingId: meeting.id, runId: run.id, reason: job.data.reason }, 'analysis run started');
      return { runId: run.id };
    } catch (err) {
      const c = classifyError(err);
      if (c.permanent) await job.discard();
      this.log.warn({ meetingId: job.data.meetingId, code: c.code, permanent: c.permanent, err }, 'meeting.process failed');
      throw err;
    }
  }

  private async handleStep(job: Job<AnalysisStepPayload>, step: PipelineStep): Promise<{ step: PipelineStep; next: PipelineStep | null } | { skipped: string }> {
    const run = await this.d.runs.findById(job.data.runId);
    if (!run) {
      // The meeting (and its runs) were deleted: nothing left to do.
      await job.discard();
      return { skipped: 'run_gone' };
    }
    if (run.status === 'failed' || run.status === 'completed') return { skipped: `run_${run.status}` };
    const attempt = job.attemptsMade + 1;
    await this.d.runs.markRunning(run.id, step, attempt);
    const started = Date.now();
    try {
      await this.runStep(step, run);
      const next = NEXT_STEP[step];
      if (next) await this.d.queue.enqueueStep(next, { runId: run.id, meetingId: run.meetingId });
      else await this.d.runs.complete(run.id);
      this.log.info({ meetingId: run.meetingId, runId: run.id, step, ms: Date.now() - started }, 'analysis step done');
      return { step, next };
    } catch (err) {
      const c = classifyError(err);
      const maxAttempts = job.opts.attempts ?? 1;
      if (c.permanent) {
        await job.discard();
        await this.d.runs.fail(run.id, step, c.code, c.message);
      } else if (attempt >= maxAttempts) {
        await this.d.runs.fail(run.id, step, c.code, `${c.message} (gave up after ${attempt} attempts)`);
      } else {
        await this.d.runs.noteRetry(run.id, c.code, c.message);
      }
      this.log.warn({ meetingId: run.meetingId, runId: run.id, step, attempt, code: c.code, permanent: c.permanent, err }, 'analysis step failed');
      throw err;
    }
  }

  /** Runs one step's use case (exposed for benchmarks and tests that bypass the queue). */
  async runStep(step: PipelineStep, run: PipelineRunEntity): Promise<void> {
    const meeting = await this.d.analysis.meetingById(run.meetingId);
    if (!meeting) throw new PipelineError('meeting_not_found', `Meeting ${run.meetingId} was deleted`, true);
    switch (step) {
      case 'finalize':
        return this.finalize(meeting, run);
      case 'transcribe':
        return this.transcribe(meeting, run);
      case 'analyze':
        return this.analyze(meeting, run);
      case 'practice':
        return this.practice(meeting);
      case 'notify':
        return this.notify(meeting, run);
    }
  }

  /** Checks the stored recording (size, header, first and last chunk authenticate) and records its duration. */
  private async finalize(meeting: MeetingEntity, run: PipelineRunEntity): Promise<void> {
    const rec = await this.d.analysis.recordingOf(meeting.id);
    if (rec) {
      const ok = await this.artifacts.verifyRecording(meeting.userId, rec.storageKey, meeting.id);
      if (!ok) throw new PipelineError('recording_missing', `The recording row points at ${rec.storageKey}, which is not in storage`, true);
      if (rec.durationSec) await this.d.analysis.setMeetingDurationIfUnknown(meeting.id, rec.durationSec);
    }
    const reuse = await this.reusesTranscript(run);
    if (reuse) return;
    if (this.d.transcriber && !rec) throw new PipelineError('recording_missing', `${this.d.transcriber.name} needs the recording, and the meeting has none`, true);
    if (!this.d.transcriber && (await this.d.blobs.size(captionsKey(meeting))) === null) {
      throw new PipelineError('captions_missing', 'Transcription is set to the platform captions, and the bot stored none', true);
    }
  }

  private async reusesTranscript(run: PipelineRunEntity): Promise<boolean> {
    return run.reason === 'reanalyze' && !run.retranscribe && (await this.d.analysis.transcriptOf(run.meetingId)) !== null;
  }

  /** Audio or captions → named-speaker transcript, stored encrypted, with the meeting's speakers. */
  private async transcribe(meeting: MeetingEntity, run: PipelineRunEntity): Promise<void> {
    if (await this.reusesTranscript(run)) {
      const existing = await this.d.analysis.transcriptOf(meeting.id);
      await this.d.runs.setTranscriptSource(run.id, `${existing!.source} (stored)`);
      return;
    }
    const [timeline, captions, rec] = await Promise.all([
      this.artifacts.timeline(meeting.userId, meeting.id),
      this.artifacts.captions(meeting.userId, meeting.id),
      this.d.analysis.recordingOf(meeting.id),
    ]);
    let audio = null;
    if (this.d.transcriber && rec) {
      const data = await this.artifacts.recording(meeting.userId, rec.storageKey, meeting.id);
      if (!data) throw new PipelineError('recording_missing', 'The recording disappeared from storage', true);
      audio = { data, contentType: rec.contentType, durationSec: rec.durationSec };
    }
    const result = await transcribeMeeting({ transcriber: this.d.transcriber, audio, timeline, captions, chunkSec: this.d.chunkSec });
    const transcript = result.transcript;
    if (!transcript.durationSec && (rec?.durationSec || meeting.duration)) transcript.durationSec = rec?.durationSec ?? meeting.duration ?? undefined;
    const talk = new Map(computeMetrics(transcript).speakers.map((s) => [s.id, s.talkTimeSec]));
    const owner = await this.d.users.findById(meeting.userId);
    if (!owner) throw new PipelineError('owner_gone', 'The meeting owner was deleted', true);
    const key = await this.d.keys.keyFor(meeting.userId);
    const ciphertext = encryptJson(key, transcript, contexts.transcript(meeting.id));
    await this.d.analysis.transaction(async (m) => {
      await this.d.analysis.saveTranscript(m, { meetingId: meeting.id, userId: meeting.userId, ciphertext, source: result.source });
      await this.d.analysis.replaceSpeakers(
        m,
        meeting.id,
        { id: owner.id, email: owner.email, displayName: owner.displayName },
        result.speakers.map((s) => ({ label: s.id, displayName: s.name, talkTimeSec: talk.get(s.id) ?? 0 })),
      );
    });
    await this.d.runs.setTranscriptSource(run.id, result.source);
  }

  private async loadTranscript(meeting: MeetingEntity): Promise<{ transcript: Transcript; source: string }> {
    const row = await this.d.analysis.transcriptOf(meeting.id);
    if (!row) throw new PipelineError('transcript_missing', 'No transcript is stored for this meeting', true);
    const key = await this.d.keys.keyFor(meeting.userId);
    return { transcript: parseTranscript(decryptJson<unknown>(key, row.ciphertext, contexts.transcript(meeting.id))), source: row.source };
  }

  /**
   * One analysis per user who is a speaker: confirmed speakers, and the owner's proposed
   * speaker (the owner already holds the whole recording, so nothing leaks). Nobody else's
   * figures are stored under a user.
   */
  private async analyze(meeting: MeetingEntity, run: PipelineRunEntity): Promise<void> {
    const { transcript, source } = await this.loadTranscript(meeting);
    const result = analyzeTranscript(transcript);
    const speakers = await this.d.analysis.listSpeakers(meeting.id);
    const rows: AnalysisInput[] = [];
    for (const sp of speakers) {
      if (!sp.userId || !(sp.confirmed || sp.userId === meeting.userId)) continue;
      const a = result.speakers.find((s) => s.id === sp.speakerLabel);
      if (!a || a.communicationScore === null) continue;
      const refined = this.d.refiner ? await this.d.refiner.refine(a) : null;
      const { communicationScore, improvementAreas, recommendations, ...metrics } = a;
      const stored: StoredMetrics = {
        ...metrics,
        speakerLabel: sp.speakerLabel,
        meeting: result.meeting,
        transcriptSource: source,
        deterministicRecommendations: recommendations,
        refinedBy: refined ? `openai:${refined.model}` : null,
      };
      rows.push({
        userId: sp.userId,
        speakerName: sp.displayName,
        communicationScore: Math.round(communicationScore),
        improvementAreas,
        recommendations: refined?.recommendations ?? recommendations,
        metrics: stored as unknown as Record<string, unknown>,
      });
    }
    await this.d.analysis.transaction((m) => this.d.analysis.replaceAnalyses(m, meeting.id, rows));
    this.log.info({ meetingId: meeting.id, runId: run.id, analyses: rows.length, speakers: speakers.length }, 'analyses stored');
  }

  /** Practice modules from each stored analysis' improvement areas (progress carries over). */
  private async practice(meeting: MeetingEntity): Promise<void> {
    const analyses = await this.d.analysis.analysesOfMeeting(meeting.id);
    if (!analyses.length) return;
    const { transcript } = await this.loadTranscript(meeting);
    await this.d.analysis.transaction(async (m) => {
      for (const row of analyses) {
        const metrics = row.metrics as unknown as StoredMetrics;
        const speaker: SpeakerAnalysis = {
          ...stripStored(metrics),
          communicationScore: row.communicationScore,
          improvementAreas: row.improvementAreas as SpeakerAnalysis['improvementAreas'],
          recommendations: row.recommendations,
        };
        const modules = buildPracticeModules(speaker, transcript);
        await this.d.analysis.replacePracticeModules(
          m,
          row.id,
          row.userId,
          modules.map((p) => ({ moduleType: p.moduleType, title: p.title, exercises: p.exercises, estimatedDuration: Math.max(1, Math.round(p.estimatedDurationMin)), difficulty: p.difficulty })),
        );
      }
    });
  }

  /** A notification per user with an analysis (re-runs refresh it rather than add another). */
  private async notify(meeting: MeetingEntity, run: PipelineRunEntity): Promise<void> {
    const analyses = await this.d.analysis.analysesOfMeeting(meeting.id);
    await this.d.analysis.transaction(async (m) => {
      for (const a of analyses) {
        const modules = await m.query(`SELECT count(*)::int AS n FROM practice_modules WHERE source_analysis_id = $1`, [a.id]);
        await this.d.analysis.upsertNotification(m, {
          userId: a.userId,
          meetingId: meeting.id,
          kind: 'analysis_ready',
          payload: { meetingId: meeting.id, title: meeting.title, communicationScore: a.communicationScore, practiceModules: (modules as Array<{ n: number }>)[0]?.n ?? 0, reason: run.reason },
        });
      }
    });
    // After the commit: the email job reads the notification (sent once, whatever re-runs follow).
    if (this.d.emails) for (const a of analyses) await this.d.emails.reportReady(a.userId, meeting.id);
  }
}

function captionsKey(meeting: MeetingEntity): string {
  return blobKeys.captions(meeting.userId, meeting.id);
}

function stripStored(m: StoredMetrics): SpeakerMetrics {
  const { speakerLabel: _l, meeting: _m, transcriptSource: _s, deterministicRecommendations: _d, refinedBy: _r, ...rest } = m;
  return rest;
}
