import { createHash, timingSafeEqual } from 'node:crypto';

/** What an admin route does with a request: serve it, ask for credentials (401), or refuse (403). */
export type AdminDecision = 'allow' | 'unauthenticated' | 'forbidden';

/**
 * Decides whether a request may use the admin routes (/admin/usage, /metrics). Pluggable so that
 * authentication (issue #3) can add "a token with the admin role" next to the static token.
 */
export type AdminGuard = (request: Request) => AdminDecision | Promise<AdminDecision>;

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Allows `Authorization: Bearer <token>` with the configured admin token (compared in constant time).
 * Without a configured token nobody is allowed.
 */
export function createAdminTokenGuard(token: string | undefined): AdminGuard {
  const expected = token === undefined ? undefined : digest(token);
  return (request) => {
    const header = request.headers.get('authorization');
    if (header === null) return 'unauthenticated';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match || !expected) return 'forbidden';
    return timingSafeEqual(digest(match[1]!), expected) ? 'allow' : 'forbidden';
  };
}

/** Allows a request when any guard allows it; asks for credentials when one of them does. */
export function anyAdminGuard(guards: readonly AdminGuard[]): AdminGuard {
  return async (request) => {
    let decision: AdminDecision = 'forbidden';
    for (const guard of guards) {
      const d = await guard(request);
      if (d === 'allow') return 'allow';
      if (d === 'unauthenticated') decision = 'unauthenticated';
    }
    return decision;
  };
}
