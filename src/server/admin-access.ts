import type { Auth } from '../auth/index.js';
import { adminTokenGuard, type AdminGuard } from '../shared/admin-guard.js';
import type { GatewayConfig } from '../config/index.js';

/** The role that opens the /admin routes to a signed-in viewer. */
export const ADMIN_ROLE = 'admin';

/**
 * Who may use the /admin routes: the operator's admin token (balancing.admin.token), or a bearer
 * token of a viewer with the `admin` role. The admin routes answer before authentication runs, so
 * the guard checks the token itself (an admin token is not a token authentication would accept).
 */
export function adminAccess(config: GatewayConfig, auth: Auth): AdminGuard {
  // One operator token opens every admin route; it may be set under either section.
  const byToken = adminTokenGuard(config.balancing.admin.token ?? config.telemetry.admin.token);
  const authenticator = auth.authenticator;
  if (!authenticator) return byToken;
  return async (request) => {
    let viewer;
    try {
      viewer = await authenticator.authenticate(request.headers.get('authorization') ?? undefined);
    } catch {
      viewer = undefined; // not a token authentication accepts: maybe the admin token
    }
    if (viewer?.roles.includes(ADMIN_ROLE)) return { allowed: true };
    const decision = await byToken(request);
    if (decision.allowed || !viewer) return decision;
    return { allowed: false, status: 403, message: `Admin routes need the "${ADMIN_ROLE}" role or the admin token` };
  };
}
