import type { AuthConfig } from '../config/index.js';
import { OAuthError, StoreUnavailableError, unavailable } from './auth-errors.js';
import type { AuthEvents, TokenFormat } from './auth-events.js';
import type { JwtIssuer } from './jwt-issuer.js';
import { mintOpaqueToken, newSessionId, newTokenId, parseOpaqueToken } from './opaque-tokens.js';
import type { AccessHandle, SessionRecord, TokenClaims, TokenStore } from './token-store.js';

/** The token endpoint's success body (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  /** Seconds until the access token expires. */
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

export interface IssueRequest {
  claims: TokenClaims;
  grant: 'password' | 'client_credentials';
  format: TokenFormat;
  /** Whether the client must authenticate again to use the refresh token. */
  clientConfidential?: boolean;
}

export interface TokenMinter {
  /** Starts a session: access token plus, for user logins, a refresh token. */
  issue(request: IssueRequest): Promise<TokenResponse>;
  /** Exchanges a refresh token for new tokens; the old one stops working, and using it again revokes the session. */
  refresh(refreshToken: string, format: TokenFormat, checkClient: (session: SessionRecord) => Promise<void>): Promise<TokenResponse>;
}

export interface TokenMinterOptions {
  config: AuthConfig;
  store: TokenStore;
  jwt: JwtIssuer;
  events: AuthEvents;
  now: () => number;
  /** Called when a session is revoked here (reuse detected), so caches of this process forget it. */
  onSessionRevoked: () => void;
}

/** Client credentials get no refresh token (RFC 6749 §4.4.3): a service simply asks again. */
export function createTokenMinter({ config, store, jwt, events, now, onSessionRevoked }: TokenMinterOptions): TokenMinter {
  const accessTtlMs = config.tokens.accessTokenTtlSeconds * 1000;
  const refreshTtlMs = config.tokens.refreshTokenTtlSeconds * 1000;

  const response = (access: string, claims: TokenClaims, accessExpiresAt: number, refresh?: string): TokenResponse => ({
    access_token: access,
    token_type: 'Bearer',
    expires_in: Math.max(0, Math.round((accessExpiresAt - now()) / 1000)),
    ...(refresh ? { refresh_token: refresh } : {}),
    scope: claims.scopes.join(' '),
  });

  async function stored<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw unavailable('The token store');
      throw error;
    }
  }

  async function accessToken(format: TokenFormat, session: SessionRecord, issuedAt: number, expiresAt: number) {
    if (format === 'opaque') {
      const { token, hash } = mintOpaqueToken('at', session.id);
      return { token, handle: { kind: 'opaque', hash, expiresAt } as AccessHandle };
    }
    const jti = newTokenId();
    const token = await jwt.signAccessToken({
      claims: session.claims,
      jti,
      sessionId: session.grant === 'client_credentials' ? undefined : session.id,
      grant: session.grant,
      issuedAt,
      expiresAt,
    });
    return { token, handle: { kind: 'jwt', jti, expiresAt } as AccessHandle };
  }

  return {
    async issue({ claims, grant, format, clientConfidential }) {
      const t = now();
      const withRefresh = grant === 'password';
      const session: SessionRecord = {
        id: newSessionId(),
        claims,
        grant,
        authTime: t,
        expiresAt: t + (withRefresh ? config.tokens.sessionMaxAgeSeconds * 1000 : accessTtlMs),
        ...(clientConfidential !== undefined ? { clientConfidential } : {}),
      };
      const accessExpiresAt = Math.min(t + accessTtlMs, session.expiresAt);
      const access = await accessToken(format, session, t, accessExpiresAt);
      const refresh = withRefresh ? mintOpaqueToken('rt', session.id) : undefined;
      // A client-credentials JWT needs no server state: nothing to write.
      if (refresh || format === 'opaque') {
        const refreshHandle = refresh && { hash: refresh.hash, expiresAt: Math.min(t + refreshTtlMs, session.expiresAt) };
        await stored(() => store.createSession(session, access.handle, refreshHandle));
      }
      events.emit({ type: 'token_issued', grant, format, clientId: claims.clientId, subject: claims.subject });
      return response(access.token, claims, accessExpiresAt, refresh?.token);
    },

    async refresh(refreshToken, format, checkClient) {
      const parsed = parseOpaqueToken(refreshToken);
      if (!parsed || parsed.kind !== 'rt') throw new OAuthError('invalid_grant', 'refresh_token is not a refresh token issued by this gateway');
      const current = await stored(() => store.findRefresh(parsed.sessionId, parsed.hash));
      // Only a current token proves the client; a rotated one goes straight to the store, which detects the reuse.
      if (current) await checkClient(current.session);
      const next = mintOpaqueToken('rt', parsed.sessionId);
      const jti = newTokenId();
      const opaque = format === 'opaque' ? mintOpaqueToken('at', parsed.sessionId) : undefined;
      const result = await stored(() =>
        store.rotateRefresh(parsed.sessionId, parsed.hash, {
          access: opaque ? { kind: 'opaque', hash: opaque.hash } : { kind: 'jwt', jti },
          refreshHash: next.hash,
          accessTtlMs,
          refreshTtlMs,
        }),
      );
      if (result.status === 'reused') {
        onSessionRevoked();
        const { clientId, subject } = result.session.claims;
        events.emit({ type: 'refresh_reuse_detected', sessionId: result.session.id, clientId, subject });
        throw new OAuthError('invalid_grant', 'This refresh token was already used; its whole session has been revoked. Log in again.');
      }
      if (result.status === 'invalid') throw new OAuthError('invalid_grant', 'The refresh token is invalid, expired or revoked');
      const { session, accessExpiresAt } = result;
      const access = opaque
        ? opaque.token
        : await jwt.signAccessToken({ claims: session.claims, jti, sessionId: session.id, grant: session.grant, issuedAt: now(), expiresAt: accessExpiresAt });
      events.emit({ type: 'token_issued', grant: 'refresh_token', format, clientId: session.claims.clientId, subject: session.claims.subject });
      return response(access, session.claims, accessExpiresAt, next.token);
    },
  };
}
