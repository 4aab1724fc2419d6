import {
  getNullableType, isAbstractType, isLeafType, isListType, isNonNullType, isObjectType, type DirectiveNode,
  type FieldNode, type FragmentDefinitionNode, type GraphQLLeafType, type GraphQLObjectType, type GraphQLOutputType,
  type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { collectFields, subSelections, type CollectContext } from './collect-fields.js';
import { EACH, positionKey } from './plan-types.js';

function listDepth(type: GraphQLOutputType): number {
  let depth = 0;
  for (let t: GraphQLOutputType = type; ; ) {
    if (isNonNullType(t)) t = t.ofType;
    else if (isListType(t)) {
      depth++;
      t = t.ofType;
    } else return depth;
  }
}

/** How to complete a value of one (wrapped) output type. */
export interface Shape {
  nonNull: boolean;
  list?: Shape;
  leaf?: GraphQLLeafType;
  object?: ObjectProjection;
  /** Interface or union: the projection of each possible runtime type. */
  abstract?: { name: string; byType: ReadonlyMap<string, ObjectProjection> };
}

export interface FieldProjection {
  key: string;
  name: string;
  parentType: string;
  /** `__typename`: answered from the object's type, nothing to read. */
  typename: boolean;
  shape: Shape;
  nodes: readonly FieldNode[];
  /** Index into the per-request field counters (telemetry). */
  counter: number;
  /** The subgraph that answers it (telemetry); undefined for `__typename`. */
  service?: string;
  /** The fetch whose answer it waits for, when it starts that fetch's selection (Plan.fetchedBy); -1 otherwise. */
  fetch: number;
}

export interface ObjectProjection {
  typeName: string;
  fields: readonly FieldProjection[];
}

/** An operation compiled for projection: the client's selection, per concrete type, with fragments inlined. */
export interface Projection {
  root: ObjectProjection;
  /** `Type.field` of each counter. */
  coordinates: readonly string[];
}

export interface CompileInput {
  schema: GraphQLSchema;
  /** Subgraph per field position (Plan.owners), to attribute each field to its service. */
  owners?: ReadonlyMap<string, string>;
  /** Fetch per field position (Plan.fetchedBy), to time each field by the fetch it waits for. */
  fetchedBy?: ReadonlyMap<string, number>;
  operation: OperationDefinitionNode;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  conditions: (directive: DirectiveNode) => boolean;
}

/**
 * Compiles the client's selection into a tree the projector walks without looking anything up.
 * Returns undefined for operations that need graphql-js itself (introspection).
 */
export function compileProjection({ schema, owners, fetchedBy, operation, fragments, conditions }: CompileInput): Projection | undefined {
  const rootType = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!rootType || operation.operation === 'subscription') return undefined;
  const ctx: CollectContext = { schema, fragments, conditions };
  const coordinates: string[] = [];
  const counterOf = new Map<string, number>();
  let introspection = false;

  const compileObject = (type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[], path: readonly string[]): ObjectProjection => {
    const fields: FieldProjection[] = [];
    for (const field of collectFields(ctx, type, selectionSets).values()) {
      if (field.name === '__typename') {
        fields.push({ key: field.responseKey, name: field.name, parentType: type.name, typename: true, shape: { nonNull: true }, nodes: field.nodes, counter: -1, fetch: -1 });
        continue;
      }
      if (field.name.startsWith('__')) {
        introspection = true;
        continue;
      }
      const definition = type.getFields()[field.name];
      if (!definition) continue;
      const coordinate = `${type.name}.${field.name}`;
      let counter = counterOf.get(coordinate);
      if (counter === undefined) {
        counter = coordinates.push(coordinate) - 1;
        counterOf.set(coordinate, counter);
      }
      const childPath = [...path, field.responseKey, ...Array<string>(listDepth(definition.type)).fill(EACH)];
      const shape = compileShape(definition.type, subSelections(field), childPath);
      const position = positionKey(path, type.name, field.responseKey);
      const service = owners?.get(position);
      const fetch = fetchedBy?.get(position) ?? -1;
      fields.push({ key: field.responseKey, name: field.name, parentType: type.name, typename: false, shape, nodes: field.nodes, counter, service, fetch });
    }
    return { typeName: type.name, fields };
  };

  const compileShape = (type: GraphQLOutputType, selectionSets: readonly SelectionSetNode[], path: readonly string[]): Shape => {
    const nonNull = isNonNullType(type);
    const inner = getNullableType(type);
    if (isListType(inner)) return { nonNull, list: compileShape(inner.ofType, selectionSets, path) };
    if (isLeafType(inner)) return { nonNull, leaf: inner };
    if (isObjectType(inner)) return { nonNull, object: compileObject(inner, selectionSets, path) };
    if (isAbstractType(inner)) {
      const byType = new Map(schema.getPossibleTypes(inner).map((t) => [t.name, compileObject(t, selectionSets, path)]));
      return { nonNull, abstract: { name: inner.name, byType } };
    }
    throw new Error(`unexpected output type ${String(type)}`);
  };

  const root = compileObject(rootType, [operation.selectionSet], []);
  return introspection ? undefined : { root, coordinates };
}
