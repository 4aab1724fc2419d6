import { z } from 'zod';
import { unavailable } from './auth-errors.js';

const names = z.array(z.string().min(1).max(200)).max(200);

const userSchema = z.object({
  subject: z.string().min(1).max(256),
  name: z.string().max(256).optional(),
  roles: names.default([]),
  scopes: names.default([]),
});
const clientSchema = z.object({
  clientId: z.string().min(1).max(256),
  /** False for public clients (no secret: browser and mobile apps). */
  confidential: z.boolean(),
  roles: names.default([]),
  scopes: names.default([]),
});

export type UserIdentity = z.output<typeof userSchema>;
export type ClientIdentity = z.output<typeof clientSchema>;

/**
 * The backend `auth` service checks credentials; the gateway never sees a password store or a
 * client secret list. Contract:
 *   POST {url}/authenticate          {username, password}        -> 200 {subject, name?, roles, scopes} | 401
 *   POST {url}/clients/authenticate  {clientId, clientSecret?}   -> 200 {clientId, confidential, roles, scopes} | 401
 * Any other answer, a timeout or a refused connection is "unavailable" (503), never "denied".
 */
export interface AuthServiceClient {
  /** undefined when the credentials are wrong. */
  authenticateUser(username: string, password: string): Promise<UserIdentity | undefined>;
  /** undefined when the client is unknown or its secret is wrong. */
  authenticateClient(clientId: string, clientSecret: string | undefined): Promise<ClientIdentity | undefined>;
}

export function createAuthServiceClient({ url, timeoutMs }: { url: string; timeoutMs: number }): AuthServiceClient {
  const base = url.replace(/\/$/, '');
  async function call<T extends z.ZodType>(path: string, body: unknown, schema: T): Promise<z.output<T> | undefined> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch {
      throw unavailable('The authentication service');
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw unavailable('The authentication service');
    }
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw unavailable('The authentication service');
    return parsed.data;
  }
  return {
    authenticateUser: (username, password) => call('/authenticate', { username, password }, userSchema),
    authenticateClient: (clientId, clientSecret) => call('/clients/authenticate', { clientId, clientSecret }, clientSchema),
  };
}
