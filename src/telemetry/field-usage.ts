import type { ExecutionResult, GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../shared/gateway-context.js';
import type { Telemetry } from './create-telemetry.js';
import { FieldCollector } from './field-collector.js';
import { COLLECTOR } from './field-table.js';
import { RecordBudget } from './record-budget.js';
import { clientKeyOf, round, type OperationRecord, type RequestState } from './request-state.js';

/**
 * Called when an operation starts executing (at `started`, a performance.now() reading); the returned
 * function when it is done (at `ended`).
 */
export type FieldUsageRecorder = (
  schema: GraphQLSchema, context: GatewayContext & { [COLLECTOR]?: FieldCollector }, state: RequestState | undefined, record: OperationRecord | undefined,
  started: number,
) => (result: ExecutionResult | AsyncIterable<unknown>, ended: number) => void;

/**
 * Records every field resolution of every operation: counts, time and errors per schema coordinate
 * always (access log, metrics, metering), and a detailed record of each resolution, emitted as one
 * log line per operation, for all / sampled / slow or failed operations. Driven by useTelemetry's
 * execute hook (one plugin hook per operation instead of two). Resolvers are wrapped once per
 * schema, on the schema's first operation; the query planner reports through telemetry's planObserver.
 */
export function createFieldUsage(telemetry: Telemetry): FieldUsageRecorder {
  const { detail, sampleRate, slowMs, maxDetailedResolutions, maxDetailedPerSecond } = telemetry.config.fields;
  const fieldSpans = telemetry.config.tracing.fieldSpans;
  const budget = new RecordBudget(maxDetailedPerSecond, performance.now());
  const log = telemetry.requestLogger.child({ module: 'fields' });
  return (schema, context, state, record, started) => {
    const collector = new FieldCollector(telemetry.fieldTable(schema), detail !== 'none', maxDetailedResolutions, started);
    const sampled = detail === 'all' || (detail === 'sampled' && Math.random() < sampleRate);
    context[COLLECTOR] = collector;
    if (record) record.collector = collector;
    return (result, ended) => {
      context[COLLECTOR] = undefined;
      const durationMs = ended - collector.started;
      const { totals } = collector.table;
      collector.forEachCounted((i, count, errors, _timed, ms) => {
        const t = totals[i]!;
        t.count += count;
        t.errors += errors;
        t.seconds += ms / 1000;
      });
      if (detail === 'none') return;
      const failed = collector.hasErrors() || ('errors' in result && (result.errors?.length ?? 0) > 0);
      const slow = durationMs >= slowMs;
      // "all" samples everything, "sampled" a share; slow and failed operations are always detailed,
      // within the budget of records a second (record-budget.ts).
      if (!(sampled || failed || slow)) return collector.dropResolutions();
      if (!budget.take(ended)) {
        telemetry.metrics?.fieldRecordsSkipped();
        return collector.dropResolutions();
      }
      const { resolutions, omitted } = collector.resolutions();
      log.info({
        requestId: state?.id, traceId: state?.span.trace.traceId, operation: record?.name, hash: record?.hash,
        client: clientKeyOf(context.viewer), durationMs: round(durationMs), failed, slow, variables: record?.variables,
        resolutions, omitted: omitted || undefined,
      }, 'operation fields');
      if (!state?.span.recording || !fieldSpans) return;
      for (const r of resolutions) {
        state.span.child(`field ${r.parentType}.${r.field}`, 'internal', collector.started + r.startMs, r.ms, {
          'graphql.field.path': r.path, 'graphql.field.type': r.parentType, 'graphql.field.name': r.field, 'junction.service': r.service,
        }, r.error !== undefined);
      }
    };
  };
}
