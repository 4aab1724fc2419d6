import { createSchema, createYoga } from 'graphql-yoga';
import { createAuth, type Auth, type AuthEvent } from '../../src/auth/index.js';
import { resolveConfig, type GatewayConfigInput } from '../../src/config/index.js';
import type { GatewayContext } from '../../src/shared/gateway-context.js';
import { ANONYMOUS_VIEWER } from '../../src/shared/viewer.js';
import { createLogger } from '../../src/telemetry/index.js';

/**
 * The auth plugins on a bare yoga server, run in-process through `fetch`, with a clock the test
 * moves. `viewer` returns the context's viewer; `header(name)` what the request still carries.
 */
export async function authInProcess(auth: NonNullable<GatewayConfigInput['auth']>, start = Date.now()) {
  let now = start;
  const events: AuthEvent[] = [];
  const instance: Auth = await createAuth({ config: resolveConfig({ auth }).auth, logger: createLogger({ level: 'silent' }), now: () => now });
  instance.subscribe((e) => events.push(e));
  const yoga = createYoga<object, GatewayContext>({
    schema: createSchema<GatewayContext>({
      typeDefs: /* GraphQL */ `
        type Viewer { authenticated: Boolean! subject: String name: String roles: [String!]! scopes: [String!]! clientId: String tokenKind: String tokenId: String issuer: String expiresAt: Float }
        type Query { viewer: Viewer! header(name: String!): String }
      `,
      resolvers: {
        Query: {
          viewer: (_: unknown, __: unknown, context: GatewayContext) => context.viewer,
          header: (_: unknown, { name }: { name: string }, context: GatewayContext) => context.request.headers.get(name),
        },
      },
    }),
    context: ({ request }) => ({ viewer: ANONYMOUS_VIEWER, request }),
    plugins: instance.plugins(),
    logging: false,
  });
  const json = async (res: Response) => ({ status: res.status, headers: res.headers, body: (await res.text().then((t) => (t ? JSON.parse(t) : undefined))) as any });
  return {
    auth: instance,
    events,
    advance: (ms: number) => void (now += ms),
    now: () => now,
    graphql: async (query: string, headers: Record<string, string> = {}) =>
      json(await yoga.fetch('http://gateway.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) })),
    form: async (path: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
      json(await yoga.fetch(`http://gateway.test${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params).toString() })),
    [Symbol.asyncDispose]: async () => {
      await yoga.dispose();
      await instance.close();
    },
  };
}
