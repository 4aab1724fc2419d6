import type { AuthFailureReason } from './auth-events.js';

/** Client-facing descriptions: short, no quotes or backslashes (they go into WWW-Authenticate). */
const DESCRIPTIONS: Record<AuthFailureReason, string> = {
  missing: 'This endpoint requires a bearer token',
  unsupported_scheme: 'Only the Bearer authorization scheme is supported',
  invalid_request: 'Send exactly one Authorization header of the form Bearer <token>',
  too_large: 'The access token is too large',
  malformed: 'The access token is malformed',
  unsupported: 'The access token uses an unsupported header or algorithm',
  algorithm_not_allowed: 'The access token is signed with an algorithm that is not allowed',
  unknown_key: 'The access token is signed with an unknown key',
  bad_signature: 'The access token signature is invalid',
  untrusted_issuer: 'The access token comes from an issuer that is not trusted',
  wrong_audience: 'The access token was issued for another audience',
  expired: 'The access token expired',
  not_yet_valid: 'The access token is not valid yet',
  invalid_claims: 'The access token claims are invalid',
  wrong_token_type: 'This token is not an access token',
  revoked: 'The access token was revoked',
  inactive: 'The access token is not active (revoked, expired or unknown)',
  store_unavailable: 'The token store is unavailable; retry shortly',
  jwks_unavailable: 'The keys of the token issuer cannot be fetched; retry shortly',
};

/** A bearer token was refused. `status` is 401 (token), 400 (request shape) or 503 (cannot check now). */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  readonly status: 400 | 401 | 503;
  constructor(
    readonly reason: AuthFailureReason,
    /** Internal detail for debug logs; never sent to clients. */
    readonly detail?: string,
  ) {
    super(DESCRIPTIONS[reason]);
    this.status = reason === 'store_unavailable' || reason === 'jwks_unavailable' ? 503 : reason === 'invalid_request' ? 400 : 401;
  }
}

/** The token store (Redis) cannot answer. Callers fail closed: 503, never "let it through". */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(readonly detail: string) {
    super('The token store is unavailable');
  }
}

/** RFC 6749 §5.2 / RFC 7009 / RFC 7662 error codes, plus `slow_down` for rate limiting. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'temporarily_unavailable'
  | 'slow_down'
  | 'server_error';

/** A refused request to a token route, answered as `{error, error_description}`. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status: number = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

export const unavailable = (what: string) =>
  new OAuthError('temporarily_unavailable', `${what} is unavailable; retry shortly`, 503, { 'retry-after': '1' });
