import { Controller, Get, Inject, Module, Res, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type Redis from 'ioredis';
import { Counter, Histogram, collectDefaultMetrics, register } from 'prom-client';
import { REDIS } from './tokens';
import { Public } from './public.decorator';

let defaultsCollected = false;

export const httpRequestDuration = new Histogram({
  name: 'rapport_http_request_duration_seconds',
  help: 'HTTP request duration by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

export const jobsProcessed = new Counter({
  name: 'rapport_jobs_total',
  help: 'Queue jobs processed by queue, job name and outcome',
  labelNames: ['queue', 'job', 'outcome'] as const,
});

@Controller()
class HealthController {
  constructor(
    private readonly ds: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Liveness and readiness: 200 when PostgreSQL and Redis answer, 503 otherwise. */
  @Public()
  @Get('health')
  async health(@Res() res: Response): Promise<void> {
    const check = async (fn: () => Promise<unknown>) => {
      try {
        await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000))]);
        return 'up';
      } catch {
        return 'down';
      }
    };
    const [db, redis] = await Promise.all([check(() => this.ds.query('SELECT 1')), check(() => this.redis.ping())]);
    const ok = db === 'up' && redis === 'up';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', db, redis });
  }

  @Public()
  @Get('metrics')
  async metrics(@Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', register.contentType);
    res.send(await register.metrics());
  }
}

/** /health, /metrics (Prometheus) and HTTP duration metrics for every process. */
@Module({ controllers: [HealthController] })
export class ObservabilityModule implements NestModule {
  constructor() {
    if (!defaultsCollected) {
      collectDefaultMetrics();
      defaultsCollected = true;
    }
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((req: Request, res: Response, next: NextFunction) => {
        const end = httpRequestDuration.startTimer();
        res.on('finish', () => {
          const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
          end({ method: req.method, route: `${req.baseUrl}${route}`, status: String(res.statusCode) });
        });
        next();
      })
      .forRoutes('*path');
  }
}
