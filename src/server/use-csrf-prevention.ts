import type { Plugin } from 'graphql-yoga';

const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const PREFLIGHT_HEADERS = ['x-junction-csrf', 'apollo-require-preflight', 'x-apollo-operation-name'];

/**
 * Browsers send form-encoded and multipart POSTs cross-site without a CORS preflight, so such a POST
 * could run a mutation with the victim's cookies. Like Apollo Router, refuse those unless the client
 * proves it is not a plain form by sending a custom header. JSON POSTs and GET queries are unaffected
 * (yoga already refuses mutations over GET).
 */
export function useCsrfPrevention(): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      const contentType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!SIMPLE_CONTENT_TYPES.includes(contentType)) return;
      if (PREFLIGHT_HEADERS.some((h) => request.headers.get(h))) return;
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({
            errors: [{
              message: `This request looks like a cross-site form post (content-type ${contentType}); send JSON, or add the header x-junction-csrf: 1.`,
              extensions: { code: 'CSRF_PREVENTED' },
            }],
          }),
          { status: 403, headers: { 'content-type': 'application/json' } },
        ),
      );
    },
  };
}
