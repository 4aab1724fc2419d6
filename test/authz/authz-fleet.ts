import type { GatewayConfigInput } from '../../src/config/index.js';
import type { RunningMock } from '../../services-mock/mock-server.js';
import demoPolicies from '../../services-mock/demo-policies.js';
import { basic, login, postForm } from '../auth/auth-helpers.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { startMocks, type MockFleet } from '../helpers/mocks.js';
import { demoRegistryFor, type TempRegistry } from '../helpers/registry.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';

export type Who = 'anonymous' | 'alice' | 'bob' | 'client';
export type TokenKind = 'jwt' | 'opaque';

/** The demo graph (directives and policies as `npm start` runs it), each service behind a recording proxy. */
export interface AuthzFleet extends AsyncDisposable {
  mocks: MockFleet;
  /** What each service was asked for, by service name. */
  proxies: Record<string, RecordingProxy>;
  registry: TempRegistry;
  gw: RunningGateway;
  /** A fresh access token: alice (admin) and bob (customer) log in; `client` is inventory-service (client credentials). */
  token(who: Exclude<Who, 'anonymous'>, kind: TokenKind): Promise<string>;
  /** POSTs a query as `who` (a token of `kind`; tokens are cached per who and kind). */
  query(who: Who, query: string, variables?: Record<string, unknown>, kind?: TokenKind): Promise<{ status: number; body: any }>;
  resetRecords(): void;
}

const SERVICES = ['users', 'products', 'reviews', 'orders', 'inventory'] as const;

export async function startAuthzFleet(config: Partial<GatewayConfigInput> = {}): Promise<AuthzFleet> {
  const mocks = await startMocks({ users: 1, products: 1, reviews: 1, orders: 1, inventory: 1, auth: 1 });
  const proxies: Record<string, RecordingProxy> = {};
  for (const name of SERVICES) proxies[name] = await startRecordingProxy(mocks[name]![0]!.url);
  const registry = await demoRegistryFor(Object.fromEntries(SERVICES.map((name) => [name, [{ url: proxies[name]!.url } as RunningMock]])));
  const gw = await startGateway({
    registry: registry.dir,
    ...config,
    auth: { authService: { url: mocks.auth![0]!.url }, ...config.auth },
    authz: { policies: demoPolicies, ...config.authz },
  });
  const tokens = new Map<string, Promise<string>>();
  const token = async (who: Exclude<Who, 'anonymous'>, kind: TokenKind) => {
    if (who === 'client') {
      const res = await postForm(`${gw.url}/auth/token`, { grant_type: 'client_credentials', token_format: kind }, { authorization: basic('inventory-service', 'inventory-secret') });
      if (res.status !== 200) throw new Error(`client login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.access_token as string;
    }
    const password = who === 'alice' ? 'wonderland' : 'builder';
    return (await login(gw.url, who, password, { token_format: kind })).access_token;
  };
  const cached = (who: Exclude<Who, 'anonymous'>, kind: TokenKind) => {
    const key = `${who}:${kind}`;
    if (!tokens.has(key)) tokens.set(key, token(who, kind));
    return tokens.get(key)!;
  };
  return {
    mocks,
    proxies,
    registry,
    gw,
    token,
    async query(who, query, variables, kind = 'jwt') {
      const headers: Record<string, string> = who === 'anonymous' ? {} : { authorization: `Bearer ${await cached(who, kind)}` };
      return gw.query(query, variables, headers);
    },
    resetRecords() {
      for (const proxy of Object.values(proxies)) proxy.reset();
    },
    async [Symbol.asyncDispose]() {
      await gw[Symbol.asyncDispose]();
      await Promise.all([mocks[Symbol.asyncDispose](), registry[Symbol.asyncDispose](), ...Object.values(proxies).map((p) => p[Symbol.asyncDispose]())]);
    },
  };
}
