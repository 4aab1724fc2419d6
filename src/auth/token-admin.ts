import type { AuthConfig } from '../config/index.js';
import type { Viewer } from '../shared/viewer.js';
import { AuthenticationError, OAuthError, StoreUnavailableError, unavailable } from './auth-errors.js';
import type { AuthEvents } from './auth-events.js';
import type { Authenticator } from './authenticator.js';
import type { ClientAuth } from './client-auth.js';
import { isOpaqueToken, parseOpaqueToken } from './opaque-tokens.js';
import type { TokenRequest } from './token-request.js';
import type { ClaimsPatch, TokenStore } from './token-store.js';

export interface TokenAdmin {
  /** RFC 7009. Unknown and already invalid tokens succeed silently, as the RFC asks. */
  revoke(request: TokenRequest): Promise<void>;
  /** RFC 7662, for backend services; the caller needs `auth.introspectionScope`. */
  introspect(request: TokenRequest): Promise<Record<string, unknown>>;
  /** Changes roles/scopes/name of every session of a subject; the caller needs `auth.sessionsScope`. */
  updateSessions(request: TokenRequest): Promise<{ updated: number }>;
  /** Revokes every session of a subject. */
  revokeSessions(request: TokenRequest): Promise<{ revoked: number }>;
}

export interface TokenAdminOptions {
  config: AuthConfig;
  store: TokenStore;
  authenticator: Authenticator;
  clients: ClientAuth;
  events: AuthEvents;
}

/** Scope-token syntax of RFC 6749 §3.3; roles follow it too, so both travel safely in headers. */
const NAME = /^[\x21\x23-\x5b\x5d-\x7e]{1,200}$/;
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : Math.floor(ms / 1000));

export function createTokenAdmin({ config, store, authenticator, clients, events }: TokenAdminOptions): TokenAdmin {
  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw unavailable('The token store');
      if (error instanceof AuthenticationError && error.status === 503) throw unavailable('Token validation');
      throw error;
    }
  }

  /** A backend service proves itself with client credentials, or with a bearer token carrying the scope. */
  async function authorizeCaller({ client, bearer, ip }: TokenRequest, scope: string): Promise<void> {
    let scopes: readonly string[];
    if (bearer) {
      try {
        scopes = (await authenticator.verifyAccessToken(bearer)).scopes;
      } catch (error) {
        if (error instanceof AuthenticationError && error.status !== 503) {
          throw new OAuthError('invalid_token', error.message, 401, { 'www-authenticate': `Bearer realm="junction", error="invalid_token", error_description="${error.message}"` });
        }
        throw error;
      }
    } else if (client) {
      scopes = (await clients.authenticate(client, true, ip)).scopes;
    } else {
      throw new OAuthError('invalid_client', 'Authenticate with client credentials or a bearer token', 401, { 'www-authenticate': 'Basic realm="junction", Bearer realm="junction"' });
    }
    if (!scopes.includes(scope)) throw new OAuthError('insufficient_scope', `The caller needs the scope ${scope}`, 403);
  }

  async function viewerOf(token: string): Promise<Viewer | undefined> {
    try {
      return await authenticator.verifyAccessToken(token);
    } catch (error) {
      if (error instanceof AuthenticationError && error.status !== 503) return undefined;
      throw error;
    }
  }

  const tokenParam = (params: Record<string, string>) => {
    const token = params['token'];
    if (!token) throw new OAuthError('invalid_request', 'Missing parameter token');
    return token;
  };

  function subjectPatch(params: Record<string, string>): { subject: string; patch: ClaimsPatch } {
    const subject = params['subject'];
    if (!subject) throw new OAuthError('invalid_request', 'Missing parameter subject');
    const list = (name: string) => {
      const value = params[name];
      if (value === undefined) return undefined;
      const items = value.split(' ').filter(Boolean);
      if (!items.every((i) => NAME.test(i))) throw new OAuthError('invalid_request', `${name} must be space-separated names of visible ASCII characters`);
      return items;
    };
    return { subject, patch: { roles: list('roles'), scopes: list('scope'), name: params['name'] } };
  }

  return {
    async revoke({ params, client, ip }) {
      const token = tokenParam(params);
      const caller = client ? await clients.authenticate(client, false, ip) : undefined;
      // RFC 7009 §2.1: a client may only revoke its own tokens.
      const checkOwner = (owner: string | undefined) => {
        if (caller && owner !== caller.clientId) throw new OAuthError('unauthorized_client', 'The token was issued to another client');
      };
      await guarded(async () => {
        const opaque = isOpaqueToken(token) ? parseOpaqueToken(token) : undefined;
        if (opaque?.kind === 'at') {
          const found = await store.findAccess(opaque.sessionId, opaque.hash);
          if (!found) return;
          checkOwner(found.session.claims.clientId);
          await store.revokeAccess(opaque.sessionId, opaque.hash);
          authenticator.forget(opaque.hash);
          events.emit({ type: 'token_revoked', kind: 'access', clientId: found.session.claims.clientId, subject: found.session.claims.subject });
        } else if (opaque?.kind === 'rt') {
          const found = await store.findRefresh(opaque.sessionId, opaque.hash);
          if (!found) return;
          checkOwner(found.session.claims.clientId);
          await store.revokeSession(opaque.sessionId);
          authenticator.forget();
          events.emit({ type: 'token_revoked', kind: 'refresh', clientId: found.session.claims.clientId, subject: found.session.claims.subject });
        } else if (!isOpaqueToken(token)) {
          const viewer = await viewerOf(token);
          if (!viewer) return;
          if (viewer.tokenKind !== 'jwt') throw new OAuthError('unsupported_token_type', 'Tokens of external identity providers are revoked at their provider');
          checkOwner(viewer.clientId);
          await store.denyJwt(viewer.tokenId!, viewer.expiresAt!);
          events.emit({ type: 'token_revoked', kind: 'access', clientId: viewer.clientId, subject: viewer.subject });
        }
      });
    },

    async introspect(request) {
      await authorizeCaller(request, config.introspectionScope);
      const token = tokenParam(request.params);
      return guarded(async () => {
        const opaque = isOpaqueToken(token) ? parseOpaqueToken(token) : undefined;
        if (opaque?.kind === 'rt') {
          const found = await store.findRefresh(opaque.sessionId, opaque.hash);
          if (!found) return { active: false };
          const { subject, clientId, scopes, roles, name } = found.session.claims;
          return { active: true, token_type: 'refresh_token', scope: scopes.join(' '), client_id: clientId, sub: subject, exp: seconds(found.expiresAt), iss: config.issuer, roles, name };
        }
        const viewer = await viewerOf(token);
        if (!viewer) return { active: false };
        return {
          active: true,
          token_type: 'Bearer',
          token_kind: viewer.tokenKind,
          scope: viewer.scopes.join(' '),
          client_id: viewer.clientId,
          sub: viewer.subject,
          exp: seconds(viewer.expiresAt),
          iss: viewer.issuer ?? config.issuer,
          jti: viewer.tokenKind === 'opaque' ? undefined : viewer.tokenId,
          roles: viewer.roles,
          name: viewer.name,
        };
      });
    },

    async updateSessions(request) {
      await authorizeCaller(request, config.sessionsScope);
      const { subject, patch } = subjectPatch(request.params);
      if (patch.roles === undefined && patch.scopes === undefined && patch.name === undefined) {
        throw new OAuthError('invalid_request', 'Give at least one of roles, scope, name');
      }
      const updated = await guarded(() => store.updateSubject(subject, patch));
      authenticator.forget();
      return { updated };
    },

    async revokeSessions(request) {
      await authorizeCaller(request, config.sessionsScope);
      const { subject } = subjectPatch(request.params);
      const revoked = await guarded(() => store.revokeSubject(subject));
      authenticator.forget();
      if (revoked > 0) events.emit({ type: 'token_revoked', kind: 'session', subject });
      return { revoked };
    },
  };
}
