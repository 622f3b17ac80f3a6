import { Inject, Logger, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { repoRoot } from '@rapport/common';
import type { AppConfig } from '@rapport/config';
import { APP_CONFIG } from '@rapport/core';

const decodeSafe = (p: string): string => {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
};

/** Paths the API answers itself; the dashboard never shadows them. */
const API_PREFIXES = ['/api/', '/graphql', '/health', '/metrics', '/admin/'];

/**
 * Serves the dashboard's static export (apps/web/out, built by `npm run build:web`) from the
 * API's own port: one origin, so no CORS and no proxy, and `rapport start` serves it with no
 * extra process. Pages are `name.html` (Next's export without trailing slashes); unknown paths
 * get the export's 404 page. Not behind the auth guard: the pages are public code, the data
 * they load is not.
 */
@Module({})
export class WebAppModule implements NestModule {
  private readonly logger = new Logger('WebApp');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    if (!this.config.WEB_DIR) return;
    const dir = resolve(repoRoot(), this.config.WEB_DIR);
    if (!existsSync(join(dir, 'index.html'))) {
      this.logger.warn(`No dashboard at ${dir} (run npm run build:web); serving the API only`);
      return;
    }
    const files = express.static(dir, { extensions: ['html'], index: 'index.html', maxAge: 0, redirect: false });
    const assets = express.static(join(dir, '_next'), { immutable: true, maxAge: '365d' });
    const notFound = join(dir, '404.html');
    const serve = (req: Request, res: Response, next: NextFunction) => {
      // Nest mounts middleware on a route, which makes req.url/req.path relative to it: work
      // from the original URL and hand express.static a rebuilt one.
      const url = req.originalUrl;
      const path = url.split('?')[0]!;
      if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PREFIXES.some((p) => path.startsWith(p))) return next();
      if (path.startsWith('/_next/')) {
        req.url = url.slice('/_next'.length);
        // A missing asset is a plain 404 (serve-static's error would name the folder on disk).
        return assets(req, res, () => res.status(404).type('text/plain').send('Not found'));
      }
      req.url = url;
      // A page is `name.html`, but the export also has a `name/` folder (router payloads), which
      // express.static would pick first: serve the page itself for extension-less paths.
      const page = path === '/' ? join(dir, 'index.html') : resolve(dir, `.${decodeSafe(path).replace(/\/$/, '')}.html`);
      if (!extname(path) && page.startsWith(dir + sep) && existsSync(page)) {
        res.setHeader('Cache-Control', 'no-cache');
        return res.sendFile(page);
      }
      files(req, res, () => {
        if (existsSync(notFound) && req.accepts('html')) return res.status(404).sendFile(notFound);
        next();
      });
    };
    consumer.apply(serve).forRoutes('*');
  }
}
