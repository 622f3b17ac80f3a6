import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '@rapport/config';
import { ApiModule } from './app.module';
import { AppExceptionFilter } from './common/app-exception.filter';
import { createValidationPipe } from './common/validation';

export const BODY_LIMIT = '1mb';

/** Builds the API application (used by main.ts and by the integration tests). */
export async function createApiApp(config: AppConfig, opts: { bufferLogs?: boolean } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: opts.bufferLogs ?? true,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.TRUST_PROXY);
  app.disable('x-powered-by');
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT }));
  const filter = new AppExceptionFilter();
  // body-parser errors happen before Nest's pipeline; render them through the same filter.
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    filter.catch(err, { getType: () => 'http', switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as never);
  });
  app.useGlobalFilters(filter);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const document = buildOpenApi(app);
  SwaggerModule.setup('api/docs', app, () => document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

export function buildOpenApi(app: NestExpressApplication): OpenAPIObject {
  const cfg = new DocumentBuilder()
    .setTitle('Rapport API')
    .setDescription('Meeting bots and communication coaching. Errors are `{ code, message, requestId }`.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, cfg);
}
