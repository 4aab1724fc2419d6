import type { RedisClient } from '../redis/index.js';
import type { Logger } from '../telemetry/index.js';
import { createMemoryTokenStore } from './memory-token-store.js';
import { createRedisTokenStore } from './redis-token-store.js';

/** Who a token speaks for. Copied into every token of a session (JWT claims, opaque lookups). */
export interface TokenClaims {
  /** End user; absent for client-credentials sessions. */
  subject?: string;
  name?: string;
  roles: string[];
  scopes: string[];
  clientId?: string;
}

/** A login session: one grant and every token rotated out of it (the refresh-token "family"). */
export interface SessionRecord {
  id: string;
  claims: TokenClaims;
  grant: 'password' | 'client_credentials';
  /** When the credentials were checked, ms since the epoch. */
  authTime: number;
  /** Absolute end of the session (`auth.tokens.sessionMaxAgeSeconds` after authTime), ms. */
  expiresAt: number;
  /** The client has a secret, so it must authenticate again to use the refresh token. */
  clientConfidential?: boolean;
}

/** An access token as the store records it: an opaque token's hash, or a JWT's id (to deny it later). */
export type AccessHandle = { kind: 'opaque'; hash: string; expiresAt: number } | { kind: 'jwt'; jti: string; expiresAt: number };

export interface RefreshHandle {
  hash: string;
  expiresAt: number;
}

export interface ActiveToken {
  session: SessionRecord;
  expiresAt: number;
}

/** Next tokens of a rotation; their lifetimes are capped by the session's end. */
export interface RotationRequest {
  access: { kind: 'opaque'; hash: string } | { kind: 'jwt'; jti: string };
  refreshHash: string;
  accessTtlMs: number;
  refreshTtlMs: number;
}

export type RotateResult =
  | { status: 'rotated'; session: SessionRecord; accessExpiresAt: number; refreshExpiresAt: number }
  /** The token had already been rotated: the whole session is now revoked (theft detection). */
  | { status: 'reused'; session: SessionRecord }
  /** Unknown, expired, or its session is gone. */
  | { status: 'invalid' };

export type ClaimsPatch = Partial<Pick<TokenClaims, 'name' | 'roles' | 'scopes'>>;

/**
 * Server-side token state: sessions with their opaque tokens and refresh tokens, and the JWT deny-list.
 * Tokens are only ever stored as hashes. Every method may throw `StoreUnavailableError`; callers fail
 * closed. Two implementations: in memory (one process) and Redis (shared by every gateway instance).
 */
export interface TokenStore extends AsyncDisposable {
  readonly kind: 'memory' | 'redis';
  /** Records a new session with its first access token (and refresh token, for user logins). */
  createSession(session: SessionRecord, access: AccessHandle, refresh?: RefreshHandle): Promise<void>;
  /** The session of an active opaque access token. Exactly one store round trip. */
  findAccess(sessionId: string, hash: string): Promise<ActiveToken | undefined>;
  /** The session of an active (not yet rotated) refresh token, for introspection. */
  findRefresh(sessionId: string, hash: string): Promise<ActiveToken | undefined>;
  /** Atomically retires a refresh token and records its successors. */
  rotateRefresh(sessionId: string, refreshHash: string, next: RotationRequest): Promise<RotateResult>;
  /** Deletes one opaque access token; false when it was not active. */
  revokeAccess(sessionId: string, hash: string): Promise<boolean>;
  /** Deletes a session with all its tokens; its JWTs go on the deny-list until they expire. */
  revokeSession(sessionId: string): Promise<SessionRecord | undefined>;
  /** Puts one JWT on the deny-list until `expiresAt`. */
  denyJwt(jti: string, expiresAt: number): Promise<void>;
  /**
   * Synchronous: the deny-list is replicated into each process (and kept current through Redis
   * pub/sub), so checking a JWT costs no round trip and keeps working while Redis is down.
   */
  isJwtDenied(jti: string): boolean;
  /** Changes the claims of every session of a subject: opaque tokens see it on their next request, JWTs on their next refresh. */
  updateSubject(subject: string, patch: ClaimsPatch): Promise<number>;
  /** Revokes every session of a subject ("log out everywhere"). */
  revokeSubject(subject: string): Promise<number>;
  close(): Promise<void>;
}

export interface TokenStoreOptions {
  /** The shared connection; memory when absent. */
  redis?: RedisClient;
  /** `config.redis.keyPrefix`: also prefixes the pub/sub channel, which ioredis does not prefix. */
  keyPrefix?: string;
  logger: Logger;
  /** Clock in ms; injectable so tests need not sleep. @default Date.now */
  now?: () => number;
}

export function createTokenStore({ redis, keyPrefix = 'junction:', logger, now = Date.now }: TokenStoreOptions): TokenStore {
  return redis ? createRedisTokenStore({ redis, channelPrefix: keyPrefix, logger, now }) : createMemoryTokenStore({ now });
}

/** Merges a patch into claims, keeping arrays as given. */
export function patchClaims(claims: TokenClaims, patch: ClaimsPatch): TokenClaims {
  return {
    ...claims,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.roles !== undefined ? { roles: [...patch.roles] } : {}),
    ...(patch.scopes !== undefined ? { scopes: [...patch.scopes] } : {}),
  };
}
