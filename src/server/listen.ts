import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListenOptions {
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  host: string;
  port: number;
  shutdownTimeoutMs: number;
}

export interface ListeningServer {
  url: string;
  port: number;
  /** Stops accepting, waits for in-flight requests (at most shutdownTimeoutMs), then closes every socket. */
  close(): Promise<void>;
}

export async function listen({ handler, host, port, shutdownTimeoutMs }: ListenOptions): Promise<ListeningServer> {
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const server = createServer((req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) idle?.();
    });
    handler(req, res);
  });
  // Slow-loris protection: a client must send its headers within 10 s.
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      const drained = new Promise<void>((done) => {
        if (inFlight === 0) done();
        else idle = done;
      });
      const timer = setTimeout(() => server.closeAllConnections(), shutdownTimeoutMs);
      void drained.then(() => {
        clearTimeout(timer);
        server.closeIdleConnections();
      });
    }));
  return { url: `http://${shownHost}:${address.port}`, port: address.port, close };
}
