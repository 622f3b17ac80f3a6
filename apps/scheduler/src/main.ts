import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from '@rapport/config';
import { SchedulerModule } from './scheduler.module';

/** The scheduler: repeatable jobs (retention purge, token cleanup); later, bot dispatch. */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await NestFactory.create(SchedulerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.SCHEDULER_PORT, '0.0.0.0');
}

void bootstrap();
