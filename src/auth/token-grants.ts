import type { AuthConfig } from '../config/index.js';
import { OAuthError } from './auth-errors.js';
import type { TokenFormat } from './auth-events.js';
import { ipKey, narrowScopes, usernameKey, type ClientAuth } from './client-auth.js';
import type { TokenMinter, TokenResponse } from './token-minter.js';
import type { TokenRequest } from './token-request.js';
import type { SessionRecord } from './token-store.js';

export interface TokenGrantsOptions {
  config: AuthConfig;
  clients: ClientAuth;
  minter: TokenMinter;
}

/** `POST /auth/token`: the three grants of RFC 6749 the gateway supports. Throws OAuthError. */
export type TokenGrants = (request: TokenRequest) => Promise<TokenResponse>;

export function createTokenGrants({ config, clients, minter }: TokenGrantsOptions): TokenGrants {
  const limits = config.passwordGrantLimits;

  function formatOf(params: Record<string, string>): TokenFormat {
    const format = params['token_format'] ?? config.tokens.defaultFormat;
    if (format !== 'jwt' && format !== 'opaque') throw new OAuthError('invalid_request', 'token_format must be jwt or opaque');
    return format;
  }

  function required(params: Record<string, string>, name: string, max = 1024): string {
    const value = params[name];
    if (value === undefined || value === '') throw new OAuthError('invalid_request', `Missing parameter ${name}`);
    if (value.length > max) throw new OAuthError('invalid_request', `Parameter ${name} is too long`);
    return value;
  }

  async function password({ params, client, ip }: TokenRequest): Promise<TokenResponse> {
    const service = clients.service('The password grant');
    const username = required(params, 'username', 256);
    const pass = required(params, 'password', 1024);
    const format = formatOf(params);
    // Counted before the password is checked, so parallel guesses cannot slip through between check and count.
    await clients.limit([
      { key: usernameKey(username), max: limits.maxAttemptsPerUsername },
      { key: ipKey(ip), max: limits.maxAttemptsPerIp },
    ]);
    const identity = client ? await clients.authenticate(client, false, ip) : undefined;
    const user = await service.authenticateUser(username, pass);
    if (!user) throw new OAuthError('invalid_grant', 'The username or password is wrong');
    await clients.reset(usernameKey(username));
    const scopes = narrowScopes(params['scope'], user.scopes);
    return minter.issue({
      claims: { subject: user.subject, name: user.name, roles: user.roles, scopes, clientId: identity?.clientId },
      grant: 'password',
      format,
      clientConfidential: identity?.confidential,
    });
  }

  async function clientCredentials({ params, client, ip }: TokenRequest): Promise<TokenResponse> {
    clients.service('The client_credentials grant');
    if (!client) throw new OAuthError('invalid_client', 'The client_credentials grant needs client authentication (HTTP Basic or client_id and client_secret)', 401);
    const format = formatOf(params);
    const identity = await clients.authenticate(client, true, ip);
    const scopes = narrowScopes(params['scope'], identity.scopes);
    return minter.issue({ claims: { roles: identity.roles, scopes, clientId: identity.clientId }, grant: 'client_credentials', format });
  }

  async function refresh({ params, client, ip }: TokenRequest): Promise<TokenResponse> {
    const token = required(params, 'refresh_token', 512);
    const format = formatOf(params);
    const checkClient = async (session: SessionRecord) => {
      const owner = session.claims.clientId;
      if (owner === undefined) return;
      // RFC 6749 §6: the refresh token is bound to its client, and a confidential client must authenticate.
      if (!client || client.id !== owner) throw new OAuthError('invalid_grant', 'The refresh token was issued to another client');
      if (session.clientConfidential || client.secret) await clients.authenticate(client, session.clientConfidential === true, ip);
    };
    return minter.refresh(token, format, async (session) => {
      await checkClient(session);
      if (params['scope'] !== undefined) sameScopes(params['scope'], session.claims.scopes);
    });
  }

  return async (request) => {
    const grant = request.params['grant_type'];
    if (!grant) throw new OAuthError('invalid_request', 'Missing parameter grant_type');
    if (grant === 'password') return password(request);
    if (grant === 'client_credentials') return clientCredentials(request);
    if (grant === 'refresh_token') return refresh(request);
    throw new OAuthError('unsupported_grant_type', 'grant_type must be password, client_credentials or refresh_token');
  };
}

/** Narrowing on refresh is refused rather than silently ignored: the session keeps its scopes. */
function sameScopes(requested: string, granted: readonly string[]): void {
  const wanted = new Set(requested.split(' ').filter(Boolean));
  if (wanted.size === 0) return;
  if (wanted.size !== granted.length || !granted.every((s) => wanted.has(s))) {
    throw new OAuthError('invalid_scope', 'The scope cannot change on refresh; log in again with the scopes you need');
  }
}
