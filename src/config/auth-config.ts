import { z } from 'zod';

/** Asymmetric algorithms only: a shared-secret (HS*) or `none` algorithm can never be configured. */
export const signingAlgorithms = ['ES256', 'ES384', 'EdDSA', 'RS256', 'PS256'] as const;
export type SigningAlgorithm = (typeof signingAlgorithms)[number];

const seconds = z.number().int().positive();

/** One signing key. Give a private key (signs and verifies) or only a public key (verifies: a retiring key). */
const signingKeySchema = z
  .strictObject({
    /** Key id, sent as the JWT `kid` header and published in the JWKS. */
    kid: z.string().regex(/^[\w.-]{1,64}$/, { error: 'letters, digits, _ . - only (at most 64)' }),
    /** @default "ES256" */
    algorithm: z.enum(signingAlgorithms).default('ES256'),
    /** File holding the private key: PKCS#8 PEM or a JWK (JSON). */
    privateKeyFile: z.string().min(1).optional(),
    /** Environment variable holding the private key (PEM or JWK JSON). */
    privateKeyEnv: z.string().min(1).optional(),
    /** File holding the public key only (SPKI PEM or JWK): verify-only, e.g. a key being retired. */
    publicKeyFile: z.string().min(1).optional(),
    /** Environment variable holding the public key only. */
    publicKeyEnv: z.string().min(1).optional(),
  })
  .refine((k) => [k.privateKeyFile, k.privateKeyEnv, k.publicKeyFile, k.publicKeyEnv].filter(Boolean).length === 1, {
    error: 'set exactly one of privateKeyFile, privateKeyEnv, publicKeyFile, publicKeyEnv',
  });

/** An external identity provider whose JWTs the gateway accepts as they are. */
const externalIssuerSchema = z.strictObject({
  /** Exact `iss` value of its tokens. */
  issuer: z.string().min(1),
  /** Where its public keys are (https in production). */
  jwksUrl: z.url({ protocol: /^https?$/ }),
  /** Accepted `aud` value(s); required, so a token minted for another API is refused. */
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  /** Accepted `alg` values: an explicit allow-list. @default ["RS256"] */
  algorithms: z.array(z.enum(signingAlgorithms)).min(1).default(['RS256']),
  /** Accepted clock difference for `exp`/`nbf`. @default 30 */
  clockToleranceSeconds: z.number().int().nonnegative().default(30),
  /** After a fetch, an unknown `kid` may trigger the next fetch only after this long. @default 30 */
  jwksCooldownSeconds: z.number().int().nonnegative().default(30),
  /** Keys are re-fetched when older than this. @default 600 */
  jwksCacheMaxAgeSeconds: seconds.default(600),
  /** @default 5000 */
  jwksTimeoutMs: z.number().int().positive().default(5000),
  /** Where the viewer's fields come from in its tokens (dotted paths, e.g. "realm_access.roles"). */
  claims: z
    .strictObject({
      /** @default "sub" */
      subject: z.string().min(1).default('sub'),
      /** @default "name" */
      name: z.string().min(1).default('name'),
      /** Array or space-separated string. @default "roles" */
      roles: z.string().min(1).default('roles'),
      /** Space-separated string (`scope`) or array (`scp`). @default "scope" */
      scopes: z.string().min(1).default('scope'),
      /** @default "client_id" (falls back to "azp") */
      clientId: z.string().min(1).default('client_id'),
    })
    .prefault({}),
});

/** Token issuance and authentication (src/auth). */
export const authConfigSchema = z
  .strictObject({
    /** Token routes and bearer authentication; when false every request is anonymous. @default true */
    enabled: z.boolean().default(true),
    /** `iss` of the gateway's JWTs; a URL is recommended in production. @default "junction" */
    issuer: z.string().min(1).default('junction'),
    /** `aud` of the gateway's access tokens, and the audience it accepts. @default "junction" */
    audience: z.string().min(1).default('junction'),
    /** Requests without a token run as the anonymous viewer; false answers them 401. @default true */
    allowAnonymous: z.boolean().default(true),
    tokens: z
      .strictObject({
        /** Format when the token request names none (`token_format`). @default "jwt" */
        defaultFormat: z.enum(['jwt', 'opaque']).default('jwt'),
        /** Access token lifetime, both formats. @default 900 (15 min) */
        accessTokenTtlSeconds: seconds.default(900),
        /** Refresh token lifetime; each rotation starts a new one (sliding). @default 1209600 (14 days) */
        refreshTokenTtlSeconds: seconds.default(1_209_600),
        /** Absolute limit of a login session, whatever the refreshes. @default 2592000 (30 days) */
        sessionMaxAgeSeconds: seconds.default(2_592_000),
        /** Longer bearer tokens are refused without being parsed. @default 8192 */
        maxTokenBytes: z.number().int().min(256).default(8192),
        /**
         * Cache opaque-token lookups in the process for this long. It is also the bound on how long a token
         * revoked through another gateway instance can still pass here. 0 = every request asks the store. @default 0
         */
        opaqueCacheMs: z.number().int().nonnegative().max(60_000).default(0),
        /**
         * Verified JWTs remembered per process (by SHA-256 of the token) so a repeated token skips the
         * signature check; expiry and the deny-list are still checked on every request. 0 disables. @default 10000
         */
        jwtCacheSize: z.number().int().nonnegative().default(10_000),
      })
      .prefault({}),
    jwt: z
      .strictObject({
        /** Algorithm of the development key generated when `keys` is empty. @default "ES256" */
        algorithm: z.enum(signingAlgorithms).default('ES256'),
        /** Newest first: the first key with a private key signs; every key verifies and is published. @default [] */
        keys: z.array(signingKeySchema).default([]),
        /** Accepted clock difference for the gateway's own tokens. @default 5 */
        clockToleranceSeconds: z.number().int().nonnegative().default(5),
      })
      .prefault({}),
    /** Identity providers whose JWTs are accepted (verified against their JWKS). @default [] */
    external: z.array(externalIssuerSchema).default([]),
    /** The backend service that checks user passwords and client secrets; the gateway stores neither. */
    authService: z
      .strictObject({
        /** Base URL, e.g. http://auth:4501. Unset = password and client_credentials grants are unavailable. */
        url: z.url({ protocol: /^https?$/ }).optional(),
        /** @default 3000 */
        timeoutMs: z.number().int().positive().default(3000),
      })
      .prefault({}),
    /** Brute-force protection of the password grant (fixed windows, counted in the token store). */
    passwordGrantLimits: z
      .strictObject({
        /** @default 300 */
        windowSeconds: seconds.default(300),
        /** Attempts per username per window; a successful login resets it. @default 10 */
        maxAttemptsPerUsername: z.number().int().positive().default(10),
        /** Attempts per client IP per window. @default 100 */
        maxAttemptsPerIp: z.number().int().positive().default(100),
        /** Take the client IP from the last X-Forwarded-For entry (behind one trusted proxy). @default false */
        trustProxy: z.boolean().default(false),
      })
      .prefault({}),
    /** How the verified identity reaches upstream services. */
    forwardIdentity: z
      .strictObject({
        /**
         * `headers`: x-junction-subject, -scopes, -roles, -client-id, -token-kind; `jwt`: one signed
         * x-junction-identity JWT (verify with /.well-known/jwks.json); `both`; `none`. @default "headers"
         */
        mode: z.enum(['headers', 'jwt', 'both', 'none']).default('headers'),
        /** `aud` of the identity JWT. @default "junction-services" */
        audience: z.string().min(1).default('junction-services'),
        /** Lifetime of the identity JWT. @default 60 */
        ttlSeconds: seconds.max(3600).default(60),
      })
      .prefault({}),
    /** Scope a client (or bearer token) needs to call /auth/introspect. @default "junction:introspect" */
    introspectionScope: z.string().min(1).default('junction:introspect'),
    /** Scope a client needs to call /auth/sessions/update and /auth/sessions/revoke. @default "junction:sessions" */
    sessionsScope: z.string().min(1).default('junction:sessions'),
  })
  .prefault({});

export type AuthConfig = z.output<typeof authConfigSchema>;
export type SigningKeyConfig = z.output<typeof signingKeySchema>;
export type ExternalIssuerConfig = z.output<typeof externalIssuerSchema>;
