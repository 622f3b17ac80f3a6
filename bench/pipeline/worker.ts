/**
 * One pipeline worker process for the throughput benchmark: the same use cases the worker app
 * runs, without Nest. Config comes from the environment (set by pipeline.bench.ts).
 */
import { loadConfig } from '@rapport/config';
import { createStandalonePipeline } from '@rapport/pipeline';

async function main(): Promise<void> {
  const config = loadConfig();
  const p = await createStandalonePipeline(config);
  p.work(config.ANALYSIS_CONCURRENCY);
  process.send?.({ ready: true });
  const stop = async () => {
    await p.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
}

void main();
