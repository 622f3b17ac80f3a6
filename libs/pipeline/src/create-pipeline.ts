import Bull from 'bull';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@rapport/config';
import { DataKeyService, createKeyProvider } from '@rapport/crypto';
import { AnalysisRepository, PipelineRunsRepository, UserKeysRepository, UsersRepository, createDataSource } from '@rapport/database';
import { QUEUES, bullOptions } from '@rapport/queue';
import { createBlobStore, type BlobStore } from '@rapport/storage';
import { createTranscriber, type TranscriberTuning } from '@rapport/transcription';
import { AnalysisPipeline, type PipelineLogger, type ReportReadyEmails } from './analysis-pipeline';
import { AnalysisQueue } from './analysis-queue';
import { OpenAiRefiner, type RecommendationRefiner } from './refine';

/** The LLM refiner when OPENAI_API_KEY and OPENAI_ANALYSIS_MODEL are set, else null. */
export function createRefiner(config: AppConfig, log?: PipelineLogger): RecommendationRefiner | null {
  if (!config.OPENAI_API_KEY || !config.OPENAI_ANALYSIS_MODEL) return null;
  return new OpenAiRefiner({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL, model: config.OPENAI_ANALYSIS_MODEL }, (err) =>
    log?.warn({ err }, 'LLM refinement failed; the deterministic recommendations stand'),
  );
}

/** Wires the pipeline from already-made infrastructure (the Nest worker passes its own). */
export function buildPipeline(
  config: AppConfig,
  infra: { ds: DataSource; blobs: BlobStore; keys: DataKeyService; queue: AnalysisQueue; log?: PipelineLogger; emails?: ReportReadyEmails | null },
  tuning: TranscriberTuning = {},
): AnalysisPipeline {
  return new AnalysisPipeline({
    analysis: new AnalysisRepository(infra.ds),
    runs: new PipelineRunsRepository(infra.ds),
    users: new UsersRepository(infra.ds),
    blobs: infra.blobs,
    keys: infra.keys,
    queue: infra.queue,
    transcriber: createTranscriber(config, tuning),
    refiner: createRefiner(config, infra.log),
    chunkSec: config.TRANSCRIPTION_CHUNK_SEC,
    ...(infra.log ? { log: infra.log } : {}),
    emails: infra.emails ?? null,
  });
}

export interface StandalonePipeline {
  pipeline: AnalysisPipeline;
  queue: AnalysisQueue;
  ds: DataSource;
  blobs: BlobStore;
  keys: DataKeyService;
  /** Starts consuming the analysis queue with this many jobs at once. */
  work(concurrency: number): void;
  close(): Promise<void>;
}

/**
 * The pipeline without Nest: its own DataSource, Bull queue, blob store and key service from the
 * config. Used by benchmarks (several worker processes) and tests; the worker app uses DI.
 */
export async function createStandalonePipeline(
  config: AppConfig,
  opts: { log?: PipelineLogger; tuning?: TranscriberTuning; emails?: ReportReadyEmails | null } = {},
): Promise<StandalonePipeline> {
  const ds = await createDataSource({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }).initialize();
  const bull = new Bull(QUEUES.analysis, bullOptions(config));
  const queue = new AnalysisQueue(bull, config.ANALYSIS_RETRY_BASE_MS);
  const blobs = createBlobStore(config);
  const keys = new DataKeyService(createKeyProvider(config), new UserKeysRepository(ds));
  const pipeline = buildPipeline(config, { ds, blobs, keys, queue, ...(opts.log ? { log: opts.log } : {}), emails: opts.emails ?? null }, opts.tuning ?? {});
  return {
    pipeline,
    queue,
    ds,
    blobs,
    keys,
    work(concurrency) {
      void bull.process('*', concurrency, (job) => pipeline.handle(job));
    },
    async close() {
      await bull.close();
      await ds.destroy();
    },
  };
}
