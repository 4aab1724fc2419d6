import type { Viewer } from '../shared/viewer.js';
import { AuthenticationError, StoreUnavailableError } from './auth-errors.js';
import type { JwtVerifier } from './jwt-verifier.js';
import { hashToken, isOpaqueToken, parseOpaqueToken } from './opaque-tokens.js';
import type { SessionRecord, TokenStore } from './token-store.js';

export interface AuthenticatorOptions {
  verifyJwt: JwtVerifier;
  store: TokenStore;
  maxTokenBytes: number;
  /** See `auth.tokens.opaqueCacheMs`. */
  opaqueCacheMs: number;
  /** See `auth.tokens.jwtCacheSize`. */
  jwtCacheSize: number;
  /** The gateway's `iss`, reported as the issuer of its opaque tokens. */
  issuer: string;
  now: () => number;
}

export interface Authenticator {
  /**
   * The viewer of a bearer token. `authorization` is the Authorization header value(s); undefined
   * when there is none. Throws `AuthenticationError`.
   */
  authenticate(authorization: string | undefined): Promise<Viewer | undefined>;
  /** Validates one token (no header parsing): for introspection. */
  verifyAccessToken(token: string): Promise<Viewer>;
  /** Drops an opaque token (or, without a hash, every token) from this process's lookup cache, after a revocation here. */
  forget(hash?: string): void;
}

/** RFC 6750 b64token. A comma means two Authorization headers were folded into one. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const CACHE_LIMIT = 10_000;

/** Tells JWTs from opaque tokens by their shape and validates each the way its kind needs. */
export function createAuthenticator({ verifyJwt, store, maxTokenBytes, opaqueCacheMs, jwtCacheSize, issuer, now }: AuthenticatorOptions): Authenticator {
  const cache = new Map<string, { viewer: Viewer; until: number }>();
  // A JWT's signature and claims never change, so a verified one is remembered until it expires.
  const verifiedJwts = new Map<string, Viewer>();

  async function verifyJwtCached(token: string): Promise<Viewer> {
    if (jwtCacheSize === 0) return verifyJwt(token);
    const key = hashToken(token);
    const known = verifiedJwts.get(key);
    if (known && (known.expiresAt ?? 0) > now()) return known;
    const viewer = await verifyJwt(token);
    if (verifiedJwts.size >= jwtCacheSize) verifiedJwts.delete(verifiedJwts.keys().next().value!);
    verifiedJwts.set(key, viewer);
    return viewer;
  }

  async function verifyOpaque(token: string): Promise<Viewer> {
    const parsed = parseOpaqueToken(token);
    if (!parsed) throw new AuthenticationError('malformed');
    if (parsed.kind !== 'at') throw new AuthenticationError('wrong_token_type', 'refresh token used as an access token');
    const cached = opaqueCacheMs > 0 ? cache.get(parsed.hash) : undefined;
    if (cached && cached.until > now() && (cached.viewer.expiresAt ?? 0) > now()) return cached.viewer;
    let found;
    try {
      found = await store.findAccess(parsed.sessionId, parsed.hash);
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw new AuthenticationError('store_unavailable', error.detail);
      throw error;
    }
    if (!found) throw new AuthenticationError('inactive');
    const viewer = sessionViewer(found.session, parsed.hash, found.expiresAt, issuer);
    if (opaqueCacheMs > 0) {
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
      cache.set(parsed.hash, { viewer, until: now() + opaqueCacheMs });
    }
    return viewer;
  }

  async function verifyAccessToken(token: string): Promise<Viewer> {
    if (token.length > maxTokenBytes) throw new AuthenticationError('too_large');
    if (isOpaqueToken(token)) return verifyOpaque(token);
    if (!JWT_SHAPE.test(token)) throw new AuthenticationError('malformed');
    const viewer = await verifyJwtCached(token);
    if (viewer.tokenId !== undefined && store.isJwtDenied(viewer.tokenId)) throw new AuthenticationError('revoked');
    return viewer;
  }

  return {
    async authenticate(authorization) {
      if (authorization === undefined || authorization === '') return undefined;
      const space = authorization.indexOf(' ');
      const scheme = space === -1 ? authorization : authorization.slice(0, space);
      if (scheme.toLowerCase() !== 'bearer') throw new AuthenticationError('unsupported_scheme');
      const token = authorization.slice(space + 1).replace(/^ +/, '');
      if (token.length > maxTokenBytes) throw new AuthenticationError('too_large');
      if (space === -1 || !B64TOKEN.test(token)) throw new AuthenticationError('invalid_request');
      return verifyAccessToken(token);
    },
    verifyAccessToken,
    forget: (hash) => (hash === undefined ? cache.clear() : void cache.delete(hash)),
  };
}

/** The viewer of an opaque token: read from its session on every request, so claim changes apply at once. */
export function sessionViewer(session: SessionRecord, tokenHash: string, expiresAt: number, issuer: string): Viewer {
  const { subject, name, roles, scopes, clientId } = session.claims;
  return Object.freeze({
    authenticated: true,
    subject,
    name,
    roles: Object.freeze([...roles]),
    scopes: Object.freeze([...scopes]),
    clientId,
    tokenKind: 'opaque',
    tokenId: tokenHash,
    issuer,
    expiresAt,
  } satisfies Viewer);
}
