import {
  Kind, valueFromASTUntyped, visit, type DirectiveNode, type DocumentNode, type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import type { GraphQLSchema } from 'graphql';
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

interface DocumentEntry {
  operations: Map<string, OperationDefinitionNode>;
  fragments: Map<string, FragmentDefinitionNode>;
  /** Variables that decide @skip/@include: their values are part of the plan's cache key. */
  conditionVariables: string[];
  plans: Map<string, PlannedOperation | UnsupportedOperation>;
}

/**
 * Plans are computed once per document (yoga hands us the same parsed DocumentNode for the same
 * query text) and per @skip/@include decision, then reused: planning cost leaves the hot path.
 */
export function createQueryPlanner(
  model: SupergraphModel, apiSchema: GraphQLSchema, gates?: FieldGates, onPlanningError?: (error: unknown, operationName: string | undefined) => void,
): QueryPlanner {
  const documents = new WeakMap<DocumentNode, DocumentEntry>();

  function entryFor(document: DocumentNode): DocumentEntry {
    let entry = documents.get(document);
    if (entry) return entry;
    const operations = new Map<string, OperationDefinitionNode>();
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) operations.set(definition.name?.value ?? '', definition);
      else if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const conditionVariables = new Set<string>();
    visit(document, {
      Directive(node) {
        if (node.name.value !== 'skip' && node.name.value !== 'include') return;
        for (const arg of node.arguments ?? []) if (arg.value.kind === Kind.VARIABLE) conditionVariables.add(arg.value.name.value);
      },
    });
    entry = { operations, fragments, conditionVariables: [...conditionVariables], plans: new Map() };
    documents.set(document, entry);
    return entry;
  }

  return {
    planFor(document, operationName, variables = {}) {
      if (model.unsupported) throw new UnsupportedOperation(model.unsupported);
      const entry = entryFor(document);
      const operation = operationName ? entry.operations.get(operationName) : entry.operations.size === 1 ? [...entry.operations.values()][0] : undefined;
      if (!operation) throw new UnsupportedOperation('operation not found');
      const defaults = new Map((operation.variableDefinitions ?? []).map((d) => [d.variable.name.value, d.defaultValue ? valueFromASTUntyped(d.defaultValue) : undefined]));
      const valueOf = (name: string) => variables[name] ?? defaults.get(name);
      const cacheKey = `${operationName ?? ''}|${entry.conditionVariables.map((v) => (valueOf(v) ? 1 : 0)).join('')}`;
      let plan = entry.plans.get(cacheKey);
      if (!plan) {
        const conditions = (directive: DirectiveNode) => {
          const arg = directive.arguments?.find((a) => a.name.value === 'if');
          const value = !arg ? true : arg.value.kind === Kind.VARIABLE ? Boolean(valueOf(arg.value.name.value)) : Boolean(valueFromASTUntyped(arg.value));
          return directive.name.value === 'skip' ? !value : value;
        };
        try {
          const built = buildPlan({ model, operation, fragments: entry.fragments, conditions, gates });
          plan = {
            plan: built,
            operation,
            projection: compileProjection({ schema: apiSchema, owners: built.owners, fetchedBy: built.fetchedBy, operation, fragments: entry.fragments, conditions }),
          };
        } catch (error) {
          // A planner bug must not fail a request graphql-tools can serve: any planning failure
          // sends the operation (cached, per document) to the general engine, and is reported once.
          if (!(error instanceof UnsupportedOperation)) onPlanningError?.(error, operation.name?.value);
          plan = error instanceof UnsupportedOperation ? error : new UnsupportedOperation(`planning failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        entry.plans.set(cacheKey, plan);
      }
      if (plan instanceof UnsupportedOperation) throw plan;
      return plan;
    },
  };
}
