/** How the caller proved who it is. */
export type TokenKind = 'jwt' | 'opaque' | 'external-jwt';

/**
 * Who is calling, as established by authentication (src/auth) and read by authorization, upstream
 * identity headers and metering. Anonymous requests get `ANONYMOUS_VIEWER`.
 */
export interface Viewer {
  /** False for anonymous requests. */
  readonly authenticated: boolean;
  /** The end user (JWT `sub`); absent for client-credentials tokens. */
  readonly subject?: string;
  readonly name?: string;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
  /** The OAuth client that obtained the token. */
  readonly clientId?: string;
  readonly tokenKind?: TokenKind;
  /** JWT `jti` / opaque token id: the handle for revocation and audit. */
  readonly tokenId?: string;
}

export const ANONYMOUS_VIEWER: Viewer = Object.freeze({ authenticated: false, roles: Object.freeze([]), scopes: Object.freeze([]) });
