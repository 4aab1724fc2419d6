import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { UpstreamCallRecord } from '../balancing/index.js';
import { LabelledHistogram } from './labelled-histogram.js';

/** Running totals of one schema coordinate; updated in place on the hot path, read on scrape. */
export interface FieldTotals {
  count: number;
  errors: number;
  seconds: number;
}

/** Why a token was refused (issue #3 reports these). */
export type TokenFailureReason = 'missing' | 'malformed' | 'expired' | 'not_yet_valid' | 'bad_signature' | 'revoked' | 'unknown_key' | 'wrong_audience' | 'wrong_issuer' | 'other';

// Label values are a closed set: a reason made of token content must not create new series.
/** Label values for token failures: authentication's reasons (src/auth AuthFailureReason); anything else is "other". */
const TOKEN_FAILURE_REASONS = new Set<string>([
  'missing', 'unsupported_scheme', 'invalid_request', 'too_large', 'malformed', 'unsupported', 'algorithm_not_allowed',
  'unknown_key', 'bad_signature', 'untrusted_issuer', 'wrong_audience', 'expired', 'not_yet_valid', 'invalid_claims',
  'wrong_token_type', 'revoked', 'inactive', 'store_unavailable', 'jwks_unavailable', 'other',
]);

export interface MetricsOptions {
  /** Distinct operation names kept as label values; later ones become "__other". */
  maxOperationLabels: number;
  /** Process metrics (CPU, memory, event loop lag, GC). @default true */
  processMetrics?: boolean;
}

export interface Metrics {
  readonly registry: Registry;
  /** Prometheus text of every metric. */
  render(): Promise<string>;
  readonly contentType: string;
  request(status: number): void;
  operation(name: string | undefined, type: string, seconds: number): void;
  /** Error codes of one response (after masking), each counted once per error. */
  graphqlErrors(codes: readonly string[]): void;
  upstream(record: UpstreamCallRecord): void;
  /** The totals object of a coordinate (the same object for the life of the gateway). */
  fieldTotals(coordinate: string): FieldTotals;
  /** A token was refused by authentication. */
  recordTokenFailure(reason: TokenFailureReason | string): void;
  /** The balancer took a replica out of rotation. */
  recordEjection(service: string, endpoint: string): void;
  /** Authorization refused a field (`field`) or a whole operation (`operation`). */
  recordDenial(coordinate: string, code: string, scope: string): void;
  usageDropped(counters: number): void;
  usageFlushFailed(): void;
  /** A detailed field record not written: over telemetry.fields.maxDetailedPerSecond. */
  fieldRecordsSkipped(): void;
  /** Reports the metering buffer's size on every scrape. */
  usageBuffered(read: () => number): void;
}

// Status codes as label values without a number-to-string conversion per call.
const STATUS_LABELS = new Map<number | undefined, string>();
function statusLabel(status: number | undefined): string {
  let label = STATUS_LABELS.get(status);
  if (label === undefined) STATUS_LABELS.set(status, (label = String(status)));
  return label;
}

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Every gateway metric, in a registry of its own (several gateways may share a process). */
export function createMetrics({ maxOperationLabels, processMetrics = true }: MetricsOptions): Metrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  // Counted per status in plain numbers, added to the counter when scraped: prom-client builds and
  // hashes a label object on every inc(), also through a labelled child.
  const requestCounts = new Map<number, { count: number; reported: number }>();
  new Counter({
    name: 'junction_http_requests_total', help: 'HTTP requests answered, by status', labelNames: ['status'], registers,
    collect() {
      for (const [status, c] of requestCounts) {
        if (c.count > c.reported) this.inc({ status: statusLabel(status) }, c.count - c.reported);
        c.reported = c.count;
      }
    },
  });
  // The two histograms observed on every request and upstream call (see LabelledHistogram).
  const operations = new LabelledHistogram({
    name: 'junction_operation_duration_seconds', help: 'GraphQL operation duration, by operation name and type', labelNames: ['operation', 'type'], buckets: SECONDS, registers,
  });
  const graphqlErrors = new Counter({ name: 'junction_graphql_errors_total', help: 'GraphQL errors in responses, by extensions.code', labelNames: ['code'], registers });
  const upstream = new LabelledHistogram({
    name: 'junction_upstream_request_duration_seconds', help: 'Upstream call attempts, by service, replica and HTTP status (or failure kind)',
    labelNames: ['service', 'endpoint', 'status'], buckets: SECONDS, registers,
  });
  const tokenFailures = new Counter({ name: 'junction_token_validation_failures_total', help: 'Tokens refused, by reason', labelNames: ['reason'], registers });
  const ejections = new Counter({ name: 'junction_balancer_ejections_total', help: 'Replicas taken out of rotation by health checks', labelNames: ['service', 'endpoint'], registers });
  const denials = new Counter({
    name: 'junction_authz_denials_total', help: 'Fields (scope "field") and whole operations (scope "operation") refused by authorization, by schema coordinate and error code',
    labelNames: ['coordinate', 'code', 'scope'], registers,
  });
  const dropped = new Counter({ name: 'junction_usage_dropped_total', help: 'Usage counters dropped because the metering buffer was full', registers });
  const recordsSkipped = new Counter({
    name: 'junction_field_records_skipped_total', help: 'Detailed field records not written because more operations qualified than telemetry.fields.maxDetailedPerSecond', registers,
  });
  const flushFailures = new Counter({ name: 'junction_usage_flush_failures_total', help: 'Failed writes of buffered usage to the store (retried)', registers });
  const bufferedReaders: Array<() => number> = [];
  new Gauge({
    name: 'junction_usage_buffered_counters', help: 'Usage counters waiting to be written to the store', registers,
    collect() {
      this.set(bufferedReaders.reduce((sum, read) => sum + read(), 0));
    },
  });

  // Field counts are summed in plain objects by the field-usage plugin and turned into counter increments
  // only when scraped: a labelled counter update per field resolution would cost more than the resolution.
  const totals = new Map<string, FieldTotals & { reported: FieldTotals }>();
  const fieldCounter = (name: string, help: string, read: (t: FieldTotals) => number, write: (t: FieldTotals, v: number) => void) =>
    new Counter({
      name, help, labelNames: ['coordinate'], registers,
      collect() {
        for (const [coordinate, t] of totals) {
          const delta = read(t) - read(t.reported);
          if (delta > 0) this.inc({ coordinate }, delta);
          write(t.reported, read(t));
        }
      },
    });
  fieldCounter('junction_field_resolutions_total', 'Field resolutions, by schema coordinate (Type.field)', (t) => t.count, (t, v) => (t.count = v));
  fieldCounter('junction_field_errors_total', 'Field resolutions that failed, by schema coordinate', (t) => t.errors, (t, v) => (t.errors = v));
  fieldCounter('junction_field_resolution_seconds_total', 'Time spent resolving fields, by schema coordinate', (t) => t.seconds, (t, v) => (t.seconds = v));

  const operationNames = new Set<string>();
  const operationLabel = (name: string | undefined) => {
    const label = name ?? '__anonymous';
    if (operationNames.has(label)) return label;
    if (label.length > 128) return '__other';
    if (operationNames.size >= maxOperationLabels) return '__other';
    operationNames.add(label);
    return label;
  };

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    request(status) {
      const c = requestCounts.get(status);
      if (c) c.count++;
      else requestCounts.set(status, { count: 1, reported: 0 });
    },
    operation: (name, type, seconds) => operations.series(operationLabel(name), type).observe(seconds),
    graphqlErrors(codes) {
      for (const code of codes) graphqlErrors.inc({ code });
    },
    upstream: (r) => upstream.series(r.service, r.endpoint, r.failure ?? statusLabel(r.status)).observe(r.durationMs / 1000),
    fieldTotals(coordinate) {
      let t = totals.get(coordinate);
      if (!t) totals.set(coordinate, (t = { count: 0, errors: 0, seconds: 0, reported: { count: 0, errors: 0, seconds: 0 } }));
      return t;
    },
    recordTokenFailure: (reason) => tokenFailures.inc({ reason: TOKEN_FAILURE_REASONS.has(reason) ? reason : 'other' }),
    recordEjection: (service, endpoint) => ejections.inc({ service, endpoint }),
    // Label values are bounded: coordinates come from the schema, codes and scopes from authorization.
    recordDenial: (coordinate, code, scope) => denials.inc({ coordinate, code, scope }),
    usageDropped: (n) => dropped.inc(n),
    usageFlushFailed: () => flushFailures.inc(),
    fieldRecordsSkipped: () => recordsSkipped.inc(),
    usageBuffered: (read) => void bufferedReaders.push(read),
  };
}
