import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { JWK } from 'jose';
import type { AuthConfig, SigningAlgorithm, SigningKeyConfig } from '../config/index.js';
import { ErrorCode, JunctionError, type Problem } from '../shared/errors.js';
import type { Logger } from '../telemetry/index.js';

export interface SigningKey {
  readonly kid: string;
  readonly algorithm: SigningAlgorithm;
  /** Absent for verify-only (retiring) keys. */
  readonly privateKey?: KeyObject;
  readonly publicKey: KeyObject;
}

/** The gateway's keys: one signs, all verify, all are published at /.well-known/jwks.json. */
export interface KeyRing {
  readonly signer: SigningKey & { privateKey: KeyObject };
  readonly keys: ReadonlyMap<string, SigningKey>;
  readonly algorithms: readonly SigningAlgorithm[];
  readonly jwks: { readonly keys: readonly JWK[] };
  /** True when the key was generated at start-up (development only). */
  readonly generated: boolean;
}

export interface LoadKeyRingOptions {
  config: AuthConfig['jwt'];
  logger: Logger;
  /** Where `privateKeyEnv` / `publicKeyEnv` are read. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/**
 * Loads the configured keys (PEM or JWK, from files or environment variables) and checks that each
 * fits its algorithm. With no keys configured it generates a development key and says so loudly:
 * such tokens die with the process and other instances cannot verify them.
 */
export async function loadKeyRing({ config, logger, env = process.env }: LoadKeyRingOptions): Promise<KeyRing> {
  const keys: SigningKey[] = [];
  const problems: Problem[] = [];
  for (const [index, entry] of config.keys.entries()) {
    const where = `auth.jwt.keys[${index}]`;
    try {
      const key = await loadKey(entry, env);
      if (keys.some((k) => k.kid === key.kid)) throw new Error(`kid "${key.kid}" is used twice`);
      keys.push(key);
    } catch (error) {
      problems.push({ file: '(config)', message: `${where}: ${(error as Error).message}` });
    }
  }
  if (problems.length) throw new JunctionError(ErrorCode.CONFIG_INVALID, 'Invalid JWT signing keys', problems);
  let generated = false;
  if (keys.length === 0) {
    keys.push(generateKey(config.algorithm));
    generated = true;
    logger.warn(
      { kid: keys[0]!.kid, algorithm: config.algorithm },
      'DEVELOPMENT SIGNING KEY: no auth.jwt.keys configured, so a throw-away JWT signing key was generated at start-up. ' +
        'Its tokens stop verifying when this process restarts and other gateway instances cannot verify them. ' +
        'Configure auth.jwt.keys (files or environment variables) in production.',
    );
  }
  const signer = keys.find((k): k is SigningKey & { privateKey: KeyObject } => k.privateKey !== undefined);
  if (!signer) {
    throw new JunctionError(ErrorCode.CONFIG_INVALID, 'Invalid JWT signing keys', [
      { file: '(config)', message: 'auth.jwt.keys: no key has a private key; the first key with privateKeyFile or privateKeyEnv signs' },
    ]);
  }
  const jwks = { keys: keys.map((k) => ({ ...k.publicKey.export({ format: 'jwk' }), kid: k.kid, alg: k.algorithm, use: 'sig' }) as JWK) };
  return { signer, keys: new Map(keys.map((k) => [k.kid, k])), algorithms: [...new Set(keys.map((k) => k.algorithm))], jwks, generated };
}

async function loadKey(entry: SigningKeyConfig, env: NodeJS.ProcessEnv): Promise<SigningKey> {
  const isPrivate = Boolean(entry.privateKeyFile ?? entry.privateKeyEnv);
  const text = await keyText(entry, env);
  const input = text.trimStart().startsWith('{') ? { key: parseJwk(text), format: 'jwk' as const } : text;
  let privateKey: KeyObject | undefined;
  let publicKey: KeyObject;
  try {
    if (isPrivate) {
      privateKey = createPrivateKey(input);
      publicKey = createPublicKey(privateKey);
    } else {
      publicKey = createPublicKey(input);
    }
  } catch (error) {
    throw new Error(`cannot read the ${isPrivate ? 'private' : 'public'} key (expected ${isPrivate ? 'PKCS#8' : 'SPKI'} PEM or a JWK): ${(error as Error).message}`, { cause: error });
  }
  checkFitsAlgorithm(publicKey, entry.algorithm);
  return { kid: entry.kid, algorithm: entry.algorithm, privateKey, publicKey };
}

async function keyText(entry: SigningKeyConfig, env: NodeJS.ProcessEnv): Promise<string> {
  const file = entry.privateKeyFile ?? entry.publicKeyFile;
  if (file) {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw new Error(`cannot read key file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
    }
  }
  const name = (entry.privateKeyEnv ?? entry.publicKeyEnv)!;
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

function parseJwk(text: string): JsonWebKey {
  try {
    return JSON.parse(text) as JsonWebKey;
  } catch {
    throw new Error('the key looks like JSON but does not parse as a JWK');
  }
}

const CURVES: Partial<Record<SigningAlgorithm, string>> = { ES256: 'prime256v1', ES384: 'secp384r1' };

function checkFitsAlgorithm(key: KeyObject, algorithm: SigningAlgorithm): void {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  const fits =
    algorithm === 'EdDSA'
      ? type === 'ed25519'
      : algorithm.startsWith('ES')
        ? type === 'ec' && details.namedCurve === CURVES[algorithm]
        : (type === 'rsa' || type === 'rsa-pss') && (details.modulusLength ?? 0) >= 2048;
  if (!fits) {
    const what = type === 'ec' ? `an EC ${details.namedCurve} key` : type === 'rsa' ? `an RSA ${details.modulusLength}-bit key` : `a ${type} key`;
    throw new Error(`algorithm ${algorithm} needs ${expected(algorithm)}, but this is ${what}`);
  }
}

function expected(algorithm: SigningAlgorithm): string {
  if (algorithm === 'EdDSA') return 'an Ed25519 key';
  if (algorithm === 'ES256') return 'an EC P-256 key';
  if (algorithm === 'ES384') return 'an EC P-384 key';
  return 'an RSA key of at least 2048 bits';
}

function generateKey(algorithm: SigningAlgorithm): SigningKey {
  const kid = `dev-${randomBytes(6).toString('hex')}`;
  const pair =
    algorithm === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : algorithm.startsWith('ES')
        ? generateKeyPairSync('ec', { namedCurve: algorithm === 'ES256' ? 'P-256' : 'P-384' })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, algorithm, privateKey: pair.privateKey, publicKey: pair.publicKey };
}
