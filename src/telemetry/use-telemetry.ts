import { getOperationAST, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../shared/gateway-context.js';
import type { Telemetry } from './create-telemetry.js';
import { createVariableRedactor } from './redact-variables.js';
import { writeAccessLine } from './access-line.js';
import { clientKeyOf, type OperationRecord } from './request-state.js';
import { createFieldUsage } from './field-usage.js';
import { acceptRequestId } from './trace-context.js';
import type { TelemetryRoutes } from './telemetry-routes.js';

export interface UseTelemetryOptions {
  telemetry: Telemetry;
  /** Record field resolutions (telemetry.fields.enabled). @default true */
  fields?: boolean;
  /** Telemetry's own routes (/metrics, /admin/usage), answered from this plugin's request hook. */
  routes?: TelemetryRoutes;
}

/**
 * Request-level telemetry; first in the plugin list so it sees every request: request id (echoed),
 * trace context, one access log line, request and operation metrics, metering of each operation,
 * and field usage (field-usage.ts). One plugin, so each request pays for one set of yoga hooks.
 */
export function useTelemetry({ telemetry, fields = true, routes }: UseTelemetryOptions): Plugin {
  const { config, metrics, meter, requests } = telemetry;
  const recordFields = fields ? createFieldUsage(telemetry) : undefined;
  // The access line (access-line.ts) holds known fields only (variables already redacted by
  // redactVariables), none at a path the root logger redacts: it is written straight into the request
  // log's block, without pino's redaction pass and per-key serializer (both pure cost on every request).
  const access = config.accessLog.enabled ? telemetry.requestLines('access', 'request') : undefined;
  const skip = new Set(config.accessLog.skipPaths);
  const redact = config.accessLog.variables
    ? createVariableRedactor({ pattern: config.accessLog.redactVariables, maxBytes: config.accessLog.maxVariablesBytes })
    : undefined;

  return {
    onRequest({ request, url, serverContext, endResponse }) {
      const node = serverContext as NodeServerContext | undefined;
      const parsed = nodeHeadersOf(node);
      const requestId = acceptRequestId(incomingHeader(parsed, request, 'x-request-id'));
      // tracestate means nothing without a traceparent: most requests are spared the lookup.
      const traceparent = incomingHeader(parsed, request, 'traceparent');
      const path = url.pathname;
      const { span, rejected } = telemetry.tracer.start(traceparent, traceparent === null ? null : incomingHeader(parsed, request, 'tracestate'), () => ({
        'http.request.method': request.method, 'url.path': path,
      }));
      let rejectedHeaders = NONE_REJECTED;
      if (requestId.rejected || rejected) rejectedHeaders = [...(requestId.rejected ? ['x-request-id'] : []), ...(rejected ? ['traceparent'] : [])];
      requests.set(request, {
        id: requestId.id, span, started: performance.now(), method: request.method, path, logged: !skip.has(path),
        rejectedHeaders, operations: [], upstream: [], upstreamOmitted: 0, errorCodes: [],
      });
      return routes?.(request, url)?.then(endResponse);
    },
    onParams({ request, params }) {
      const state = requests.get(request);
      if (!state) return;
      const persisted = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
      state.operations.push({
        params,
        name: params.operationName ?? undefined,
        // The text's hash is taken when the operation executes, or when the request ends (see documentHash).
        query: params.query || undefined,
        hash: params.query ? undefined : typeof persisted === 'string' ? persisted : undefined,
        variables: redact?.(params.variables),
      });
    },
    onExecute({ args }) {
      const context = args.contextValue as unknown as GatewayContext & { params?: object };
      const state = requests.get(context.request);
      if (!state) {
        const fieldsDone = recordFields?.(args.schema, context, undefined, undefined, performance.now());
        return fieldsDone && { onExecuteDone: ({ result }) => fieldsDone(result, performance.now()) };
      }
      // For resolvers and policies that log (set here, not in a context-building hook: one hook less per request).
      context.requestId = state.id;
      let record = state.operations.find((o) => o.params === context.params);
      if (!record) state.operations.push((record = { params: context.params ?? {} }));
      const operation = getOperationAST(args.document, args.operationName);
      record.name = operation?.name?.value ?? record.name;
      record.type = operation?.operation ?? 'query';
      record.client = clientKeyOf(context.viewer);
      state.viewer = context.viewer;
      // The document yoga parsed (cached per query text) keys its hash: the text is not hashed again.
      if (record.hash === undefined && record.query !== undefined) record.hash = telemetry.documentHash(record.query, args.document);
      const started = performance.now();
      const fieldsDone = recordFields?.(args.schema, context, state, record, started);
      record.startedAt = started;
      const done = record;
      return {
        onExecuteDone({ result }) {
          const ended = performance.now();
          fieldsDone?.(result, ended);
          done.durationMs = ended - started;
          if ('errors' in result && result.errors?.length) done.errors = codesOf(result.errors);
          metrics?.operation(done.name, done.type ?? 'query', done.durationMs / 1000);
        },
      };
    },
    onResultProcess({ request, result }) {
      const state = requests.get(request);
      if (!state) return;
      for (const r of Array.isArray(result) ? result : [result]) {
        const errors = (r as { errors?: readonly GraphQLError[] }).errors;
        if (!errors?.length) continue;
        metrics?.graphqlErrors(errors.map(codeOf));
        for (const code of codesOf(errors)) if (!state.errorCodes.includes(code)) state.errorCodes.push(code);
      }
    },
    onResponse({ request, response }) {
      const state = requests.get(request);
      requests.delete(request);
      const status = response.status;
      metrics?.request(status);
      // Echoed here, through the Response's headers: while they are still the plain object the response
      // was built with, set() adds to that object, and @whatwg-node/server writes it in one writeHead.
      // (Set on Node's response instead, Node validated and stored every header twice: about 2.5 µs.)
      // Routes answered before our onRequest ran (yoga's /healthz) still get an id.
      setHeader(response, 'x-request-id', state?.id ?? acceptRequestId(request.headers.get('x-request-id')).id);
      if (!state) return;
      const durationMs = performance.now() - state.started;
      for (const op of state.operations) {
        // Operations that never executed (a syntax error, say) are hashed from their text.
        if (op.hash === undefined && op.query !== undefined) op.hash = telemetry.documentHash(op.query);
        if (op.durationMs === undefined) continue;
        meter?.operation(op.client ?? 'anonymous', meteredName(op), op.durationMs, op.errors !== undefined, op.collector);
        if (state.span.recording && op.startedAt !== undefined) {
          state.span.child(`graphql.operation ${op.name ?? 'anonymous'}`, 'internal', op.startedAt, op.durationMs, {
            'graphql.operation.name': op.name ?? '', 'graphql.operation.type': op.type ?? 'query', 'graphql.document.hash': op.hash ?? '',
            ...(op.errors ? { 'junction.error_codes': op.errors.join(',') } : {}),
          }, op.errors !== undefined);
        }
      }
      const out = access && state.logged ? access.begin() : undefined;
      if (out) {
        writeAccessLine(out, state, status, durationMs, request, response);
        access!.end();
      }
      if (state.span.recording) {
        state.span.end({ 'http.response.status_code': status, 'junction.request_id': state.id, 'junction.client': clientKeyOf(state.viewer) }, status >= 500);
      }
    },
  };
}

// Most requests have no malformed header: they share one empty list (never pushed to).
const NONE_REJECTED: readonly string[] = Object.freeze([]);

/** The Node request behind a request served by Node's http server (absent with `gateway.fetch`). */
interface NodeServerContext {
  req?: { headers?: unknown };
}

/** The headers Node parsed for a request served by Node's http server (plain object, lower-case keys). */
function nodeHeadersOf(node: NodeServerContext | undefined): Record<string, unknown> | undefined {
  const parsed = node?.req?.headers;
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
}

/**
 * A client's header. Under Node's http server, read from the object Node parsed (repeated headers
 * joined with ", ", as fetch's Headers joins them): the headers telemetry reads are usually absent,
 * and a miss in @whatwg-node's Headers lists and lower-cases every header name of the request, where
 * a miss on Node's object is one property lookup.
 */
function incomingHeader(parsed: Record<string, unknown> | undefined, request: Request, name: string): string | null {
  if (parsed === undefined) return request.headers.get(name);
  const value = parsed[name];
  return typeof value === 'string' ? value : null;
}

function setHeader(response: Response, name: string, value: string): void {
  try {
    response.headers.set(name, value);
  } catch {
    // Immutable headers (Response.error(), redirects): nothing to echo into.
  }
}

/** Operations are metered by name; anonymous ones by a short document hash so distinct queries stay apart. */
function meteredName(op: OperationRecord): string {
  const hash = (op.hash ?? 'unknown').slice(0, 12);
  if (op.name === undefined) return `anonymous:${hash}`;
  // A GraphQL name has no length limit; a counter name must not carry a megabyte.
  return op.name.length > 128 ? `${op.name.slice(0, 100)}…${hash}` : op.name;
}

const codeOf = (e: GraphQLError) => (typeof e.extensions?.['code'] === 'string' ? (e.extensions['code'] as string) : 'GRAPHQL_ERROR');

/** Distinct codes, in order of appearance. */
function codesOf(errors: readonly GraphQLError[]): string[] {
  const codes: string[] = [];
  for (const e of errors) {
    const code = codeOf(e);
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}
