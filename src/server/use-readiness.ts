import type { Plugin } from 'graphql-yoga';

export interface ReadinessOptions {
  /** @default "/readyz" */
  endpoint?: string;
  /** Ready = a graph is loaded and the gateway is not draining. */
  isReady: () => boolean;
}

/** `GET /readyz`: 200 while the gateway should receive traffic, 503 before the graph loads and while draining. */
export function useReadiness({ endpoint = '/readyz', isReady }: ReadinessOptions): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint) return;
      const ready = isReady();
      endResponse(
        new fetchAPI.Response(JSON.stringify({ ready }), {
          status: ready ? 200 : 503,
          headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        }),
      );
    },
  };
}
