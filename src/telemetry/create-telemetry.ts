import type { PlanObserver } from '../planner/index.js';
import { createHash } from 'node:crypto';
import { isInterfaceType, isObjectType, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { UpstreamObserver } from '../balancing/index.js';
import type { TelemetryConfig } from '../config/index.js';
import type { RedisClient } from '../redis/index.js';
import { ErrorCode, JunctionError } from '../shared/errors.js';
import type { GatewayContext } from '../shared/gateway-context.js';
import type { UpstreamHeadersHook } from '../transports/index.js';
import { NO_INDEX, type FieldCollector } from './field-collector.js';
import { COLLECTOR, instrumentSchema, type FieldTable } from './field-table.js';
import type { Logger } from './logger.js';
import { createRequestLog, type LineWriter } from './request-log.js';
import { createMetrics, type FieldTotals, type Metrics, type TokenFailureReason } from './metrics.js';
import { clientKeyOf, MAX_UPSTREAM_ENTRIES, requestStates, type RequestState } from './request-state.js';
import type { ObjectSlot } from '../shared/object-slot.js';
import { formatTraceparent } from './trace-context.js';
import { createTracer, type Tracer } from './tracer.js';
import {
  buildUsageReport, createMemoryUsageStore, createRedisUsageStore, createUsageMeter, type UsageFilter, type UsageMeter, type UsageReport,
} from './usage/index.js';

/** What telemetry needs to know of the live graph: its schema and which service defines what. */
export interface TelemetryGraph {
  readonly schema: GraphQLSchema;
  readonly services: ReadonlyArray<{ readonly name: string; readonly schema: GraphQLSchema }>;
}

export interface TelemetryOptions {
  config: TelemetryConfig;
  logger: Logger;
  /** Shared Redis connection: usage counters go there when configured. */
  redis?: RedisClient;
  currentGraph: () => TelemetryGraph | undefined;
}

export interface Telemetry extends AsyncDisposable {
  readonly config: TelemetryConfig;
  readonly logger: Logger;
  /** For per-request lines (access log, field records): buffered on stdout (see createRequestLog). */
  readonly requestLogger: Logger;
  /** A fast writer of per-request info lines of `module` with message `msg` (the access log), into the request log. */
  requestLines(module: string, msg: string): LineWriter;
  readonly metrics: Metrics | undefined;
  readonly meter: UsageMeter | undefined;
  readonly tracer: Tracer;
  /** For `createUpstreams({ observer })`: access log entries, metrics, spans and metering of every upstream attempt. */
  readonly upstreamObserver: UpstreamObserver;
  /** For the graph's upstream headers: traceparent, tracestate and x-request-id on every upstream call. */
  readonly upstreamHeaders: UpstreamHeadersHook;
  readonly requests: ObjectSlot<RequestState>;
  /** The instrumented field table of a schema (resolvers wrapped once, on first use). */
  fieldTable(schema: GraphQLSchema): FieldTable;
  /**
   * sha256 hex of a document text, cached for repeated documents: by the parsed `document` when given
   * (yoga parses a repeated text once, so a lookup by object identity spares hashing the text again
   * for the lookup by text), else by the text.
   */
  documentHash(query: string, document?: DocumentNode): string;
  /**
   * Field usage of operations the query planner executes, which run no resolvers: counts, errors and
   * fetch timings per coordinate, and every resolution when the operation may get a detailed record.
   */
  readonly planObserver: PlanObserver;
  /** Authentication refused a token (issue #3 calls this). */
  recordTokenFailure(reason: TokenFailureReason | string): void;
  /** The balancer ejected a replica (issue #5 calls this). */
  recordEjection(service: string, endpoint: string): void;
  /** Authorization refused a field or an operation (issue #4's denial events). */
  recordDenial(coordinate: string, code: string, scope: string): void;
  usageReport(query: UsageFilter & { from: number; to: number }): Promise<UsageReport>;
  close(): Promise<void>;
}

const NO_TOTALS = (): FieldTotals => ({ count: 0, errors: 0, seconds: 0 });

/** Builds every telemetry service of a gateway; the plugin (useTelemetry) and its routes (telemetryRoutes) read from it. */
export function createTelemetry({ config, logger, redis, currentGraph }: TelemetryOptions): Telemetry {
  if (config.metering.store === 'redis' && !redis) {
    throw new JunctionError(ErrorCode.CONFIG_INVALID, 'telemetry.metering.store is "redis" but no redis connection is configured (set redis.url or REDIS_URL)');
  }
  const requestLog = createRequestLog(logger, { flushIntervalMs: config.accessLog.flushIntervalMs });
  const metrics = config.metrics.enabled ? createMetrics({ maxOperationLabels: config.metrics.maxOperationLabels }) : undefined;
  const tracer = createTracer({ ...config.tracing, otlpEndpoint: config.tracing.otlpEndpoint });
  const meter = config.metering.enabled
    ? createUsageMeter({
      store: config.metering.store !== 'memory' && redis ? createRedisUsageStore(redis) : createMemoryUsageStore(),
      flushIntervalMs: config.metering.flushIntervalMs,
      maxBufferedCounters: config.metering.maxBufferedCounters,
      logger: logger.child({ module: 'usage' }),
      onDropped: (n) => metrics?.usageDropped(n),
      onFlushFailed: () => metrics?.usageFlushFailed(),
    })
    : undefined;
  if (meter) metrics?.usageBuffered(() => meter.buffered());
  const requests = requestStates();
  const tables = new WeakMap<GraphQLSchema, FieldTable>();
  const hashes = new Map<string, string>();
  const documentHashes = new WeakMap<DocumentNode, string>();
  const countIndexes = new WeakMap<readonly string[], { table: FieldTable; indexes: Uint32Array }>();

  const stateOf = (context: unknown) => {
    const request = (context as Partial<GatewayContext> | undefined)?.request;
    return request ? requests.get(request) : undefined;
  };

  const upstreamObserver: UpstreamObserver = (record, context) => {
    // A shared call reached the service once: metrics count it once, usage once per client.
    if (!record.shared) metrics?.upstream(record);
    const failed = record.failure !== undefined || (record.status ?? 0) >= 500;
    const client = context as Partial<GatewayContext> | undefined;
    // Calls made for no client request (health checks, start-up) are nobody's usage.
    if (client?.request) meter?.upstream(clientKeyOf(client.viewer), record.service, record.durationMs, failed);
    const state = stateOf(context);
    if (!state) return;
    // The record is fresh per attempt: the access line keeps it as it is.
    if (state.upstream.length < MAX_UPSTREAM_ENTRIES) state.upstream.push(record);
    else state.upstreamOmitted++;
    if (!state.span.recording) return;
    state.span.child(`upstream ${record.service}`, 'client', record.startedAt, record.durationMs, {
      'junction.service': record.service, 'server.address': record.endpoint, 'http.request.method': record.method,
      'http.response.status_code': record.status ?? 0, 'junction.attempt': record.attempt, ...(record.failure ? { 'error.type': record.failure } : {}),
    }, failed);
  };

  const upstreamHeaders: UpstreamHeadersHook = (context) => {
    const state = stateOf(context);
    if (!state) return undefined;
    const { trace } = state.span;
    const headers: Record<string, string> = { traceparent: formatTraceparent(trace), 'x-request-id': state.id };
    if (trace.traceState) headers['tracestate'] = trace.traceState;
    return headers;
  };

  function fieldTable(schema: GraphQLSchema): FieldTable {
    let table = tables.get(schema);
    if (table) return table;
    const graph = currentGraph();
    const services = graph?.schema === schema ? graph.services : [];
    table = instrumentSchema(schema, {
      definedBy: (typeName, fieldName) =>
        services.filter((s) => {
          const type = s.schema.getType(typeName);
          return (isObjectType(type) || isInterfaceType(type)) && fieldName in type.getFields();
        }).map((s) => s.name),
      totalsFor: metrics ? (c) => metrics.fieldTotals(c) : NO_TOTALS,
    });
    tables.set(schema, table);
    return table;
  }

  function documentHash(query: string, document?: DocumentNode): string {
    if (document === undefined) return textHash(query);
    let hash = documentHashes.get(document);
    if (hash === undefined) documentHashes.set(document, (hash = textHash(query)));
    return hash;
  }

  function textHash(query: string): string {
    let hash = hashes.get(query);
    if (hash !== undefined) return hash;
    hash = createHash('sha256').update(query).digest('hex');
    // Bounded: documents are few in practice; a flood of distinct ones only costs a re-hash.
    if (hashes.size >= 1000) hashes.clear();
    if (query.length <= 16_384) hashes.set(query, hash);
    return hash;
  }

  const collectorOf = (context: unknown) => (context as { [COLLECTOR]?: FieldCollector } | null)?.[COLLECTOR];

  /** Maps the planner's coordinate list onto the collector's field table (cached per list and table). */
  function indexesFor(collector: FieldCollector, coordinates: readonly string[]): Uint32Array {
    let mapping = countIndexes.get(coordinates);
    if (!mapping || mapping.table !== collector.table) {
      const indexes = Uint32Array.from(coordinates, (c) => collector.table.index.get(c) ?? NO_INDEX);
      countIndexes.set(coordinates, (mapping = { table: collector.table, indexes }));
    }
    return mapping.indexes;
  }

  /** The query planner's report of an operation: counts and timings always, resolutions when the collector keeps them. */
  const planObserver: PlanObserver = {
    observe(context, { coordinates, counts, errorCounts, timed, ms, resolutions }) {
      const collector = collectorOf(context);
      if (!collector) return;
      const indexes = indexesFor(collector, coordinates);
      collector.addCounts(indexes, counts, errorCounts, timed, ms);
      if (collector.keepsResolutions) collector.addPlannedResolutions(indexes, resolutions);
    },
  };

  async function usageReport({ from, to, ...filter }: UsageFilter & { from: number; to: number }): Promise<UsageReport> {
    if (!meter) throw new Error('metering is disabled (telemetry.metering.enabled: false)');
    const schema = currentGraph()?.schema;
    return buildUsageReport(await meter.read({ from, to }), schema ? schemaCoordinates(schema) : [], filter);
  }

  const close = async () => {
    await meter?.close();
    await tracer.close();
    requestLog.close();
  };
  return {
    config, logger, requestLogger: requestLog.logger, requestLines: requestLog.lines, metrics, meter, tracer, upstreamObserver, upstreamHeaders, requests,
    fieldTable, documentHash, planObserver, usageReport,
    recordTokenFailure: (reason) => metrics?.recordTokenFailure(reason),
    recordEjection: (service, endpoint) => metrics?.recordEjection(service, endpoint),
    recordDenial: (coordinate, code, scope) => metrics?.recordDenial(coordinate, code, scope),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Every field of every object type a client can select, as `Type.field`. */
function schemaCoordinates(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((t) => isObjectType(t) && !t.name.startsWith('__'))
    .flatMap((t) => Object.keys((t as { getFields(): object }).getFields()).map((f) => `${t.name}.${f}`));
}
