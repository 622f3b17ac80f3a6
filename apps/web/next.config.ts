import type { NextConfig } from 'next';
import { join } from 'node:path';

/**
 * The dashboard is a static export (out/): every page is a client component that talks to the
 * API over HTTP (GraphQL for reads, REST for actions). The API serves out/ on its own port
 * (apps/api/src/web-app), so one origin, no proxy, no extra process. `next dev` proxies
 * /api and /graphql to the API instead.
 */
const api = process.env.RAPPORT_API_URL ?? 'http://127.0.0.1:3000';
const dev = process.env.NODE_ENV === 'development';

const config: NextConfig = {
  output: dev ? undefined : 'export',
  images: { unoptimized: true },
  reactStrictMode: true,
  poweredByHeader: false,
  turbopack: { root: join(__dirname, '../..') },
  outputFileTracingRoot: join(__dirname, '../..'),
  ...(dev
    ? {
        async rewrites() {
          return [
            { source: '/api/:path*', destination: `${api}/api/:path*` },
            { source: '/graphql', destination: `${api}/graphql` },
          ];
        },
      }
    : {}),
};

export default config;
