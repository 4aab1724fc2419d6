import { createHash } from 'node:crypto';
import type { AuthConfig } from '../config/index.js';
import type { AttemptCounter } from './attempt-counter.js';
import { OAuthError, StoreUnavailableError, unavailable } from './auth-errors.js';
import type { AuthServiceClient, ClientIdentity } from './auth-service-client.js';
import type { ClientCredentials } from './token-request.js';

export interface ClientAuthOptions {
  config: AuthConfig;
  authService?: AuthServiceClient;
  attempts: AttemptCounter;
}

/** Checks clients and throttles credential guessing; shared by every token route. */
export interface ClientAuth {
  /** The backend auth service, or an error naming the missing setting. */
  service(what: string): AuthServiceClient;
  /** Verifies a client with the auth service. Public clients (no secret) pass unless `requireSecret`. */
  authenticate(client: ClientCredentials, requireSecret: boolean, ip: string): Promise<ClientIdentity>;
  /** Counts one credential attempt against each key; 429 with Retry-After once any is over its limit. */
  limit(keys: ReadonlyArray<{ key: string; max: number }>): Promise<void>;
  reset(key: string): Promise<void>;
}

/** Rate-limit keys never hold a raw username: it is hashed (case-insensitively). */
export const usernameKey = (username: string) => `u:${createHash('sha256').update(username.trim().toLowerCase()).digest('base64url')}`;
export const ipKey = (ip: string) => `ip:${ip}`;
const clientKey = (id: string) => `c:${createHash('sha256').update(id).digest('base64url')}`;

export function createClientAuth({ config, authService, attempts }: ClientAuthOptions): ClientAuth {
  const limits = config.passwordGrantLimits;
  const windowMs = limits.windowSeconds * 1000;
  const invalidClient = (method: ClientCredentials['method'], description: string) =>
    new OAuthError('invalid_client', description, 401, method === 'basic' ? { 'www-authenticate': 'Basic realm="junction"' } : {});

  const service = (what: string) => {
    if (!authService) throw new OAuthError('unsupported_grant_type', `${what} needs the backend auth service (auth.authService.url), which is not configured`);
    return authService;
  };

  async function limit(keys: ReadonlyArray<{ key: string; max: number }>) {
    let hits;
    try {
      hits = await Promise.all(keys.map(async ({ key, max }) => ({ max, ...(await attempts.hit(key, windowMs)) })));
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw unavailable('The token store');
      throw error;
    }
    const over = hits.filter((h) => h.count > h.max);
    if (over.length === 0) return;
    const retryAfter = Math.max(1, Math.ceil(Math.max(...over.map((h) => h.resetInMs)) / 1000));
    throw new OAuthError('slow_down', `Too many attempts; retry in ${retryAfter} s`, 429, { 'retry-after': String(retryAfter) });
  }

  return {
    service,
    limit,
    async reset(key) {
      await attempts.reset(key).catch(() => undefined);
    },
    async authenticate(client, requireSecret, ip) {
      if (requireSecret && !client.secret) throw invalidClient(client.method, 'This request needs client authentication (HTTP Basic or client_secret)');
      // Guessing client secrets is throttled like guessing passwords.
      if (client.secret) await limit([{ key: clientKey(client.id), max: limits.maxAttemptsPerUsername }, { key: ipKey(ip), max: limits.maxAttemptsPerIp }]);
      const identity = await service('Client authentication').authenticateClient(client.id, client.secret);
      if (!identity || identity.clientId !== client.id) throw invalidClient(client.method, 'Client authentication failed');
      if (requireSecret && !identity.confidential) throw new OAuthError('unauthorized_client', 'A public client cannot use this grant');
      return identity;
    },
  };
}

/** Requested scopes (space-separated) must all be granted; none requested means all granted. */
export function narrowScopes(requested: string | undefined, granted: readonly string[]): string[] {
  if (requested === undefined || requested.trim() === '') return [...granted];
  const wanted = [...new Set(requested.split(' ').filter(Boolean))];
  const denied = wanted.filter((s) => !granted.includes(s));
  if (denied.length) throw new OAuthError('invalid_scope', `Scope not granted: ${denied.join(' ')}`);
  return wanted;
}

