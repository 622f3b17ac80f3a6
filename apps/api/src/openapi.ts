import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@rapport/config';
import { ApiModule } from './app.module';
import { buildOpenApi } from './app.factory';

/**
 * Prints the OpenAPI document without connecting to anything (Nest preview mode), so
 * `npm run openapi` refreshes docs/openapi.json on any machine; a test checks it for drift.
 */
async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, JWT_SECRET: 'x'.repeat(32), MASTER_KEYS: `k:${Buffer.alloc(32).toString('base64')}`, LOG_LEVEL: 'silent' });
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), { preview: true, logger: false, abortOnError: false });
  process.stdout.write(`${JSON.stringify(buildOpenApi(app), null, 2)}\n`);
  await app.close();
}

void main();
