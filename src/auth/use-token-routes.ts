import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../telemetry/index.js';
import { OAuthError } from './auth-errors.js';
import type { AuthEvents } from './auth-events.js';
import type { KeyRing } from './signing-keys.js';
import type { TokenAdmin } from './token-admin.js';
import type { TokenGrants } from './token-grants.js';
import { readTokenRequest, type TokenRequest } from './token-request.js';

export interface TokenRoutesOptions {
  grants: TokenGrants;
  admin: TokenAdmin;
  keyRing: KeyRing;
  events: AuthEvents;
  logger: Logger;
  /** Read the client IP from the last X-Forwarded-For entry. */
  trustProxy: boolean;
}

type Route = (request: TokenRequest) => Promise<{ status: number; body?: unknown }>;

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/**
 * The OAuth routes: `POST /auth/token`, `/auth/revoke`, `/auth/introspect`, `/auth/sessions/update`,
 * `/auth/sessions/revoke` and `GET /.well-known/jwks.json`. They answer before any GraphQL work.
 */
export function useTokenRoutes({ grants, admin, keyRing, events, logger, trustProxy }: TokenRoutesOptions): Plugin {
  const routes: Record<string, Route> = {
    '/auth/token': async (request) => ({ status: 200, body: await grants(request) }),
    '/auth/revoke': async (request) => {
      await admin.revoke(request);
      return { status: 200 };
    },
    '/auth/introspect': async (request) => ({ status: 200, body: await admin.introspect(request) }),
    '/auth/sessions/update': async (request) => ({ status: 200, body: await admin.updateSessions(request) }),
    '/auth/sessions/revoke': async (request) => ({ status: 200, body: await admin.revokeSessions(request) }),
  };
  const jwks = JSON.stringify(keyRing.jwks);

  return {
    async onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        new fetchAPI.Response(body === undefined ? null : JSON.stringify(body), {
          status,
          headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...NO_STORE, ...headers },
        });
      if (url.pathname === '/.well-known/jwks.json') {
        if (request.method !== 'GET' && request.method !== 'HEAD') return endResponse(json(405, { error: 'invalid_request', error_description: 'Use GET' }, { allow: 'GET' }));
        // Services cache the keys for a while; rotation keeps the old key published for longer than that.
        return endResponse(new fetchAPI.Response(jwks, { headers: { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=300' } }));
      }
      const route = routes[url.pathname];
      if (!route) return;
      if (request.method !== 'POST') return endResponse(json(405, { error: 'invalid_request', error_description: 'Use POST' }, { allow: 'POST' }));
      let grant: string | undefined;
      try {
        const parsed = await readTokenRequest(request, clientIp(request, serverContext as { req?: IncomingMessage }, trustProxy));
        grant = url.pathname === '/auth/token' ? parsed.params['grant_type'] : undefined;
        const { status, body } = await route(parsed);
        endResponse(json(status, body));
      } catch (error) {
        if (error instanceof OAuthError) {
          events.emit({ type: 'token_refused', grant, error: error.error });
          endResponse(json(error.status, { error: error.error, error_description: error.description }, error.headers));
          return;
        }
        logger.error({ err: error, path: url.pathname }, 'token route failed');
        endResponse(json(500, { error: 'server_error', error_description: 'Unexpected error' }));
      }
    },
  };
}

function clientIp(request: Request, serverContext: { req?: IncomingMessage }, trustProxy: boolean): string {
  if (trustProxy) {
    const last = request.headers.get('x-forwarded-for')?.split(',').pop()?.trim();
    if (last) return last;
  }
  return serverContext.req?.socket?.remoteAddress ?? 'unknown';
}
