import { z } from 'zod';

/** Names of variables (at any depth) whose values never reach a log line. */
export const DEFAULT_REDACT_VARIABLES = 'pass(word|wd|phrase)?|secret|token|authorization|cookie|api[-_]?key|credential|private[-_]?key|session|otp|pin$|cvv|ssn';

const regexSource = z.string().refine(
  (source) => {
    try {
      new RegExp(source, 'i');
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be a valid regular expression' },
);

/** Logging, tracing, metrics and metering (src/telemetry). */
export const telemetryConfigSchema = z
  .strictObject({
    /** Master switch: off removes every telemetry plugin, hook and route (the bench baseline). @default true */
    enabled: z.boolean().default(true),
    accessLog: z
      .strictObject({
        /** One JSON line per request (pino, level info). @default true */
        enabled: z.boolean().default(true),
        /** Log each operation's variables, with names matching `redactVariables` redacted. @default true */
        variables: z.boolean().default(true),
        /** Case-insensitive pattern of variable / input field names whose values are replaced by "[redacted]". @default see DEFAULT_REDACT_VARIABLES */
        redactVariables: regexSource.default(DEFAULT_REDACT_VARIABLES),
        /** Longest JSON of one operation's variables in a log line; longer ones are cut with a marker. @default 2048 */
        maxVariablesBytes: z.number().int().positive().default(2048),
        /** Paths that produce no access log line (probes, scrapes). @default ["/healthz", "/readyz", "/metrics"] */
        skipPaths: z.array(z.string()).default(['/healthz', '/readyz', '/metrics']),
        /**
         * Access lines and field records on stdout are written in blocks (up to 64 KiB) at least this often,
         * as Envoy and nginx buffer access logs; 0 writes each line at once. Other log lines are never delayed. @default 1000
         */
        flushIntervalMs: z.number().int().nonnegative().default(1000),
      })
      .prefault({}),
    fields: z
      .strictObject({
        /** Count and time every field resolution (aggregated: metrics, metering, access log). @default true */
        enabled: z.boolean().default(true),
        /**
         * Which operations get a full per-resolution record (path, type, field, service, duration, error):
         * none, a random sample, only slow or failed ones, or all. @default "slow-or-failed"
         */
        detail: z.enum(['none', 'sampled', 'slow-or-failed', 'all']).default('slow-or-failed'),
        /** Share of operations detailed when `detail` is "sampled" (failed and slow ones are always detailed then too). @default 0.01 */
        sampleRate: z.number().min(0).max(1).default(0.01),
        /** An operation slower than this is "slow". @default 1000 */
        slowMs: z.number().nonnegative().default(1000),
        /** At most this many resolutions per detailed record; the rest are counted, not listed. @default 2000 */
        maxDetailedResolutions: z.number().int().positive().default(2000),
        /**
         * At most this many detailed records a second (bursts of as many); operations past it keep their
         * counts and timings, and are counted in junction_field_records_skipped_total. @default 20
         */
        maxDetailedPerSecond: z.number().int().positive().default(20),
      })
      .prefault({}),
    tracing: z
      .strictObject({
        /** OTLP/HTTP traces endpoint, e.g. http://collector:4318/v1/traces. Unset = no spans exported (trace context is still propagated). */
        otlpEndpoint: z.url({ protocol: /^https?$/ }).optional(),
        /** Extra headers for the OTLP endpoint (e.g. an API key). @default {} */
        otlpHeaders: z.record(z.string(), z.string()).default({}),
        /** `service.name` of the exported spans. @default "junction" */
        serviceName: z.string().min(1).default('junction'),
        /** Share of new traces recorded; a client's sampled flag is honoured. @default 1 */
        sampleRatio: z.number().min(0).max(1).default(1),
        /** Export a span per field resolution for operations that get a detailed field record. @default true */
        fieldSpans: z.boolean().default(true),
      })
      .prefault({}),
    metrics: z
      .strictObject({
        /** Serve Prometheus metrics on `path`. @default true */
        enabled: z.boolean().default(true),
        /** @default "/metrics" */
        path: z.string().startsWith('/').default('/metrics'),
        /** Require admin credentials (labels carry replica URLs, which clients must not see). @default true */
        requireAdmin: z.boolean().default(true),
        /** Distinct operation names kept as label values; the rest are reported as "__other". @default 500 */
        maxOperationLabels: z.number().int().positive().default(500),
      })
      .prefault({}),
    metering: z
      .strictObject({
        /** Count usage per client × operation × field and per client × service. @default true */
        enabled: z.boolean().default(true),
        /** "auto": Redis when `redis` is configured, else memory. @default "auto" */
        store: z.enum(['auto', 'memory', 'redis']).default('auto'),
        /** How often buffered counts are written (one pipelined batch). @default 5000 */
        flushIntervalMs: z.number().int().positive().default(5000),
        /** Most distinct counters held while the store is unreachable; beyond, counts are dropped and counted in junction_usage_dropped_total. @default 200000 */
        maxBufferedCounters: z.number().int().positive().default(200_000),
      })
      .prefault({}),
    admin: z
      .strictObject({
        /**
         * Bearer token for /admin/usage and /metrics (`Authorization: Bearer <token>`). `JUNCTION_ADMIN_TOKEN`
         * fills it. Unset = those routes answer 403, unless authentication grants the `admin` role.
         */
        token: z.string().min(16, { error: 'use at least 16 characters' }).optional(),
      })
      .prefault({}),
  })
  .prefault({});

export type TelemetryConfig = z.output<typeof telemetryConfigSchema>;
