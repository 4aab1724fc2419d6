import { SignJWT } from 'jose';
import type { Viewer } from '../shared/viewer.js';
import type { KeyRing } from './signing-keys.js';
import type { TokenClaims } from './token-store.js';

/** `typ` of the gateway's access tokens (RFC 9068), so no other JWT can be passed off as one. */
export const ACCESS_TOKEN_TYP = 'at+jwt';
/** `typ` of the identity JWT forwarded to upstream services. */
export const IDENTITY_TOKEN_TYP = 'identity+jwt';

export interface AccessTokenInput {
  claims: TokenClaims;
  jti: string;
  /** Session the token was issued in (absent for client credentials). */
  sessionId?: string;
  grant: 'password' | 'client_credentials';
  issuedAt: number;
  expiresAt: number;
}

export interface JwtIssuer {
  signAccessToken(input: AccessTokenInput): Promise<string>;
  /** A short-lived JWT describing `viewer`, for upstream services (forwardIdentity `jwt`). */
  signIdentityToken(viewer: Viewer, now: number): Promise<string>;
}

export interface JwtIssuerOptions {
  keyRing: KeyRing;
  issuer: string;
  audience: string;
  identityAudience: string;
  identityTtlSeconds: number;
}

const toSeconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Signs with the newest key of the ring. Claims follow RFC 9068: `sub` is the user, or the client for
 * client-credentials tokens (then `gty: client_credentials` says there is no user); `scope` is a
 * space-separated string; `roles` an array.
 */
export function createJwtIssuer({ keyRing, issuer, audience, identityAudience, identityTtlSeconds }: JwtIssuerOptions): JwtIssuer {
  const { kid, algorithm, privateKey } = keyRing.signer;
  return {
    signAccessToken({ claims, jti, sessionId, grant, issuedAt, expiresAt }) {
      const payload: Record<string, unknown> = {
        scope: claims.scopes.join(' '),
        roles: claims.roles,
        ...(claims.clientId !== undefined ? { client_id: claims.clientId } : {}),
        ...(claims.name !== undefined ? { name: claims.name } : {}),
        ...(sessionId !== undefined ? { sid: sessionId } : {}),
        ...(grant === 'client_credentials' ? { gty: grant } : {}),
      };
      return new SignJWT(payload)
        .setProtectedHeader({ alg: algorithm, kid, typ: ACCESS_TOKEN_TYP })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(claims.subject ?? claims.clientId ?? 'anonymous-client')
        .setJti(jti)
        .setIssuedAt(toSeconds(issuedAt))
        .setNotBefore(toSeconds(issuedAt))
        .setExpirationTime(toSeconds(expiresAt))
        .sign(privateKey);
    },
    signIdentityToken(viewer, now) {
      const payload: Record<string, unknown> = {
        scope: viewer.scopes.join(' '),
        roles: viewer.roles,
        token_kind: viewer.tokenKind,
        ...(viewer.clientId !== undefined ? { client_id: viewer.clientId } : {}),
        ...(viewer.name !== undefined ? { name: viewer.name } : {}),
        ...(viewer.issuer !== undefined && viewer.issuer !== issuer ? { original_iss: viewer.issuer } : {}),
      };
      const jwt = new SignJWT(payload)
        .setProtectedHeader({ alg: algorithm, kid, typ: IDENTITY_TOKEN_TYP })
        .setIssuer(issuer)
        .setAudience(identityAudience)
        .setIssuedAt(toSeconds(now))
        .setExpirationTime(toSeconds(now) + identityTtlSeconds);
      if (viewer.subject !== undefined) jwt.setSubject(viewer.subject);
      return jwt.sign(privateKey);
    },
  };
}
