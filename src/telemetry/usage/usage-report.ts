import { parseCounterName } from './usage-keys.js';
import type { UsageCounters } from './usage-meter.js';

export interface UsageFilter {
  client?: string;
  operation?: string;
  /** Rows per list. @default 20 */
  limit?: number;
}

export interface UsageReport {
  from: string;
  to: string;
  /** Bucket size the period was read at (minute, hour, day); from/to are rounded to it. */
  resolution: 'minute' | 'hour' | 'day';
  filter: { client?: string; operation?: string };
  totals: { requests: number; failed: number; fieldResolutions: number; upstreamCalls: number };
  clients: Array<{ client: string; requests: number; failed: number; avgMs: number }>;
  operations: Array<{ operation: string; requests: number; failed: number; avgMs: number; clients: number }>;
  fields: Array<{ coordinate: string; count: number; errors: number }>;
  /** Average resolution time per field, all clients (timed resolutions only). */
  slowestFields: Array<{ coordinate: string; avgMs: number; count: number }>;
  services: Array<{ service: string; calls: number; failed: number; errorRate: number; avgMs: number }>;
  /** Fields of the current schema nobody requested in the period (within the filter): deprecation candidates. */
  unusedFields: string[];
}

const RESOLUTION_NAMES = { m: 'minute', h: 'hour', d: 'day' } as const;

interface Sum {
  n: number;
  failed: number;
  micros: number;
  clients?: Set<string>;
}

/** Turns summed counters into the usage report: top lists, slowest fields, service error rates, unused fields. */
export function buildUsageReport(usage: UsageCounters, schemaCoordinates: readonly string[], filter: UsageFilter = {}): UsageReport {
  const limit = filter.limit ?? 20;
  const clients = new Map<string, Sum>();
  const operations = new Map<string, Sum>();
  const fields = new Map<string, Sum>();
  const timings = new Map<string, Sum>();
  const services = new Map<string, Sum>();
  const sum = (map: Map<string, Sum>, key: string) => {
    let s = map.get(key);
    if (!s) map.set(key, (s = { n: 0, failed: 0, micros: 0 }));
    return s;
  };
  const matches = (client: string, operation?: string) =>
    (filter.client === undefined || filter.client === client) && (filter.operation === undefined || operation === undefined || filter.operation === operation);

  for (const [name, value] of usage.counters) {
    const parsed = parseCounterName(name);
    if (!parsed) continue;
    const [kind, a = '', b = '', c = ''] = parsed;
    switch (kind) {
      case 'o': case 'oe': case 'od': {
        if (!matches(a, b)) break;
        const field = kind === 'o' ? 'n' : kind === 'oe' ? 'failed' : 'micros';
        sum(clients, a)[field] += value;
        const op = sum(operations, b);
        op[field] += value;
        (op.clients ??= new Set()).add(a);
        break;
      }
      case 'f': case 'fe':
        if (matches(a, b)) sum(fields, c)[kind === 'f' ? 'n' : 'failed'] += value;
        break;
      case 'ft': case 'fd':
        sum(timings, a)[kind === 'ft' ? 'n' : 'micros'] += value;
        break;
      case 's': case 'se': case 'sd':
        if (filter.operation === undefined && matches(a)) sum(services, b)[kind === 's' ? 'n' : kind === 'se' ? 'failed' : 'micros'] += value;
        break;
    }
  }
  const avgMs = (s: Sum) => (s.n ? Math.round(s.micros / s.n) / 1000 : 0);
  const top = <T>(map: Map<string, Sum>, row: (key: string, s: Sum) => T, by: (s: Sum) => number = (s) => s.n) =>
    [...map].sort((x, y) => by(y[1]) - by(x[1]) || x[0].localeCompare(y[0])).slice(0, limit).map(([k, s]) => row(k, s));
  const total = (map: Map<string, Sum>, f: (s: Sum) => number) => [...map.values()].reduce((n, s) => n + f(s), 0);
  return {
    from: new Date(usage.from).toISOString(),
    to: new Date(usage.to).toISOString(),
    resolution: RESOLUTION_NAMES[usage.resolution],
    filter: { client: filter.client, operation: filter.operation },
    totals: {
      requests: total(operations, (s) => s.n),
      failed: total(operations, (s) => s.failed),
      fieldResolutions: total(fields, (s) => s.n),
      upstreamCalls: total(services, (s) => s.n),
    },
    clients: top(clients, (client, s) => ({ client, requests: s.n, failed: s.failed, avgMs: avgMs(s) })),
    operations: top(operations, (operation, s) => ({ operation, requests: s.n, failed: s.failed, avgMs: avgMs(s), clients: s.clients?.size ?? 0 })),
    fields: top(fields, (coordinate, s) => ({ coordinate, count: s.n, errors: s.failed })),
    slowestFields: top(timings, (coordinate, s) => ({ coordinate, avgMs: avgMs(s), count: s.n }), (s) => (s.n ? s.micros / s.n : 0)),
    services: top(services, (service, s) => ({ service, calls: s.n, failed: s.failed, errorRate: s.n ? Math.round((s.failed / s.n) * 10_000) / 10_000 : 0, avgMs: avgMs(s) })),
    unusedFields: schemaCoordinates.filter((c) => !fields.has(c)),
  };
}
