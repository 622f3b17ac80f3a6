import 'reflect-metadata';
import { loadConfigOrExit } from '@rapport/config';
import { createApiApp } from './app.factory';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApiApp(config);
  await app.listen(config.PORT, '0.0.0.0');
}

void bootstrap();
