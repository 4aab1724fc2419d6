import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a service received through the proxy. */
export interface RecordedRequest {
  method: string;
  /** Path and query string. */
  url: string;
  body: string;
}

export interface RecordingProxy extends AsyncDisposable {
  url: string;
  received: RecordedRequest[];
  /** GraphQL query texts received (POST bodies with a `query`). */
  queries(): string[];
  reset(): void;
}

/**
 * A real HTTP hop in front of a service that writes down every request it forwards, so tests can
 * assert what a service was asked for (and that it was not asked at all).
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const received: RecordedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '/';
    if (url !== '/healthz') received.push({ method: req.method ?? 'GET', url, body });
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
    try {
      const answer = await fetch(new URL(url, target), { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body });
      const text = await answer.text();
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(text);
    } catch {
      res.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    queries: () => received.flatMap((r) => {
      try {
        const parsed = JSON.parse(r.body) as { query?: string };
        return parsed.query ? [parsed.query] : [];
      } catch {
        return [];
      }
    }),
    reset: () => void received.splice(0),
    [Symbol.asyncDispose]: close,
  };
}
