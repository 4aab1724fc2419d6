import { PassThrough } from 'node:stream';
import { createGateway, type Gateway } from '../../src/index.js';
import type { GatewayConfigInput } from '../../src/config/index.js';
import { createLogger } from '../../src/telemetry/index.js';

export interface RunningGateway extends AsyncDisposable {
  gateway: Gateway;
  url: string;
  /** Log lines written so far, parsed. */
  logs(): Array<Record<string, unknown>>;
  /** POST a GraphQL request; returns status and parsed body. */
  query(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
}

/** A real gateway listening on 127.0.0.1:0, logging into memory. */
export async function startGateway(config: GatewayConfigInput & { registry: string }): Promise<RunningGateway> {
  const lines: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  const logger = createLogger({ level: 'debug', destination: stream });
  const gateway = await createGateway({
    config: { ...config, server: { host: '127.0.0.1', port: 0, ...config.server }, reload: { enabled: false, ...config.reload } },
    logger,
  });
  const server = await gateway.listen();
  return {
    gateway,
    url: server.url,
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    async query(query, variables, headers = {}) {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      return { status: res.status, body };
    },
    [Symbol.asyncDispose]: () => gateway.close(),
  };
}
