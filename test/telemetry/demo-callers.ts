import type { UsageReport } from '../../src/telemetry/index.js';
import { clientToken, login } from '../auth/auth-helpers.js';
import type { RunningGateway } from '../helpers/gateway.js';

/**
 * The demo's callers and the metering key each is counted under (`viewer.clientId ?? viewer.subject`):
 * two services signing in with client_credentials, and two users signing in with the password grant
 * and no client id, counted by their subject. alice has the `admin` role, bob does not.
 */
export const CLIENT_KEY = { inventory: 'inventory-service', backoffice: 'backoffice', alice: '1', bob: '2' } as const;
export type Caller = keyof typeof CLIENT_KEY;

/** Signs every demo caller in through the gateway's /auth/token; returns each one's request headers. */
export async function signIn(gatewayUrl: string, tokenFormat: 'jwt' | 'opaque' = 'jwt'): Promise<Record<Caller, { authorization: string }>> {
  const extra = { token_format: tokenFormat };
  const [inventory, backoffice, alice, bob] = await Promise.all([
    clientToken(gatewayUrl, 'inventory-service', 'inventory-secret', extra),
    clientToken(gatewayUrl, 'backoffice', 'backoffice-secret', extra),
    login(gatewayUrl, 'alice', 'wonderland', extra),
    login(gatewayUrl, 'bob', 'builder', extra),
  ]);
  const bearer = ({ access_token }: { access_token: string }) => ({ authorization: `Bearer ${access_token}` });
  return { inventory: bearer(inventory), backoffice: bearer(backoffice), alice: bearer(alice), bob: bearer(bob) };
}

/** GET /admin/usage with admin credentials (the operator token, or the token of a viewer with the admin role). */
export async function usageReport(gw: RunningGateway, authorization: string, query = ''): Promise<UsageReport> {
  const res = await fetch(`${gw.url}/admin/usage${query}`, { headers: { authorization } });
  if (res.status !== 200) throw new Error(`usage report: ${res.status} ${await res.text()}`);
  return (await res.json()) as UsageReport;
}

/** `coordinate -> count` of a report's fields. */
export const fieldCounts = (report: UsageReport) => Object.fromEntries(report.fields.map((f) => [f.coordinate, f.count]));
