import { createLocalJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Viewer } from '../shared/viewer.js';
import type { AuthFailureReason } from './auth-events.js';
import { AuthenticationError } from './auth-errors.js';
import { createExternalIssuers, mapExternalClaims } from './external-issuers.js';
import { ACCESS_TOKEN_TYP } from './jwt-issuer.js';
import type { ExternalIssuerConfig } from '../config/index.js';
import type { KeyRing } from './signing-keys.js';

export interface JwtVerifierOptions {
  keyRing: KeyRing;
  issuer: string;
  audience: string;
  clockToleranceSeconds: number;
  external: readonly ExternalIssuerConfig[];
  now: () => number;
}

/** Verifies a JWT access token (the gateway's own or an external provider's) into a viewer. Throws AuthenticationError. */
export type JwtVerifier = (token: string) => Promise<Viewer>;

/**
 * The unverified `iss` only picks which keys and rules apply; nothing from the token is trusted
 * before its signature and claims pass. Algorithms are always an explicit allow-list, so `alg: none`
 * and HS256-signed-with-the-public-key tokens fail before any key is touched.
 */
export function createJwtVerifier({ keyRing, issuer, audience, clockToleranceSeconds, external, now }: JwtVerifierOptions): JwtVerifier {
  const ownKeys: JWTVerifyGetKey = createLocalJWKSet({ keys: [...keyRing.jwks.keys] });
  const externals = createExternalIssuers(external);

  return async function verify(token) {
    let claimedIssuer: unknown;
    try {
      claimedIssuer = decodeJwt(token).iss;
    } catch (error) {
      throw new AuthenticationError('malformed', (error as Error).message);
    }
    const currentDate = new Date(now());
    if (claimedIssuer === issuer) {
      const payload = await run(() =>
        jwtVerify(token, ownKeys, {
          issuer,
          audience,
          algorithms: [...keyRing.algorithms],
          typ: ACCESS_TOKEN_TYP,
          clockTolerance: clockToleranceSeconds,
          currentDate,
          requiredClaims: ['exp', 'iat', 'jti', 'sub'],
        }),
      );
      return ownViewer(payload);
    }
    const provider = typeof claimedIssuer === 'string' ? externals.get(claimedIssuer) : undefined;
    if (!provider) throw new AuthenticationError('untrusted_issuer');
    const { config } = provider;
    const payload = await run(
      () =>
        jwtVerify(token, provider.keys, {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: [...config.algorithms],
          clockTolerance: config.clockToleranceSeconds,
          currentDate,
          requiredClaims: ['exp'],
        }),
      true,
    );
    const mapped = mapExternalClaims(payload, config.claims);
    return Object.freeze({
      authenticated: true,
      ...mapped,
      roles: Object.freeze(mapped.roles),
      scopes: Object.freeze(mapped.scopes),
      tokenKind: 'external-jwt',
      tokenId: payload.jti,
      issuer: config.issuer,
      expiresAt: payload.exp! * 1000,
    } satisfies Viewer);
  };
}

async function run(verify: () => Promise<{ payload: JWTPayload }>, remote = false): Promise<JWTPayload> {
  try {
    return (await verify()).payload;
  } catch (error) {
    throw new AuthenticationError(reasonFor(error, remote), (error as Error).message);
  }
}

function ownViewer(payload: JWTPayload): Viewer {
  const { sub, scope, roles, client_id: clientId, name, gty, jti, iss, exp } = payload;
  const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (typeof scope !== 'string' || !isStrings(roles) || (clientId !== undefined && typeof clientId !== 'string') || (name !== undefined && typeof name !== 'string')) {
    throw new AuthenticationError('invalid_claims');
  }
  return Object.freeze({
    authenticated: true,
    subject: gty === 'client_credentials' ? undefined : sub,
    name,
    roles: Object.freeze([...roles]),
    scopes: Object.freeze(scope.split(' ').filter(Boolean)),
    clientId,
    tokenKind: 'jwt',
    tokenId: jti,
    issuer: iss,
    expiresAt: exp! * 1000,
  } satisfies Viewer);
}

/** jose's error classes to our reasons. Anything unexpected from a remote key set means "cannot check now". */
function reasonFor(error: unknown, remote: boolean): AuthFailureReason {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' || error.claim === 'iat') return 'not_yet_valid';
    if (error.claim === 'aud') return 'wrong_audience';
    if (error.claim === 'iss') return 'untrusted_issuer';
    if (error.claim === 'typ') return 'wrong_token_type';
    return 'invalid_claims';
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm_not_allowed';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return 'unknown_key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof errors.JOSENotSupported) return 'unsupported';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'malformed';
  if (remote) return 'jwks_unavailable';
  return 'malformed';
}
