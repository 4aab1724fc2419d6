import type { TokenKind, Viewer } from '../shared/viewer.js';

/**
 * Why a bearer token was not accepted. Stable values: telemetry counts them (e.g. a metric label),
 * clients see them in `extensions.reason`.
 */
export type AuthFailureReason =
  /** No token, and `auth.allowAnonymous` is false. */
  | 'missing'
  /** Not Bearer (e.g. Basic) on the GraphQL endpoint. */
  | 'unsupported_scheme'
  /** Two Authorization headers, or a value that is not `Bearer <token>`. */
  | 'invalid_request'
  /** Longer than `auth.tokens.maxTokenBytes`. */
  | 'too_large'
  /** Neither a JWT nor a Junction opaque token; bad base64 or JSON. */
  | 'malformed'
  /** A header the gateway does not understand (`crit`), or an unsupported algorithm. */
  | 'unsupported'
  /** `alg` not in the allow-list (`none`, HS256 with a public key, ...). */
  | 'algorithm_not_allowed'
  /** `kid` names no configured or published key. */
  | 'unknown_key'
  /** Signature does not match (payload or header edited after signing). */
  | 'bad_signature'
  /** `iss` is neither the gateway nor a configured identity provider. */
  | 'untrusted_issuer'
  | 'wrong_audience'
  | 'expired'
  /** `nbf` / `iat` in the future. */
  | 'not_yet_valid'
  /** Required claims missing or of the wrong type. */
  | 'invalid_claims'
  /** A refresh token or another non-access token sent as the access token. */
  | 'wrong_token_type'
  /** JWT whose `jti` is on the deny-list. */
  | 'revoked'
  /** Opaque token not in the store: revoked, expired or never issued. */
  | 'inactive'
  /** The token store cannot be reached: the request is refused (503), never let through. */
  | 'store_unavailable'
  /** An external identity provider's keys cannot be fetched (503). */
  | 'jwks_unavailable';

/** Grant types of `POST /auth/token`. */
export type GrantType = 'password' | 'client_credentials' | 'refresh_token';
export type TokenFormat = 'jwt' | 'opaque';

/** What the auth module reports, for metrics and audit. Listeners must not throw or block. */
export type AuthEvent =
  | { type: 'authenticated'; viewer: Viewer }
  | { type: 'rejected'; reason: AuthFailureReason; status: 400 | 401 | 503; tokenKind?: TokenKind }
  | { type: 'token_issued'; grant: GrantType; format: TokenFormat; clientId?: string; subject?: string }
  /** A token request refused: `error` is the RFC 6749 code (`invalid_grant`, `slow_down`, ...). */
  | { type: 'token_refused'; grant?: string; error: string; clientId?: string }
  | { type: 'token_revoked'; kind: 'access' | 'refresh' | 'session'; clientId?: string; subject?: string }
  /** An already rotated refresh token came back: its whole session was revoked (theft detection). */
  | { type: 'refresh_reuse_detected'; sessionId: string; clientId?: string; subject?: string };

export type AuthEventListener = (event: AuthEvent) => void;

export interface AuthEvents {
  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: AuthEventListener): () => void;
  emit(event: AuthEvent): void;
}

/** A tiny synchronous event hub; a throwing listener is isolated so it cannot fail a request. */
export function createAuthEvents(onListenerError: (error: unknown) => void): AuthEvents {
  const listeners = new Set<AuthEventListener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    emit(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
  };
}
