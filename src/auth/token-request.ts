import { OAuthError } from './auth-errors.js';

/** A request to one of the token routes, after parsing. */
export interface TokenRequest {
  /** Body parameters (form-encoded or JSON), each given once. */
  params: Record<string, string>;
  /** Client credentials from HTTP Basic or from client_id/client_secret in the body. */
  client?: ClientCredentials;
  /** `Authorization: Bearer ...` (introspection and session routes accept a token instead of a client secret). */
  bearer?: string;
  /** Address the rate limits count against. */
  ip: string;
}

export interface ClientCredentials {
  id: string;
  secret?: string;
  method: 'basic' | 'body';
}

const BODY_LIMIT = 16 * 1024;
const FIELD_LIMIT = 4096;

/** Parses an OAuth request: `application/x-www-form-urlencoded` (the standard) or JSON. Throws OAuthError. */
export async function readTokenRequest(request: Request, ip: string): Promise<TokenRequest> {
  const params = await readParams(request);
  const { client, bearer } = credentials(request.headers.get('authorization'), params);
  return { params, client, bearer, ip };
}

async function readParams(request: Request): Promise<Record<string, string>> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const text = await readLimited(request);
  if (text.trim() === '') return {};
  if (type === 'application/x-www-form-urlencoded') {
    const params: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(text)) {
      // RFC 6749 §3.2: parameters must not be sent more than once.
      if (Object.hasOwn(params, key)) throw new OAuthError('invalid_request', `Parameter ${key} is given more than once`);
      params[key] = value;
    }
    return checked(params);
  }
  if (type === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new OAuthError('invalid_request', 'The body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new OAuthError('invalid_request', 'The JSON body must be an object');
    for (const [key, value] of Object.entries(body)) {
      if (typeof value !== 'string') throw new OAuthError('invalid_request', `Parameter ${key} must be a string`);
    }
    return checked(body as Record<string, string>);
  }
  throw new OAuthError('invalid_request', 'Send the parameters as application/x-www-form-urlencoded or application/json', 415);
}

function checked(params: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(params)) {
    if (value.length > FIELD_LIMIT) throw new OAuthError('invalid_request', `Parameter ${key.slice(0, 64)} is too long`);
  }
  return params;
}

async function readLimited(request: Request): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > BODY_LIMIT) throw new OAuthError('invalid_request', `The body is larger than ${BODY_LIMIT} bytes`, 413);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > BODY_LIMIT) {
      await reader.cancel();
      throw new OAuthError('invalid_request', `The body is larger than ${BODY_LIMIT} bytes`, 413);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** RFC 6749 §2.3.1: HTTP Basic (form-encoded id and secret) or body parameters, never both. */
function credentials(authorization: string | null, params: Record<string, string>): { client?: ClientCredentials; bearer?: string } {
  const bodyClient = params['client_id'];
  const bodySecret = params['client_secret'];
  const fromBody: ClientCredentials | undefined = bodyClient ? { id: bodyClient, secret: bodySecret, method: 'body' } : undefined;
  if (!authorization) return { client: fromBody };
  const space = authorization.indexOf(' ');
  const scheme = (space === -1 ? authorization : authorization.slice(0, space)).toLowerCase();
  const value = space === -1 ? '' : authorization.slice(space + 1).trim();
  if (scheme === 'bearer' && value) return { bearer: value, client: fromBody };
  if (scheme !== 'basic') throw new OAuthError('invalid_client', 'Authenticate with HTTP Basic or client_id and client_secret', 401, { 'www-authenticate': 'Basic realm="junction"' });
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  let id: string;
  let secret: string;
  try {
    id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
    secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
  } catch {
    id = '';
    secret = '';
  }
  if (colon <= 0 || !id) throw new OAuthError('invalid_client', 'The HTTP Basic credentials are malformed', 401, { 'www-authenticate': 'Basic realm="junction"' });
  if (bodySecret !== undefined) throw new OAuthError('invalid_request', 'Use one client authentication method: HTTP Basic or client_secret, not both');
  if (bodyClient !== undefined && bodyClient !== id) throw new OAuthError('invalid_request', 'client_id differs from the HTTP Basic client');
  return { client: { id, secret, method: 'basic' } };
}
