import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { operationVariant } from '../shared/operation-variant.js';
import { buildPlan } from './build-plan.js';
import { compileProjection, type Projection } from './compile-projection.js';
import type { FieldGates } from './field-gates.js';
import type { Plan } from './plan-types.js';
import type { SupergraphModel } from './supergraph-model.js';
import { UnsupportedOperation } from './unsupported.js';

export interface PlannedOperation {
  plan: Plan;
  /** The operation planned: its variable definitions coerce each request's variables. */
  operation: OperationDefinitionNode;
  /** How to build the response from the merged data; undefined when graphql-js must (introspection). */
  projection: Projection | undefined;
}

export interface QueryPlanner {
  /** The plan for one operation of a (validated) document; throws UnsupportedOperation. Cached. */
  planFor(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | undefined): PlannedOperation;
}

/**
 * Plans are computed once per document (yoga hands us the same parsed DocumentNode for the same
 * query text) and per @skip/@include decision, then reused: planning cost leaves the hot path.
 */
export function createQueryPlanner(
  model: SupergraphModel, apiSchema: GraphQLSchema, gates?: FieldGates, onPlanningError?: (error: unknown, operationName: string | undefined) => void,
): QueryPlanner {
  // Per document: plans by operation variant (operation name and @skip/@include decisions).
  const documents = new WeakMap<DocumentNode, Map<string, PlannedOperation | UnsupportedOperation>>();

  return {
    planFor(document, operationName, variables = {}) {
      if (model.unsupported) throw new UnsupportedOperation(model.unsupported);
      const { operation, fragments, key, keeps: conditions } = operationVariant(document, operationName, variables);
      if (!operation) throw new UnsupportedOperation('operation not found');
      let plans = documents.get(document);
      if (!plans) documents.set(document, (plans = new Map()));
      let plan = plans.get(key);
      if (!plan) {
        try {
          const built = buildPlan({ model, operation, fragments, conditions, gates });
          plan = {
            plan: built,
            operation,
            projection: compileProjection({ schema: apiSchema, owners: built.owners, fetchedBy: built.fetchedBy, operation, fragments, conditions }),
          };
        } catch (error) {
          // A planner bug must not fail a request graphql-tools can serve: any planning failure
          // sends the operation (cached, per document) to the general engine, and is reported once.
          if (!(error instanceof UnsupportedOperation)) onPlanningError?.(error, operation.name?.value);
          plan = error instanceof UnsupportedOperation ? error : new UnsupportedOperation(`planning failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        plans.set(key, plan);
      }
      if (plan instanceof UnsupportedOperation) throw plan;
      return plan;
    },
  };
}
