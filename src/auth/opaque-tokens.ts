import { createHash, randomBytes } from 'node:crypto';

/** `at`: opaque access token; `rt`: refresh token (always opaque). */
export type OpaqueKind = 'at' | 'rt';

export interface ParsedOpaqueToken {
  kind: OpaqueKind;
  /** The login session (token family) it belongs to: tokens of one session share one store entry. */
  sessionId: string;
  /** SHA-256 of the whole token: the only form in which the store ever sees it. */
  hash: string;
}

const PREFIX = 'jnc_';
const SHAPE = /^jnc_(at|rt)_([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/**
 * Opaque tokens look like `jnc_at_<session id>.<secret>`: a recognisable prefix (secret scanners,
 * telling them from JWTs without parsing), the session id (16 random bytes, not secret: it only
 * routes the lookup to one store entry, which keeps Redis Cluster happy) and 256 random bits.
 */
export function mintOpaqueToken(kind: OpaqueKind, sessionId: string): { token: string; hash: string } {
  const token = `${PREFIX}${kind}_${sessionId}.${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/** A random id for JWTs (`jti`). */
export function newTokenId(): string {
  return randomBytes(16).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function isOpaqueToken(token: string): boolean {
  return token.startsWith(PREFIX);
}

export function parseOpaqueToken(token: string): ParsedOpaqueToken | undefined {
  const match = SHAPE.exec(token);
  if (!match) return undefined;
  return { kind: match[1] as OpaqueKind, sessionId: match[2]!, hash: hashToken(token) };
}
