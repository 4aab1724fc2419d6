import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { ExternalIssuerConfig } from '../config/index.js';

/** A configured identity provider, ready to verify: its cached remote key set and claim mapping. */
export interface ExternalIssuer {
  readonly config: ExternalIssuerConfig;
  readonly keys: JWTVerifyGetKey;
}

/**
 * One remote JWKS per provider. jose caches the keys (`jwksCacheMaxAgeSeconds`) and fetches again for
 * an unknown `kid` at most once per `jwksCooldownSeconds`, so a flood of tokens with made-up key ids
 * cannot turn the gateway into a load generator against the provider.
 */
export function createExternalIssuers(configs: readonly ExternalIssuerConfig[]): ReadonlyMap<string, ExternalIssuer> {
  return new Map(
    configs.map((config) => [
      config.issuer,
      {
        config,
        keys: createRemoteJWKSet(new URL(config.jwksUrl), {
          timeoutDuration: config.jwksTimeoutMs,
          cooldownDuration: config.jwksCooldownSeconds * 1000,
          cacheMaxAge: config.jwksCacheMaxAgeSeconds * 1000,
        }),
      },
    ]),
  );
}

export interface MappedClaims {
  subject?: string;
  name?: string;
  roles: string[];
  scopes: string[];
  clientId?: string;
}

/** Reads the viewer's fields from a provider's token, where its configuration says they are. */
export function mapExternalClaims(payload: JWTPayload, claims: ExternalIssuerConfig['claims']): MappedClaims {
  return {
    subject: stringAt(payload, claims.subject),
    name: stringAt(payload, claims.name),
    roles: listAt(payload, claims.roles),
    scopes: listAt(payload, claims.scopes),
    clientId: stringAt(payload, claims.clientId) ?? stringAt(payload, 'azp'),
  };
}

function valueAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function stringAt(payload: JWTPayload, path: string): string | undefined {
  const value = valueAt(payload, path);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Arrays of strings (`roles`, `scp`) or space-separated strings (`scope`); anything else is empty. */
function listAt(payload: JWTPayload, path: string): string[] {
  const value = valueAt(payload, path);
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v.length > 0);
  return [];
}
