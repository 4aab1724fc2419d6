/**
 * How the caller proved who it is: a JWT the gateway issued, an opaque token from the gateway's token
 * store, or a JWT from a configured external identity provider.
 */
export type TokenKind = 'jwt' | 'opaque' | 'external-jwt';

/**
 * Who is calling, as established by authentication (src/auth) and read by authorization, upstream
 * identity headers and metering. Anonymous requests get `ANONYMOUS_VIEWER`. A viewer is frozen and
 * built once per request: compare fields, never identity.
 */
export interface Viewer {
  /** False for anonymous requests. */
  readonly authenticated: boolean;
  /** The end user (JWT `sub`); absent for client-credentials tokens, which act for a client only. */
  readonly subject?: string;
  /** Display name of the end user, when the token carries one. */
  readonly name?: string;
  /** Roles granted to the caller (e.g. "admin"); empty when anonymous. */
  readonly roles: readonly string[];
  /** OAuth scopes of the token (e.g. "orders:read"); empty when anonymous. */
  readonly scopes: readonly string[];
  /** The OAuth client that obtained the token (`client_id`); absent when the client did not identify itself. */
  readonly clientId?: string;
  readonly tokenKind?: TokenKind;
  /** JWT `jti` / opaque token id: the handle for revocation and audit. */
  readonly tokenId?: string;
  /** Who issued the token (`iss`): the gateway's issuer or an external identity provider's. */
  readonly issuer?: string;
  /** When the token stops being accepted, in ms since the epoch. */
  readonly expiresAt?: number;
}

export const ANONYMOUS_VIEWER: Viewer = Object.freeze({ authenticated: false, roles: Object.freeze([]), scopes: Object.freeze([]) });
