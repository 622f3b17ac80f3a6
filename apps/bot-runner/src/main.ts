import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from '@rapport/config';
import { BotRunnerModule } from './bot-runner.module';

/** The bot runner pool: consumes `bot.run` jobs and runs each bot as its own child process. */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await NestFactory.create(BotRunnerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.BOT_RUNNER_PORT, '0.0.0.0');
}

void bootstrap();
