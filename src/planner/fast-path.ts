import type { ExecutionArgs, ExecutionResult, GraphQLSchema } from 'graphql';
import type { FieldGates } from './field-gates.js';
import { createPlanExecutor, createProjectionSchema, type PlanObserver } from './plan-executor.js';
import { createQueryPlanner } from './query-planner.js';
import type { SubgraphRequest } from './run-plan.js';
import type { SupergraphModel } from './supergraph-model.js';
import { UnsupportedOperation } from './unsupported.js';

/** Executes the operations it can plan; the gateway uses graphql-tools for the rest. */
export interface FastPath {
  /** True when this operation has a plan (cached per document, so cheap after the first call). */
  canExecute(args: ExecutionArgs): boolean;
  execute(args: ExecutionArgs): Promise<ExecutionResult>;
  /** Why the whole supergraph is off the fast path, when it is. */
  readonly disabledBecause?: string;
  /** Built with field gates: it may run operations whose fields need per-object checks. */
  readonly gated: boolean;
}

export interface FastPathOptions {
  /** Who resolves what (readSupergraph, readStitchedServices, mergeModels). */
  model: SupergraphModel;
  /** The client-facing schema. */
  apiSchema: GraphQLSchema;
  /** graphql-js projection schema: createProjectionSchema(apiSchema), plus resolver-wrapping transforms. */
  projectionSchema?: GraphQLSchema;
  /** Build answers with the compiled projection (no resolvers run). @default true */
  compiledProjection?: boolean;
  /** Sends a query to a subgraph, by its `join__Graph` id. */
  send: SubgraphRequest;
  /** Field usage of each operation (telemetry). */
  observer?: PlanObserver;
  /** Fields fetched only for the objects a check allows (authorization policies); see field-gates.ts. @default none */
  gates?: FieldGates;
  /** Told of planner failures other than unsupported features (the operation then runs on graphql-tools). */
  onPlanningError?: (error: unknown, operationName: string | undefined) => void;
}

export function createFastPath({ model, apiSchema, projectionSchema, compiledProjection = true, send, observer, gates, onPlanningError }: FastPathOptions): FastPath {
  const planner = createQueryPlanner(model, apiSchema, gates, onPlanningError);
  const execute = createPlanExecutor({
    planner,
    schema: projectionSchema ?? createProjectionSchema(apiSchema),
    send,
    graphqlJsProjection: !compiledProjection,
    observer,
  });
  return {
    disabledBecause: model.unsupported,
    gated: gates !== undefined,
    canExecute(args) {
      try {
        planner.planFor(args.document, args.operationName, args.variableValues ?? undefined);
        return true;
      } catch (error) {
        if (error instanceof UnsupportedOperation) return false;
        throw error;
      }
    },
    execute,
  };
}
