import 'reflect-metadata';
import { loadConfig, ConfigError } from '@rapport/config';
import { createApiApp } from './app.factory';

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
  const app = await createApiApp(config);
  await app.listen(config.PORT, '0.0.0.0');
}

void bootstrap();
