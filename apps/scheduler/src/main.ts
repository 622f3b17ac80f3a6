import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@rapport/config';
import { SchedulerModule } from './scheduler.module';

/** The scheduler: repeatable jobs (retention purge, token cleanup); later, bot dispatch. */
async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const app = await NestFactory.create(SchedulerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.SCHEDULER_PORT, '0.0.0.0');
}

void bootstrap();
