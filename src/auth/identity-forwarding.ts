import type { GatewayContext } from '../shared/gateway-context.js';
import type { Viewer } from '../shared/viewer.js';
import type { UpstreamHeadersHook } from '../transports/index.js';
import type { JwtIssuer } from './jwt-issuer.js';

/**
 * Headers that carry the verified identity to services. Only the gateway sets them: a client that
 * sends any of them has them removed before anything reads the request.
 */
export const IDENTITY_HEADERS = [
  'x-junction-subject', 'x-junction-name', 'x-junction-roles', 'x-junction-scopes', 'x-junction-client-id',
  'x-junction-token-kind', 'x-junction-issuer', 'x-junction-identity',
] as const;

export type ForwardMode = 'headers' | 'jwt' | 'both' | 'none';

export interface IdentityForwarding {
  /** Called once per authenticated request, before execution: signs the identity JWT when the mode needs one. */
  prepare(viewer: Viewer): Promise<void>;
  /** The upstream-headers hook (transports call it for every upstream request). */
  upstreamHeaders: UpstreamHeadersHook | undefined;
}

export function stripIdentityHeaders(headers: Headers): void {
  for (const name of IDENTITY_HEADERS) if (headers.has(name)) headers.delete(name);
}

/**
 * Header values stay printable ASCII: `%`, control characters and non-ASCII (e.g. from an external
 * provider's claims) are percent-encoded, so `decodeURIComponent` restores the value and nothing can
 * break a header. List items (roles, scopes) also encode spaces and commas: lists are space-separated.
 */
export function encodeHeaderValue(value: string, listItem = false): string {
  const unsafe = listItem ? /[^\x21-\x24\x26-\x2b\x2d-\x7e]/gu : /[^\x20-\x24\x26-\x7e]|^ | $/gu;
  return value.replace(unsafe, (c) => encodeURIComponent(c));
}

export function createIdentityForwarding({ mode, jwt, now, ttlSeconds }: { mode: ForwardMode; jwt: JwtIssuer; now: () => number; ttlSeconds: number }): IdentityForwarding {
  // Viewers of cached JWTs are shared by many requests, so both caches are keyed by the viewer object.
  const signed = new WeakMap<Viewer, { token: string; renewAt: number }>();
  const computed = new WeakMap<Viewer, Record<string, string>>();
  const withHeaders = mode === 'headers' || mode === 'both';
  const withJwt = mode === 'jwt' || mode === 'both';

  function headersFor(viewer: Viewer): Record<string, string> {
    let headers = computed.get(viewer);
    if (!headers) {
      headers = {};
      const set = (name: string, value: string | undefined) => {
        if (value !== undefined && value !== '') headers![name] = encodeHeaderValue(value);
      };
      set('x-junction-subject', viewer.subject);
      set('x-junction-name', viewer.name);
      set('x-junction-client-id', viewer.clientId);
      set('x-junction-token-kind', viewer.tokenKind);
      set('x-junction-issuer', viewer.tokenKind === 'external-jwt' ? viewer.issuer : undefined);
      if (viewer.roles.length) headers['x-junction-roles'] = viewer.roles.map((r) => encodeHeaderValue(r, true)).join(' ');
      if (viewer.scopes.length) headers['x-junction-scopes'] = viewer.scopes.map((r) => encodeHeaderValue(r, true)).join(' ');
      computed.set(viewer, headers);
    }
    const identity = signed.get(viewer);
    return identity ? { ...headers, 'x-junction-identity': identity.token } : headers;
  }

  return {
    async prepare(viewer) {
      if (!withJwt || !viewer.authenticated) return;
      // One signature serves every request of this viewer for half the identity token's lifetime.
      const current = signed.get(viewer);
      if (current && current.renewAt > now()) return;
      signed.set(viewer, { token: await jwt.signIdentityToken(viewer, now()), renewAt: now() + (ttlSeconds * 1000) / 2 });
    },
    upstreamHeaders:
      mode === 'none'
        ? undefined
        : (context) => {
            const viewer = (context as Partial<GatewayContext> | undefined)?.viewer;
            if (!viewer?.authenticated) return undefined;
            if (withHeaders) return headersFor(viewer);
            const token = signed.get(viewer)?.token;
            return token ? { 'x-junction-identity': token } : undefined;
          },
  };
}
