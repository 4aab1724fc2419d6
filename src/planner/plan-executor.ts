import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  execute, getVariableValues, type GraphQLError, type ExecutionArgs, type ExecutionResult, type GraphQLFieldResolver, type GraphQLSchema,
  type GraphQLTypeResolver,
} from 'graphql';
import { FIELD_ERRORS } from './merge-data.js';
import type { QueryPlanner } from './query-planner.js';
import { projectResult, type PlannedResolution, type ProjectedResult } from './project-result.js';
import { runPlan, type SubgraphRequest } from './run-plan.js';

function stripCounts({ counts: _counts, errorCounts: _errors, timed: _timed, ms: _ms, resolutions: _resolutions, ...result }: ProjectedResult): ExecutionResult {
  return result;
}

/** Field resolution on merged data: read the response key; raise the error pinned there, if any. */
export const lookupResolver: GraphQLFieldResolver<Record<string | symbol, unknown>, unknown> = (source, _args, _context, info) => {
  const key = info.path.key as string;
  const value = source[key];
  if (value == null) {
    const error = (source[FIELD_ERRORS] as Map<string, GraphQLError> | undefined)?.get(key);
    if (error) throw error;
  }
  return value;
};

const typenameResolver: GraphQLTypeResolver<unknown, unknown> = (value) =>
  typeof value === 'object' && value !== null ? ((value as { __typename?: string }).__typename ?? undefined) : undefined;

/** A copy of the client-facing schema whose resolvers only read the merged data. */
export function createProjectionSchema(apiSchema: GraphQLSchema): GraphQLSchema {
  return mapSchema(apiSchema, {
    [MapperKind.OBJECT_FIELD]: (field) => ({ ...field, resolve: lookupResolver as GraphQLFieldResolver<unknown, unknown>, subscribe: undefined }),
    [MapperKind.ABSTRACT_TYPE]: (type) => {
      const config = type.toConfig();
      return new (type.constructor as new (c: typeof config) => typeof type)({ ...config, resolveType: typenameResolver });
    },
  });
}

/**
 * What the planner tells telemetry about one executed operation: field counts and timings, and every
 * resolution on demand. The arrays are the operation's own (fresh per execution): an observer may keep them.
 */
export interface PlannedOperation {
  coordinates: readonly string[];
  counts: Uint32Array;
  errorCounts: Uint32Array;
  /** Resolutions timed by the fetch they waited for, and their total milliseconds. */
  timed: Uint32Array;
  ms: Float64Array;
  /**
   * Every resolution in document order, computed when called (the answer is projected again, with
   * paths): detailed records are rare (slow or failed operations by default), so the common case
   * builds no path string.
   */
  resolutions(): readonly PlannedResolution[];
}

/** Telemetry's hook into the planner. */
export interface PlanObserver {
  observe(context: unknown, operation: PlannedOperation): void;
}

export interface PlanExecutorOptions {
  planner: QueryPlanner;
  /**
   * Schema graphql-js projects answers with when the compiled projection cannot (introspection) or
   * must not be used (see createProjectionSchema, plus any resolver wrapping).
   */
  schema: GraphQLSchema;
  send: SubgraphRequest;
  /** Project with graphql-js even when a compiled projection exists. @default false */
  graphqlJsProjection?: boolean;
  observer?: PlanObserver;
}

/**
 * Executes an operation by its cached plan: run the subgraph fetches, then let graphql-js project
 * the merged data onto the client's selection. graphql-js does what it does best (aliases, __typename,
 * null propagation, scalar serialization); nothing is delegated field by field.
 */
export function createPlanExecutor({ planner, schema, send, graphqlJsProjection = false, observer }: PlanExecutorOptions) {
  return async function executeWithPlan(args: ExecutionArgs): Promise<ExecutionResult> {
    const { plan, projection, operation } = planner.planFor(args.document, args.operationName, args.variableValues ?? undefined);
    // As graphql-js would before executing: variables are checked against the client-facing schema
    // (so a value it hides, e.g. an @inaccessible enum value or input field, never reaches a
    // subgraph), defaults are applied, and a bad value fails the operation before any fetch.
    let variables = (args.variableValues ?? {}) as Record<string, unknown>;
    if (operation.variableDefinitions?.length) {
      const coerced = getVariableValues(schema, operation.variableDefinitions, variables, { maxErrors: 50 });
      if (coerced.errors) return { errors: coerced.errors };
      variables = coerced.coerced;
    }
    const { data, errors, timings } = await runPlan(plan, variables, args.contextValue, send);
    let result: ExecutionResult;
    if (projection && !graphqlJsProjection) {
      const projected = projectResult(projection, data, { timings });
      const { counts, errorCounts, timed, ms } = projected;
      observer?.observe(args.contextValue, {
        coordinates: projection.coordinates, counts, errorCounts, timed, ms,
        resolutions: () => projectResult(projection, data, { trace: true, timings }).resolutions ?? [],
      });
      result = stripCounts(projected);
    } else {
      result = await execute({ ...args, schema, rootValue: data });
    }
    if (errors.length === 0) return result;
    return { ...result, errors: [...(result.errors ?? []), ...errors] };
  };
}
