import type { Plugin } from 'graphql-yoga';
import type { AuthConfig } from '../config/index.js';
import type { RedisClient } from '../redis/index.js';
import type { Logger } from '../telemetry/index.js';
import type { UpstreamHeadersHook } from '../transports/index.js';
import { createAttemptCounter } from './attempt-counter.js';
import { createAuthEvents, type AuthEventListener } from './auth-events.js';
import { createAuthServiceClient } from './auth-service-client.js';
import { createAuthenticator, type Authenticator } from './authenticator.js';
import { createClientAuth } from './client-auth.js';
import { createIdentityForwarding, stripIdentityHeaders } from './identity-forwarding.js';
import { createJwtIssuer } from './jwt-issuer.js';
import { createJwtVerifier } from './jwt-verifier.js';
import { loadKeyRing, type KeyRing } from './signing-keys.js';
import { createTokenAdmin } from './token-admin.js';
import { createTokenGrants } from './token-grants.js';
import { createTokenMinter } from './token-minter.js';
import { createTokenStore, type TokenStore } from './token-store.js';
import { useAuthentication } from './use-authentication.js';
import { useTokenRoutes } from './use-token-routes.js';

export interface AuthOptions {
  config: AuthConfig;
  /** The shared Redis connection; without it tokens, deny-list and rate limits live in this process. */
  redis?: RedisClient;
  /** `config.redis.keyPrefix` (used for the pub/sub channel). @default "junction:" */
  redisKeyPrefix?: string;
  logger: Logger;
  /** Clock in ms, injectable for tests. @default Date.now */
  now?: () => number;
  /** Where key environment variables are read. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** Authentication as the gateway wires it in. */
export interface Auth extends AsyncDisposable {
  readonly enabled: boolean;
  /** In pipeline order: token routes, then bearer authentication (the context builder). */
  plugins(): Plugin[];
  /** Verified identity for every upstream request (headers and/or an identity JWT). */
  readonly upstreamHeaders: UpstreamHeadersHook | undefined;
  /** Subscribe to authentication events (metrics, audit); returns the unsubscribe function. */
  subscribe(listener: AuthEventListener): () => void;
  /** Validates bearer headers outside the HTTP pipeline (e.g. WebSocket connection params). */
  readonly authenticator?: Authenticator;
  readonly store?: TokenStore;
  readonly keyRing?: KeyRing;
  close(): Promise<void>;
}

/** Builds token issuance and authentication from `config.auth`. */
export async function createAuth(options: AuthOptions): Promise<Auth> {
  const { config, redis, logger: root, now = Date.now } = options;
  const logger = root.child({ module: 'auth' });
  const events = createAuthEvents((error) => logger.error({ err: error }, 'auth event listener threw'));
  if (!config.enabled) {
    logger.info('authentication disabled (auth.enabled: false): every request is anonymous');
    const close = async () => undefined;
    // Even without authentication no client may pose as someone through the identity headers.
    const strip: Plugin = { onRequest: ({ request }) => stripIdentityHeaders(request.headers) };
    return { enabled: false, plugins: () => [strip], upstreamHeaders: undefined, subscribe: events.subscribe, close, [Symbol.asyncDispose]: close };
  }

  const keyRing = await loadKeyRing({ config: config.jwt, logger, env: options.env });
  const store = createTokenStore({ redis, keyPrefix: options.redisKeyPrefix, logger, now });
  const attempts = createAttemptCounter({ redis, now });
  const jwt = createJwtIssuer({
    keyRing,
    issuer: config.issuer,
    audience: config.audience,
    identityAudience: config.forwardIdentity.audience,
    identityTtlSeconds: config.forwardIdentity.ttlSeconds,
  });
  const verifyJwt = createJwtVerifier({
    keyRing,
    issuer: config.issuer,
    audience: config.audience,
    clockToleranceSeconds: config.jwt.clockToleranceSeconds,
    external: config.external,
    now,
  });
  const authenticator = createAuthenticator({
    verifyJwt,
    store,
    maxTokenBytes: config.tokens.maxTokenBytes,
    opaqueCacheMs: config.tokens.opaqueCacheMs,
    jwtCacheSize: config.tokens.jwtCacheSize,
    issuer: config.issuer,
    now,
  });
  const authService = config.authService.url ? createAuthServiceClient({ url: config.authService.url, timeoutMs: config.authService.timeoutMs }) : undefined;
  const clients = createClientAuth({ config, authService, attempts });
  const minter = createTokenMinter({ config, store, jwt, events, now, onSessionRevoked: () => authenticator.forget() });
  const identity = createIdentityForwarding({ mode: config.forwardIdentity.mode, jwt, now, ttlSeconds: config.forwardIdentity.ttlSeconds });
  logger.info(
    { store: store.kind, signingKey: keyRing.signer.kid, algorithm: keyRing.signer.algorithm, externalIssuers: config.external.map((e) => e.issuer), authService: Boolean(authService) },
    'authentication ready',
  );

  const plugins = () => [
    useTokenRoutes({
      grants: createTokenGrants({ config, clients, minter }),
      admin: createTokenAdmin({ config, store, authenticator, clients, events }),
      keyRing,
      events,
      logger,
      trustProxy: config.passwordGrantLimits.trustProxy,
    }),
    useAuthentication({ authenticator, identity, events, logger, allowAnonymous: config.allowAnonymous }),
  ];
  const close = async () => {
    attempts.close();
    await store.close();
  };
  return {
    enabled: true,
    plugins,
    upstreamHeaders: identity.upstreamHeaders,
    subscribe: events.subscribe,
    authenticator,
    store,
    keyRing,
    close,
    [Symbol.asyncDispose]: close,
  };
}
