import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A scripted failure for the next request(s) to a route: status, body and headers. */
export interface ScriptedError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** Queues failures answered, in order, before the route's normal answer. */
  failNext(route: string, ...errors: ScriptedError[]): void;
  close(): Promise<void>;
}

export type Handler = (req: RecordedRequest, res: ServerResponse, base: string) => void | Promise<void>;

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A tiny HTTP server for vendor fakes: records every request, plays scripted errors first. */
export async function startFakeServer(route: (req: RecordedRequest) => string, handler: Handler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const scripted = new Map<string, ScriptedError[]>();
  let base = '';
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(rec);
      const queue = scripted.get(route(rec));
      const err = queue?.shift();
      if (err) return json(res, err.status, err.body, err.headers);
      Promise.resolve(handler(rec, res, base)).catch((e: unknown) => json(res, 500, { error: String(e) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    failNext(r, ...errors) {
      scripted.set(r, [...(scripted.get(r) ?? []), ...errors]);
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
