import { z } from 'zod';

/**
 * The `balancing:` block of a service.yaml: how the gateway spreads a service's traffic over its
 * endpoints and notices sick ones. Every key is optional; cross-field checks live in
 * `checkBalancingManifest` (they need the endpoints too).
 */

export const balancingAlgorithms = ['round-robin', 'weighted', 'least-requests'] as const;
export type BalancingAlgorithm = (typeof balancingAlgorithms)[number];

const positiveInt = () => z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).positive({ error: 'must be a positive integer' });
const nonNegativeInt = () => z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).nonnegative({ error: 'must be 0 or more' });
const percent = () => z.number({ error: 'must be a number' }).min(0, { error: 'must be between 0 and 100' }).max(100, { error: 'must be between 0 and 100' });
export const subsetName = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, { error: 'must be lower-case letters, digits, "-" or "_"' });

export const healthCheckSchema = z.strictObject({
  /** Writing the block turns active checks on; `false` keeps the settings but stops checking. @default true */
  enabled: z.boolean().default(true),
  /**
   * Path probed with `GET` on the endpoint's host (not appended to the endpoint URL's path); any 2xx
   * passes. Without it, GraphQL services are probed with `{ __typename }` on the endpoint URL. REST
   * services must name one.
   */
  path: z.string().startsWith('/', { error: 'must start with "/"' }).optional(),
  /** Time between the end of one check and the start of the next, per endpoint. @default 5000 */
  intervalMs: positiveInt().default(5000),
  /** A check without a (2xx) answer in this time fails. @default 1000 */
  timeoutMs: positiveInt().default(1000),
  /** Consecutive failed checks that take a healthy endpoint out of the pool. @default 2 */
  unhealthyThreshold: positiveInt().default(2),
  /** Consecutive passed checks that bring an unhealthy endpoint back (with slow start). @default 2 */
  healthyThreshold: positiveInt().default(2),
});

export const outlierDetectionSchema = z.strictObject({
  /** Eject endpoints on failures seen in real traffic. @default true */
  enabled: z.boolean().default(true),
  /** Consecutive failed calls (connection error, timeout, 5xx, unusable answer) that eject an endpoint. @default 5 */
  consecutiveFailures: positiveInt().default(5),
  /** First ejection length; the n-th ejection in a row lasts n × this. @default 30000 */
  baseEjectionMs: positiveInt().default(30_000),
  /** Upper bound of one ejection. @default 300000 */
  maxEjectionMs: positiveInt().default(300_000),
  /** At most this share of the endpoints is ejected at once (at least one may always be). @default 50 */
  maxEjectionPercent: percent().default(50),
});

export const retriesSchema = z.strictObject({
  /** Further attempts per call, each on another endpoint; 0 turns retries off. @default 2 */
  maxRetries: nonNegativeInt().default(2),
  /** Retries are at most this share of calls over the last 10 s, so a sick service is not hammered. @default 20 */
  budgetPercent: percent().default(20),
  /** Retries always allowed on top of the budget, per second (averaged over 10 s), for quiet services. @default 5 */
  minRetriesPerSecond: z.number().nonnegative({ error: 'must be 0 or more' }).default(5),
});

export const routingRuleSchema = z
  .strictObject({
    /** Shown in logs and on /admin/upstreams. */
    name: z.string().min(1).optional(),
    /** Matches when the client request carries this header (with this exact value, when given). */
    header: z.strictObject({ name: z.string().min(1).transform((n) => n.toLowerCase()), value: z.string().optional() }).optional(),
    /** Matches when the viewer's OAuth client id is one of these. */
    clientIds: z.array(z.string().min(1)).min(1, { error: 'list at least one client id' }).optional(),
    /** Matches this share of viewers (sticky per user or client; per request for anonymous ones). */
    percentage: percent().optional(),
    /** Endpoints whose `subsets` list this name receive the matching requests. */
    subset: subsetName,
    /** When no endpoint of the subset is available, use the service's default endpoints. @default true */
    fallback: z.boolean().default(true),
  })
  .refine((rule) => rule.header !== undefined || rule.clientIds !== undefined || rule.percentage !== undefined, {
    error: 'a rule needs at least one of header, clientIds, percentage',
  });

export const routingSchema = z.strictObject({
  /**
   * Subset that requests matching no rule go to. Without it they go to the endpoints that list no
   * subset (or to all endpoints when there are no rules).
   */
  defaultSubset: subsetName.optional(),
  /** First matching rule wins; all conditions of a rule must hold. @default [] */
  rules: z.array(routingRuleSchema).default([]),
});

export const balancingManifestSchema = z.strictObject({
  /** @default "weighted" (smooth weighted round robin) */
  algorithm: z.enum(balancingAlgorithms, { error: `unknown algorithm; expected one of: ${balancingAlgorithms.join(', ')}` }).default('weighted'),
  /** A re-admitted endpoint's traffic ramps up from 10% to its full weight over this time; 0 = at once. @default 10000 */
  slowStartMs: nonNegativeInt().default(10_000),
  /** Below this share of available endpoints, traffic goes to all of them (panic); always when none is. @default 0 */
  panicThresholdPercent: percent().default(0),
  /** Active health checks; off unless the block is written. */
  healthCheck: healthCheckSchema.optional(),
  outlierDetection: outlierDetectionSchema.prefault({}),
  retries: retriesSchema.prefault({}),
  routing: routingSchema.prefault({}),
});

export type BalancingManifest = z.output<typeof balancingManifestSchema>;
export type HealthCheckSettings = z.output<typeof healthCheckSchema>;
export type OutlierDetectionSettings = z.output<typeof outlierDetectionSchema>;
export type RetrySettings = z.output<typeof retriesSchema>;
export type RoutingSettings = z.output<typeof routingSchema>;
export type RoutingRule = RoutingSettings['rules'][number];

interface ManifestForChecks {
  kind: string;
  timeoutMs: number;
  totalTimeoutMs?: number | undefined;
  endpoints: ReadonlyArray<{ url: string; subsets: readonly string[] }>;
  balancing: BalancingManifest;
}

/** Checks that need several fields at once; each problem names the field it is about. */
export function checkBalancingManifest(manifest: ManifestForChecks, ctx: z.RefinementCtx): void {
  const issue = (path: Array<string | number>, message: string) => ctx.addIssue({ code: 'custom', path, message });
  const { balancing, endpoints } = manifest;
  const seen = new Map<string, number>();
  endpoints.forEach((endpoint, i) => {
    const first = seen.get(endpoint.url);
    if (first !== undefined) issue(['endpoints', i, 'url'], `duplicate of endpoints.${first}.url`);
    else seen.set(endpoint.url, i);
  });
  if (manifest.totalTimeoutMs !== undefined && manifest.totalTimeoutMs < manifest.timeoutMs) {
    issue(['totalTimeoutMs'], `must be at least timeoutMs (${manifest.timeoutMs})`);
  }
  const od = balancing.outlierDetection;
  if (od.maxEjectionMs < od.baseEjectionMs) issue(['balancing', 'outlierDetection', 'maxEjectionMs'], `must be at least baseEjectionMs (${od.baseEjectionMs})`);
  const hc = balancing.healthCheck;
  if (hc?.enabled && hc.path === undefined && manifest.kind === 'rest') {
    issue(['balancing', 'healthCheck', 'path'], 'REST services need a health check path (e.g. /healthz)');
  }
  const subsets = new Set(endpoints.flatMap((e) => e.subsets));
  const { routing } = balancing;
  routing.rules.forEach((rule, i) => {
    if (!subsets.has(rule.subset)) issue(['balancing', 'routing', 'rules', i, 'subset'], `no endpoint is in subset "${rule.subset}"`);
  });
  if (routing.defaultSubset !== undefined && !subsets.has(routing.defaultSubset)) {
    issue(['balancing', 'routing', 'defaultSubset'], `no endpoint is in subset "${routing.defaultSubset}"`);
  }
  if (routing.rules.length > 0 && routing.defaultSubset === undefined && endpoints.every((e) => e.subsets.length > 0)) {
    issue(['balancing', 'routing'], 'requests that match no rule have no endpoint: set defaultSubset or leave an endpoint without subsets');
  }
}
