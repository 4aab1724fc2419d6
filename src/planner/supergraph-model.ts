import {
  buildASTSchema, isAbstractType, isInterfaceType, isObjectType, isUnionType, Kind, parse, valueFromASTUntyped,
  type DirectiveNode, type GraphQLNamedType, type GraphQLSchema, type SelectionSetNode,
} from 'graphql';
import { parseSelectionSet } from '@graphql-tools/utils';

/** A subgraph as the supergraph names it: the `join__Graph` enum value and its `@join__graph`. */
export interface Subgraph {
  /** The enum value, e.g. `ACCOUNTS`: how every join directive refers to it. */
  id: string;
  /** The subgraph's own name, e.g. `accounts`. */
  name: string;
  url: string;
}

export interface EntityKey {
  fields: SelectionSetNode;
  resolvable: boolean;
  /**
   * How entities are fetched with this key: federation's `_entities(representations:)` when absent;
   * for a stitched service, its `@merge` entry point taking the list of `keyField` values.
   */
  entry?: MergeEntry;
}

export interface MergeEntry {
  fieldName: string;
  argName: string;
  /** The argument's type as written, e.g. `[ID!]!`: the variable's type in the request. */
  argType: string;
  keyField: string;
}

/** How one subgraph knows one type. */
export interface TypeInSubgraph {
  keys: EntityKey[];
  isInterfaceObject: boolean;
}

/** How one subgraph knows one field. */
export interface FieldInSubgraph {
  external: boolean;
  requires?: SelectionSetNode;
  provides?: SelectionSetNode;
  /** A progressive `@override(label:)`: the plan depends on a per-request decision. */
  overrideLabel?: string;
}

/**
 * What the query planner needs to know about a supergraph: which subgraph can resolve which field
 * of which type, the entity keys, and @requires / @provides. Read once from the `join__*` directives.
 */
export interface SupergraphModel {
  /** The supergraph schema (with join directives), for type lookups. */
  schema: GraphQLSchema;
  subgraphs: Map<string, Subgraph>;
  /** Subgraphs defining a type, with their keys. */
  typeIn(typeName: string): ReadonlyMap<string, TypeInSubgraph>;
  /** Subgraphs that define a field (external ones included, flagged). */
  fieldIn(typeName: string, fieldName: string): ReadonlyMap<string, FieldInSubgraph>;
  /** Concrete types a subgraph can return for an abstract type. */
  possibleTypesIn(abstractTypeName: string, subgraphId: string): ReadonlySet<string>;
  /** Why the fast path cannot serve this supergraph at all, if it cannot. */
  unsupported?: string;
}

const EMPTY_MAP = new Map<string, never>();

export function readSupergraph(supergraphSdl: string): SupergraphModel {
  const schema = buildASTSchema(parse(supergraphSdl), { assumeValid: true, assumeValidSDL: true });
  const subgraphs = new Map<string, Subgraph>();
  const graphEnum = schema.getType('join__Graph');
  for (const value of graphEnum && 'getValues' in graphEnum ? graphEnum.getValues() : []) {
    const directive = value.astNode?.directives?.find((d) => d.name.value === 'join__graph');
    const args = directive ? argsOf(directive) : {};
    subgraphs.set(value.name, { id: value.name, name: String(args['name'] ?? value.name.toLowerCase()), url: String(args['url'] ?? '') });
  }

  const types = new Map<string, Map<string, TypeInSubgraph>>();
  const fields = new Map<string, Map<string, FieldInSubgraph>>();
  const possible = new Map<string, Set<string>>();
  let unsupported: string | undefined;

  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || type.name.startsWith('join__') || type.name.startsWith('link__')) continue;
    const inSubgraphs = new Map<string, TypeInSubgraph>();
    for (const directive of directivesOf(type, 'join__type')) {
      const args = argsOf(directive);
      const graph = String(args['graph']);
      const entry = inSubgraphs.get(graph) ?? { keys: [], isInterfaceObject: false };
      if (typeof args['key'] === 'string') entry.keys.push({ fields: parseSelectionSet(`{ ${args['key']} }`), resolvable: args['resolvable'] !== false });
      if (args['isInterfaceObject'] === true) {
        entry.isInterfaceObject = true;
        unsupported ??= `@interfaceObject on ${type.name}`;
      }
      inSubgraphs.set(graph, entry);
    }
    types.set(type.name, inSubgraphs);
    if (isInterfaceType(type) && [...inSubgraphs.values()].some((t) => t.keys.length > 0)) unsupported ??= `entity interface ${type.name}`;

    if (isObjectType(type) || isInterfaceType(type)) {
      for (const directive of directivesOf(type, 'join__implements')) {
        const args = argsOf(directive);
        addPossible(possible, String(args['interface']), String(args['graph']), type.name);
      }
      for (const field of Object.values(type.getFields())) {
        const byGraph = new Map<string, FieldInSubgraph>();
        for (const directive of field.astNode?.directives?.filter((d) => d.name.value === 'join__field') ?? []) {
          const args = argsOf(directive);
          if (args['graph'] === undefined) continue;
          if (args['usedOverridden'] === true) continue; // kept only so the overridden subgraph can still provide keys
          const entry: FieldInSubgraph = { external: args['external'] === true };
          if (typeof args['requires'] === 'string') entry.requires = parseSelectionSet(`{ ${args['requires']} }`);
          if (typeof args['provides'] === 'string') entry.provides = parseSelectionSet(`{ ${args['provides']} }`);
          if (typeof args['overrideLabel'] === 'string') entry.overrideLabel = args['overrideLabel'];
          byGraph.set(String(args['graph']), entry);
        }
        if (byGraph.size === 0) for (const graph of inSubgraphs.keys()) byGraph.set(graph, { external: false });
        fields.set(`${type.name}.${field.name}`, byGraph);
      }
    }
    if (isUnionType(type)) {
      for (const directive of directivesOf(type, 'join__unionMember')) {
        const args = argsOf(directive);
        addPossible(possible, type.name, String(args['graph']), String(args['member']));
      }
    }
  }

  return {
    schema,
    subgraphs,
    typeIn: (name) => types.get(name) ?? EMPTY_MAP,
    fieldIn: (typeName, fieldName) => fields.get(`${typeName}.${fieldName}`) ?? EMPTY_MAP,
    possibleTypesIn(abstractName, graph) {
      const known = possible.get(`${abstractName}|${graph}`);
      if (known) return known;
      // Without join__implements/unionMember info, a subgraph returns the types it defines.
      const abstract = schema.getType(abstractName);
      if (!abstract || !isAbstractType(abstract)) return new Set();
      return new Set(schema.getPossibleTypes(abstract).filter((t) => types.get(t.name)?.has(graph)).map((t) => t.name));
    },
    unsupported,
  };
}

function addPossible(possible: Map<string, Set<string>>, abstractName: string, graph: string, member: string) {
  const key = `${abstractName}|${graph}`;
  const set = possible.get(key) ?? new Set<string>();
  set.add(member);
  possible.set(key, set);
}

function directivesOf(type: GraphQLNamedType, name: string): DirectiveNode[] {
  const nodes = [type.astNode, ...(type.extensionASTNodes ?? [])];
  return nodes.flatMap((node) => node?.directives?.filter((d) => d.name.value === name) ?? []);
}

function argsOf(directive: DirectiveNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const arg of directive.arguments ?? []) {
    out[arg.name.value] = arg.value.kind === Kind.ENUM ? arg.value.value : valueFromASTUntyped(arg.value);
  }
  return out;
}

