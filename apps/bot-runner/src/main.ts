import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@rapport/config';
import { BotRunnerModule } from './bot-runner.module';

/** The bot runner pool: consumes `bot.run` jobs and runs each bot as its own child process. */
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
  const app = await NestFactory.create(BotRunnerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.BOT_RUNNER_PORT, '0.0.0.0');
}

void bootstrap();
