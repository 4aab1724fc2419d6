import type { AdminGuard } from '../shared/admin-guard.js';
import type { Telemetry } from './create-telemetry.js';

export interface TelemetryRoutesOptions {
  telemetry: Telemetry;
  /** Who may read /admin/usage (and /metrics unless `metrics.requireAdmin` is off). */
  guard: AdminGuard;
}

export const USAGE_PATH = '/admin/usage';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers } });

const DURATION = /^(\d+(?:\.\d+)?)(s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "15m", "1h", "7d" -> milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : undefined;
}

/** An ISO 8601 date or epoch milliseconds. */
function parseTime(text: string): number | undefined {
  const time = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(time) ? time : undefined;
}

/** Answers a request when it is one of telemetry's routes; undefined (synchronously) for any other path. */
export type TelemetryRoutes = (request: Request, url: URL) => Promise<Response> | undefined;

/**
 * `GET /metrics` (Prometheus text) and `GET /admin/usage` (JSON usage report), both behind the admin
 * guard. Answered from useTelemetry's request hook (`routes` option): a plugin of their own would
 * cost every request one more turn of yoga's hook loop.
 */
export function telemetryRoutes({ telemetry, guard }: TelemetryRoutesOptions): TelemetryRoutes {
  const { metrics, config } = telemetry;
  const metricsPath = config.metrics.enabled ? config.metrics.path : undefined;

  async function authorize(request: Request): Promise<Response | undefined> {
    const decision = await guard(request);
    if (decision.allowed) return undefined;
    return json(decision.status, { error: decision.message }, decision.status === 401 ? { 'www-authenticate': 'Bearer realm="junction-admin"' } : {});
  }

  async function usage(url: URL): Promise<Response> {
    const q = url.searchParams;
    const now = Date.now();
    const since = q.get('since');
    const sinceMs = since === null ? 3_600_000 : parseDuration(since);
    if (sinceMs === undefined) return json(400, { error: `since: expected a duration like 15m, 1h or 7d, got ${JSON.stringify(since).slice(0, 40)}` });
    const to = q.get('to') === null ? now : parseTime(q.get('to')!);
    const from = q.get('from') === null ? (to ?? now) - sinceMs : parseTime(q.get('from')!);
    if (from === undefined || to === undefined) return json(400, { error: 'from/to: expected an ISO 8601 date or epoch milliseconds' });
    if (from > to) return json(400, { error: 'from must not be after to' });
    const limit = q.get('limit') === null ? 20 : Number(q.get('limit'));
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return json(400, { error: 'limit: expected an integer from 1 to 1000' });
    try {
      const report = await telemetry.usageReport({ from, to, client: q.get('client') ?? undefined, operation: q.get('operation') ?? undefined, limit });
      return json(200, report);
    } catch (error) {
      telemetry.logger.error({ err: error }, 'usage report failed');
      return json(503, { error: 'usage store unavailable' });
    }
  }

  async function answer(request: Request, url: URL, isUsage: boolean): Promise<Response> {
    if (request.method !== 'GET') return json(405, { error: 'use GET' }, { allow: 'GET' });
    if (isUsage || config.metrics.requireAdmin) {
      const refused = await authorize(request);
      if (refused) return refused;
    }
    if (isUsage) return usage(url);
    return new Response(await metrics!.render(), { status: 200, headers: { 'content-type': metrics!.contentType } });
  }

  return (request, url) => {
    const isMetrics = metricsPath !== undefined && url.pathname === metricsPath;
    const isUsage = url.pathname === USAGE_PATH;
    return isMetrics || isUsage ? answer(request, url, isUsage) : undefined;
  };
}
