import type { Plugin } from 'graphql-yoga';
import type { AdminGuard } from '../shared/admin-guard.js';
import type { Upstreams } from './upstreams.js';

export interface UpstreamsAdminOptions {
  upstreams: Upstreams;
  /** Who may look; see `adminTokenGuard`. */
  guard: AdminGuard;
  /** @default "/admin/upstreams" */
  endpoint?: string;
}

/**
 * `GET /admin/upstreams`: every service's endpoints with state, region, weight, in-flight,
 * success/failure counts, ejections and latency EWMA, as JSON. Guarded: it shows internal URLs.
 */
export function useUpstreamsAdmin({ upstreams, guard, endpoint = '/admin/upstreams' }: UpstreamsAdminOptions): Plugin {
  return {
    // Not async: every other request passes through here without waiting a tick.
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint) return;
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify(body, null, 2), {
            status,
            headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
          }),
        );
      if (request.method !== 'GET' && request.method !== 'HEAD') return json(405, { error: 'Use GET' }, { allow: 'GET, HEAD' });
      return (async () => {
        const decision = await guard(request);
        if (!decision.allowed) {
          return json(decision.status, { error: decision.message }, decision.status === 401 ? { 'www-authenticate': 'Bearer realm="junction-admin"' } : {});
        }
        json(200, upstreams.snapshot());
      })();
    },
  };
}
