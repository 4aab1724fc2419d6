import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
export type FaultMode = 'ok' | 'error' | 'slow' | 'down' | 'garbage';

export interface MockStats {
  service: string;
  /** Requests received outside /__mock. */
  requests: number;
  /** Per method + path (without query), for tests that assert which calls were made. */
  byRoute: Record<string, number>;
  /** `GET /healthz` probes received (not in `requests`). */
  healthChecks: number;
  fault: { mode: FaultMode; ms: number };
}

export interface RunningMock extends AsyncDisposable {
  name: string;
  url: string;
  port: number;
  stats(): MockStats;
  setFault(mode: FaultMode, ms?: number): void;
  resetStats(): void;
  close(): Promise<void>;
}

/**
 * Runs one replica of a demo service with the test hooks every replica has:
 * `GET /healthz` (a health check that obeys the fault mode), `GET /__mock/stats`, `POST /__mock/fault` ({"mode":"ok"|"error"|"slow"|"down"|"garbage","ms":N}).
 * `down` destroys every connection that asks for anything but /__mock, as a dead host would look.
 */
export async function startMockServer(name: string, handler: RequestHandler, port = 0, host = '127.0.0.1'): Promise<RunningMock> {
  let requests = 0;
  let healthChecks = 0;
  let byRoute: Record<string, number> = {};
  let fault: MockStats['fault'] = { mode: 'ok', ms: 0 };
  const sockets = new Set<Socket>();

  const stats = (): MockStats => ({ service: name, requests, byRoute: { ...byRoute }, healthChecks, fault: { ...fault } });

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith('/__mock/')) return void handleControl(path, req, res);
    if (fault.mode === 'down') return void req.socket.destroy();
    // Health checks obey the fault mode like any request, but are counted apart so that tests
    // asserting on service calls do not see the gateway's probes.
    const isHealthCheck = path === '/healthz';
    if (isHealthCheck) healthChecks++;
    else {
      requests++;
      const route = `${req.method} ${path}`;
      byRoute[route] = (byRoute[route] ?? 0) + 1;
    }
    if (fault.mode === 'error') return void sendJson(res, 500, { error: 'injected fault' });
    if (fault.mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('<html>this is not json');
    }
    const run = isHealthCheck
      ? () => sendJson(res, 200, { status: 'ok' })
      : () => Promise.resolve(handler(req, res)).catch(() => sendJson(res, 500, { error: 'mock failure' }));
    if (fault.mode === 'slow') setTimeout(run, fault.ms);
    else void run();
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handleControl(path: string, req: IncomingMessage, res: ServerResponse) {
    if (path === '/__mock/stats' && req.method === 'GET') return sendJson(res, 200, stats());
    if (path === '/__mock/fault' && req.method === 'POST') {
      try {
        const body = JSON.parse(await readBody(req)) as { mode?: FaultMode; ms?: number };
        if (!['ok', 'error', 'slow', 'down', 'garbage'].includes(body.mode ?? '')) throw new Error('bad mode');
        fault = { mode: body.mode!, ms: Number(body.ms ?? 0) };
        return sendJson(res, 200, stats());
      } catch {
        return sendJson(res, 400, { error: 'expected {"mode":"ok"|"error"|"slow"|"down"|"garbage","ms":N}' });
      }
    }
    if (path === '/__mock/reset' && req.method === 'POST') {
      requests = 0;
      byRoute = {};
      return sendJson(res, 200, stats());
    }
    return sendJson(res, 404, { error: 'unknown control route' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  return {
    name,
    port: address.port,
    url: `http://${host}:${address.port}`,
    stats,
    setFault: (mode, ms = 0) => void (fault = { mode, ms }),
    resetStats: () => {
      requests = 0;
      byRoute = {};
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
