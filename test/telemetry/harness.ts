import { adminTokenGuard } from '../../src/shared/admin-guard.js';
import { PassThrough } from 'node:stream';
import { createYoga, type Plugin } from 'graphql-yoga';
import { createUpstreams } from '../../src/balancing/index.js';
import { resolveConfig, type GatewayConfigInput } from '../../src/config/index.js';
import type { RedisClient } from '../../src/redis/index.js';
import type { GatewayContext } from '../../src/shared/gateway-context.js';
import { ANONYMOUS_VIEWER, type Viewer } from '../../src/shared/viewer.js';
import { createGraphManager } from '../../src/stitching/index.js';
import {
  createLogger, createTelemetry, useFieldUsage, useTelemetry, useTelemetryRoutes, type Telemetry,
} from '../../src/telemetry/index.js';
import { composeUpstreamHeaders } from '../../src/transports/index.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/**
 * Stands in for authentication (issue #3) until it is on main: the viewer comes from `x-test-client`.
 * The integrator replaces this with real tokens from /auth/token.
 */
export function useTestViewer(): Plugin {
  return {
    onContextBuilding({ context, extendContext }) {
      const client = (context as unknown as GatewayContext).request.headers.get('x-test-client');
      if (client) extendContext({ viewer: { authenticated: true, clientId: client, roles: [], scopes: [], tokenKind: 'jwt' } satisfies Viewer } as never);
    },
  };
}

export interface Harness extends AsyncDisposable {
  telemetry: Telemetry;
  /** In-process request (yoga.fetch). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  query(query: string, options?: { client?: string; variables?: Record<string, unknown>; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  logs(): Array<Record<string, any>>;
}

/** The gateway's telemetry wiring (as in create-gateway.ts) with a test viewer plugin before execution. */
export async function startHarness(registry: string, config: GatewayConfigInput = {}, redis?: RedisClient, extraPlugins: Plugin[] = []): Promise<Harness> {
  const lines: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  const logger = createLogger({ level: 'info', destination: stream });
  const resolved = resolveConfig({ ...config, registry, telemetry: { admin: { token: ADMIN_TOKEN }, ...config.telemetry } });
  const telemetry = createTelemetry({ config: resolved.telemetry, logger, redis, currentGraph: () => graphs.store.current() });
  const upstreams = createUpstreams({ observer: telemetry.upstreamObserver });
  const graphs = createGraphManager({ registryDir: registry, upstreams, logger, drainMs: 100, upstreamHeaders: composeUpstreamHeaders([telemetry.upstreamHeaders]) });
  await graphs.start();
  const yoga = createYoga({
    schema: () => graphs.store.current()!.schema,
    context: ({ request }): GatewayContext => ({ viewer: ANONYMOUS_VIEWER, request }),
    logging: false,
    graphiql: false,
    plugins: [
      useTelemetry({ telemetry }),
      useTelemetryRoutes({ telemetry, guard: adminTokenGuard(ADMIN_TOKEN) }),
      useTestViewer(),
      useFieldUsage({ telemetry }),
      ...extraPlugins,
    ],
  });
  const fetchIn = (path: string, init?: RequestInit) => Promise.resolve((yoga.fetch as (url: string, init?: RequestInit) => Promise<Response>)(`http://gateway.test${path}`, init));
  return {
    telemetry,
    fetch: fetchIn,
    async query(query, { client, variables, headers = {} } = {}) {
      const res = await fetchIn('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(client ? { 'x-test-client': client } : {}), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: await res.json() };
    },
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, any>),
    [Symbol.asyncDispose]: async () => {
      await yoga.dispose();
      await graphs.close();
      await upstreams.close();
      await telemetry.close();
    },
  };
}

/** Admin GET of the usage report. */
export async function usageReport(fetchFn: (path: string, init?: RequestInit) => Promise<Response>, query = ''): Promise<any> {
  const res = await fetchFn(`/admin/usage${query}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (res.status !== 200) throw new Error(`usage report: ${res.status} ${await res.text()}`);
  return res.json();
}
