import { createHash, timingSafeEqual } from 'node:crypto';

/** What an admin route does with a request. */
export type AdminDecision = { allowed: true } | { allowed: false; status: 401 | 403; message: string };

/**
 * Decides whether a request may use an admin route (/admin/upstreams, /admin/usage, /metrics). The
 * gateway's guard (src/server/admin-access.ts) admits the operator token or a viewer with the admin role.
 */
export type AdminGuard = (request: Request) => AdminDecision | Promise<AdminDecision>;

/**
 * Admits requests carrying `Authorization: Bearer <token>`. Without a configured token nobody is
 * admitted: the routes list internal URLs, so they are closed until an operator opens them.
 */
export function adminTokenGuard(token: string | undefined): AdminGuard {
  if (token === undefined) {
    return () => ({ allowed: false, status: 403, message: 'Admin routes are disabled: set balancing.admin.token (or JUNCTION_ADMIN_TOKEN)' });
  }
  const expected = digest(token);
  return (request) => {
    const match = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '');
    // Compare digests in constant time, so response timing does not reveal the token prefix.
    if (match && timingSafeEqual(digest(match[1]!.trim()), expected)) return { allowed: true };
    return { allowed: false, status: 401, message: 'An admin bearer token is required' };
  };
}

/** Admits a request when any guard does; otherwise answers with the first guard's refusal. */
export function anyAdminGuard(...guards: AdminGuard[]): AdminGuard {
  return async (request) => {
    let first: AdminDecision | undefined;
    for (const guard of guards) {
      const decision = await guard(request);
      if (decision.allowed) return decision;
      first ??= decision;
    }
    return first ?? { allowed: false, status: 403, message: 'Forbidden' };
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
