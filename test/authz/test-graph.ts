import type { IResolvers } from '@graphql-tools/utils';
import type { GatewayConfigInput } from '../../src/config/index.js';
import { startMockServer, type RequestHandler, type RunningMock } from '../../services-mock/mock-server.js';
import { createGraphQLHandler } from '../../services-mock/services/graphql-handler.js';
import { goodClaims, keyDir, sign, type KeyDir } from '../auth/auth-helpers.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { tempRegistry, type TempRegistry } from '../helpers/registry.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';

export interface ServiceSpec {
  /** The registered SDL (with directives); the service itself is served without them. */
  sdl: string;
  /** The SDL the service itself serves; defaults to `sdl` without the gateway's directives. */
  serviceSdl?: string;
  resolvers?: IResolvers;
  kind?: 'graphql' | 'federation';
  /** A hand-written service (e.g. a federation subgraph built with @apollo/subgraph). */
  handler?: RequestHandler;
}

/** Claims of a test token: who the viewer is. */
export interface ViewerClaims {
  sub?: string;
  roles?: string[];
  scope?: string;
}

export interface TestGraph extends AsyncDisposable {
  gw: RunningGateway;
  registry: TempRegistry;
  proxies: Record<string, RecordingProxy>;
  /** Queries as a viewer holding a gateway-signed JWT with these claims; anonymous without claims. */
  query(query: string, viewer?: ViewerClaims, variables?: Record<string, unknown>): Promise<{ status: number; body: any }>;
  resetRecords(): void;
}

const GATEWAY_DIRECTIVES = /@(authenticated|requiresScopes|hasRole|policy)(\([^)]*\))?/g;

/** Real services (yoga on port 0, each behind a recording proxy), a registry for them and a gateway whose JWT key the test holds. */
export async function startTestGraph(services: Record<string, ServiceSpec>, config: Partial<GatewayConfigInput> = {}): Promise<TestGraph> {
  const keys: KeyDir = await keyDir();
  const key = await keys.key('k1');
  const registry = await tempRegistry();
  const mocks: RunningMock[] = [];
  const proxies: Record<string, RecordingProxy> = {};
  for (const [name, spec] of Object.entries(services)) {
    const handler = spec.handler ?? createGraphQLHandler(spec.serviceSdl ?? stripStitching(spec.sdl.replace(GATEWAY_DIRECTIVES, '')), spec.resolvers ?? {});
    const mock = await startMockServer(name, handler);
    mocks.push(mock);
    proxies[name] = await startRecordingProxy(mock.url);
    await registry.write(`${name}/service.yaml`, `name: ${name}\nkind: ${spec.kind ?? 'graphql'}\nendpoints:\n  - url: ${proxies[name]!.url}/graphql\n`);
    await registry.write(`${name}/schema.graphql`, spec.sdl);
  }
  const gw = await startGateway({ registry: registry.dir, ...config, auth: { jwt: { keys: [{ kid: 'k1', privateKeyFile: key.privateFile }] }, ...config.auth } });
  return {
    gw,
    registry,
    proxies,
    async query(query, viewer, variables) {
      const headers: Record<string, string> = {};
      if (viewer) {
        const claims = goodClaims({ sub: viewer.sub, roles: viewer.roles ?? [], scope: viewer.scope ?? '' });
        if (viewer.sub === undefined) delete claims['sub'];
        headers['authorization'] = `Bearer ${await sign(key.privateKey, { alg: 'ES256', kid: 'k1', typ: 'at+jwt' }, claims)}`;
      }
      return gw.query(query, variables, headers);
    },
    resetRecords() {
      for (const proxy of Object.values(proxies)) proxy.reset();
    },
    async [Symbol.asyncDispose]() {
      await gw[Symbol.asyncDispose]();
      await Promise.all([...mocks.map((m) => m.close()), ...Object.values(proxies).map((p) => p[Symbol.asyncDispose]()), registry[Symbol.asyncDispose](), keys[Symbol.asyncDispose]()]);
    },
  };
}

/** The stitching directives are the gateway's business too: a service's own schema has none. */
function stripStitching(sdl: string): string {
  return sdl.replace(/@(key|merge|canonical|computed)(\([^)]*\))?/g, '');
}
