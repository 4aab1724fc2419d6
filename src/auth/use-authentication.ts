import type { IncomingMessage } from 'node:http';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { RequestErrorCode } from '../shared/errors.js';
import type { GatewayContext } from '../shared/gateway-context.js';
import { ANONYMOUS_VIEWER, type Viewer } from '../shared/viewer.js';
import type { Logger } from '../telemetry/index.js';
import { AuthenticationError } from './auth-errors.js';
import type { AuthEvents } from './auth-events.js';
import type { Authenticator } from './authenticator.js';
import { stripIdentityHeaders, type IdentityForwarding } from './identity-forwarding.js';

export interface AuthenticationOptions {
  authenticator: Authenticator;
  identity: IdentityForwarding;
  events: AuthEvents;
  logger: Logger;
  /** false: GraphQL requests without a token get 401. */
  allowAnonymous: boolean;
}

/**
 * The context builder: validates `Authorization: Bearer ...` before the request is parsed, then puts
 * the typed viewer on the GraphQL context. A bad token is answered 401 (RFC 6750 challenge), a
 * malformed header 400, and a token that cannot be checked right now 503: never a 500, and never let
 * through unchecked.
 */
export function useAuthentication(options: AuthenticationOptions): Plugin {
  const { authenticator, identity, events, logger, allowAnonymous } = options;
  // Per-request data lives in a WeakMap keyed by the request (no module-level state).
  const viewers = new WeakMap<Request, Viewer>();

  async function viewerFor(request: Request, serverContext: { req?: IncomingMessage }): Promise<Viewer> {
    // Node keeps only the first of repeated Authorization headers; count them in the raw list.
    const raw = serverContext.req?.rawHeaders;
    if (raw && raw.filter((h, i) => i % 2 === 0 && h.toLowerCase() === 'authorization').length > 1) {
      throw new AuthenticationError('invalid_request', 'several Authorization headers');
    }
    return (await authenticator.authenticate(request.headers.get('authorization') ?? undefined)) ?? ANONYMOUS_VIEWER;
  }

  function refuse(error: AuthenticationError, fetchAPI: { Response: typeof Response }): Response {
    events.emit({ type: 'rejected', reason: error.reason, status: error.status });
    // A 503 is the gateway's problem, not the client's: operators must see it.
    if (error.status === 503) logger.warn({ reason: error.reason, detail: error.detail }, 'bearer token could not be checked; answered 503');
    else logger.debug({ reason: error.reason, detail: error.detail }, 'bearer token rejected');
    const code = error.status === 503 ? RequestErrorCode.AUTH_UNAVAILABLE : RequestErrorCode.UNAUTHENTICATED;
    return errorResponse(fetchAPI, error.status, error.message, code, challenge(error), error.reason);
  }

  return {
    // Every path, not only /graphql: yoga also serves GraphQL on other URLs ending in the endpoint,
    // and stripping client-sent identity headers must not depend on the path. Routes that need no
    // GraphQL (token routes, /readyz) answered before this plugin.
    async onRequest({ request, serverContext, endResponse, fetchAPI }) {
      try {
        stripIdentityHeaders(request.headers);
        const viewer = await viewerFor(request, serverContext as { req?: IncomingMessage });
        if (viewer.authenticated) {
          await identity.prepare(viewer);
          events.emit({ type: 'authenticated', viewer });
        }
        viewers.set(request, viewer);
      } catch (error) {
        if (error instanceof AuthenticationError) return endResponse(refuse(error, fetchAPI));
        // onRequest errors are not caught by yoga: answer here, masked.
        logger.error({ err: error }, 'authentication failed unexpectedly');
        endResponse(errorResponse(fetchAPI, 500, 'Unexpected error.', 'INTERNAL_SERVER_ERROR', {}));
      }
    },
    // Only requests that carry a GraphQL operation need a token when anonymous access is off.
    onParams({ request, setResult }) {
      if (allowAnonymous || viewers.get(request)?.authenticated) return;
      const refusal = new AuthenticationError('missing');
      events.emit({ type: 'rejected', reason: refusal.reason, status: refusal.status });
      // yoga takes the status and headers of the answer from `extensions.http` and does not send that field.
      const http = { status: 401, headers: challenge(refusal) };
      setResult({ errors: [createGraphQLError(refusal.message, { extensions: { code: RequestErrorCode.UNAUTHENTICATED, reason: refusal.reason, http } })] });
    },
    onContextBuilding({ context, extendContext }) {
      // `viewer` is GatewayContext's field, owned by this module.
      const viewer = viewers.get(context.request);
      if (viewer) extendContext({ viewer } satisfies Partial<GatewayContext> as object);
    },
  };
}

/** RFC 6750 §3: no error code when credentials are simply absent or of another scheme. */
function challenge(error: AuthenticationError): Record<string, string> {
  if (error.status === 503) return { 'retry-after': '1' };
  if (error.reason === 'missing' || error.reason === 'unsupported_scheme') return { 'www-authenticate': 'Bearer realm="junction"' };
  const code = error.status === 400 ? 'invalid_request' : 'invalid_token';
  return { 'www-authenticate': `Bearer realm="junction", error="${code}", error_description="${error.message}"` };
}

function errorResponse(
  fetchAPI: { Response: typeof Response },
  status: number,
  message: string,
  code: string,
  headers: Record<string, string>,
  reason?: string,
): Response {
  return new fetchAPI.Response(JSON.stringify(body(message, code, reason)), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } });
}

function body(message: string, code: string, reason?: string) {
  return { errors: [{ message, extensions: { code, ...(reason ? { reason } : {}) } }] };
}
