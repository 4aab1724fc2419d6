export { createAuth, type Auth, type AuthOptions } from './create-auth.js';
export type { AuthEvent, AuthEventListener, AuthFailureReason, GrantType, TokenFormat } from './auth-events.js';
export { AuthenticationError, OAuthError, StoreUnavailableError, type OAuthErrorCode } from './auth-errors.js';
export type { Authenticator } from './authenticator.js';
export { IDENTITY_HEADERS, encodeHeaderValue, type ForwardMode } from './identity-forwarding.js';
export { loadKeyRing, type KeyRing, type SigningKey } from './signing-keys.js';
export { createTokenStore, type TokenClaims, type SessionRecord, type TokenStore, type TokenStoreOptions } from './token-store.js';
export { useAuthentication, type AuthenticationOptions } from './use-authentication.js';
export { useTokenRoutes, type TokenRoutesOptions } from './use-token-routes.js';
