import { generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { startMockServer, type RunningMock } from '../../services-mock/mock-server.js';
import { createGraphQLHandler } from '../../services-mock/services/graphql-handler.js';
import { startMocks, type MockFleet } from '../helpers/mocks.js';
import { demoRegistryFor, type TempRegistry } from '../helpers/registry.js';

/** Demo services + the auth service + `echo`, a GraphQL service that answers with the identity headers it received. */
export interface AuthFleet extends AsyncDisposable {
  mocks: MockFleet;
  echo: RunningMock;
  registry: TempRegistry;
  authUrl: string;
}

const ECHO_SDL = /* GraphQL */ `
  type Identity { subject: String name: String roles: String scopes: String clientId: String tokenKind: String issuer: String identity: String authorization: String }
  type Query { whoami: Identity! }
`;

export async function startAuthFleet(): Promise<AuthFleet> {
  const mocks = await startMocks({ users: 1, products: 1, reviews: 1, orders: 1, auth: 1 });
  const echo = await startMockServer(
    'echo',
    createGraphQLHandler(ECHO_SDL, {
      Query: {
        whoami: (_: unknown, __: unknown, { request }: { request: Request }) => {
          const h = (name: string) => request.headers.get(name);
          return {
            subject: h('x-junction-subject'), name: h('x-junction-name'), roles: h('x-junction-roles'), scopes: h('x-junction-scopes'),
            clientId: h('x-junction-client-id'), tokenKind: h('x-junction-token-kind'), issuer: h('x-junction-issuer'),
            identity: h('x-junction-identity'), authorization: h('authorization'),
          };
        },
      },
    }),
  );
  const registry = await demoRegistryFor(mocks);
  await registry.write('echo/service.yaml', `name: echo\nkind: graphql\nendpoints:\n  - url: ${echo.url}/graphql\n`);
  await registry.write('echo/schema.graphql', ECHO_SDL);
  return {
    mocks,
    echo,
    registry,
    authUrl: mocks.auth![0]!.url,
    [Symbol.asyncDispose]: async () => {
      await Promise.all([mocks[Symbol.asyncDispose](), echo.close(), registry[Symbol.asyncDispose]()]);
    },
  };
}

export const WHOAMI = '{ whoami { subject name roles scopes clientId tokenKind issuer identity authorization } }';

export interface FormResult {
  status: number;
  headers: Headers;
  body: any;
}

/** POSTs a form (or JSON with `json: true`) to a token route. */
export async function postForm(url: string, params: Record<string, string>, headers: Record<string, string> = {}, json = false): Promise<FormResult> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded', ...headers },
    body: json ? JSON.stringify(params) : new URLSearchParams(params).toString(),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

export async function login(gatewayUrl: string, username = 'alice', password = 'wonderland', extra: Record<string, string> = {}) {
  const res = await postForm(`${gatewayUrl}/auth/token`, { grant_type: 'password', username, password, ...extra });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { access_token: string; refresh_token: string; expires_in: number; scope: string; token_type: string };
}

/** A client_credentials token of a confidential client, authenticated with HTTP Basic. */
export async function clientToken(gatewayUrl: string, clientId: string, secret: string, extra: Record<string, string> = {}) {
  const res = await postForm(`${gatewayUrl}/auth/token`, { grant_type: 'client_credentials', ...extra }, { authorization: basic(clientId, secret) });
  if (res.status !== 200) throw new Error(`client_credentials failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { access_token: string; expires_in: number; scope: string; token_type: string };
}

export interface TestKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  privateFile: string;
  publicFile: string;
}

export interface KeyDir extends AsyncDisposable {
  dir: string;
  key(kid: string, type?: 'ec' | 'ed25519' | 'rsa'): Promise<TestKey>;
}

/** Writes fresh key pairs as PEM files into a temporary folder. */
export async function keyDir(): Promise<KeyDir> {
  const dir = await mkdtemp(join(tmpdir(), 'junction-keys-'));
  return {
    dir,
    async key(kid, type = 'ec') {
      const pair =
        type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
      const privateFile = join(dir, `${kid}.pem`);
      const publicFile = join(dir, `${kid}.pub.pem`);
      await writeFile(privateFile, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      await writeFile(publicFile, pair.publicKey.export({ type: 'spki', format: 'pem' }));
      return { kid, privateKey: pair.privateKey, publicKey: pair.publicKey, privateFile, publicFile };
    },
    [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Signs arbitrary header + claims, for tokens the gateway must refuse. */
export function sign(key: KeyObject, header: Record<string, unknown>, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key);
}

/** ES256 by hand, for headers jose refuses to produce (e.g. an unknown `crit`). */
export function rawSignES256(key: KeyObject, header: Record<string, unknown>, claims: Record<string, unknown>): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${cryptoSign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Claims the gateway accepts (issuer and audience "junction", the defaults). */
export function goodClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = nowSeconds();
  return { iss: 'junction', aud: 'junction', sub: '1', jti: `t-${Math.random()}`, scope: 'orders:read', roles: ['admin'], iat, nbf: iat, exp: iat + 300, ...overrides };
}

export const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
