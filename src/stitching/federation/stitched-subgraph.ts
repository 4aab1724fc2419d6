import {
  getNamedType, isEnumType, isObjectType, isScalarType, isSpecifiedScalarType, parse, print, type DocumentNode, type GraphQLField, type GraphQLNamedType, type GraphQLObjectType,
} from 'graphql';
import { parseSelectionSet } from '@graphql-tools/utils';
import { fieldDirective, stringArg, type ServiceDefinition } from '../../registry/index.js';

/** Name of the subgraph standing for the stitched services in composition (service names cannot contain `_`). */
export const STITCHED_SUBGRAPH = 'junction_stitched';

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Describes, as a Federation v2 subgraph, what the stitched (GraphQL and REST) services contribute to
 * the types federation subgraphs also define: their fields (all `@shareable`) and the keys they can
 * be fetched by (their `@merge` entry points). Composing it with the federation subgraphs is what lets
 * a subgraph `@requires` or `@external` a field of a stitched type, and what reports conflicts between
 * the two worlds (a field typed differently, a field claimed by both without `@shareable`).
 * Returns undefined when no type is shared.
 */
export function stitchedSubgraphSdl(federation: readonly ServiceDefinition[], stitched: readonly ServiceDefinition[]): DocumentNode | undefined {
  const federationTypes = new Set(
    federation.flatMap((s) => s.typeDefs.definitions.flatMap((d) => ('name' in d && d.name && !ROOT_TYPES.has(d.name.value) ? [d.name.value] : []))),
  );
  const shared = new Map<string, { fields: Map<string, string>; keys: Set<string> }>();
  const leafTypes = new Map<string, GraphQLNamedType>();
  for (const service of stitched) {
    for (const type of Object.values(service.schema.getTypeMap())) {
      if (!isObjectType(type) || !federationTypes.has(type.name)) continue;
      const entry = shared.get(type.name) ?? { fields: new Map(), keys: new Set() };
      shared.set(type.name, entry);
      for (const key of mergeKeys(service, type)) entry.keys.add(key);
    }
  }
  if (shared.size === 0) return undefined;
  for (const service of stitched) {
    for (const [typeName, entry] of shared) {
      const type = service.schema.getType(typeName);
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const printed = printField(field, shared, leafTypes);
        if (printed && !entry.fields.has(field.name)) entry.fields.set(field.name, printed);
      }
    }
  }
  const types = [...shared].map(([name, { fields, keys }]) => {
    // A key some service can resolve makes the same key as a mere reference elsewhere redundant.
    const keyDirectives = [...keys].filter((k) => !k.endsWith(', resolvable: false') || !keys.has(k.replace(', resolvable: false', ''))).map((k) => ` @key(${k})`).join('');
    return `type ${name}${keyDirectives} {\n${[...fields.values()].map((f) => `  ${f} @shareable`).join('\n')}\n}`;
  });
  for (const leaf of leafTypes.values()) {
    if (isEnumType(leaf)) types.push(`enum ${leaf.name} { ${leaf.getValues().map((v) => v.name).join(' ')} }`);
    else types.push(`scalar ${leaf.name}`);
  }
  const sdl = [
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])',
    // Composition needs a query type somewhere; gateway-internal root fields start with _ and are hidden.
    'type Query { _stitchedServices: Boolean }',
    ...types,
  ].join('\n');
  return parse(sdl, { noLocation: true });
}

/**
 * Keys of `type` in a stitched service, as `@key` arguments: the selection of each `@merge` entry point
 * returning it (resolvable), or, without one, its `@key(selectionSet:)` (a reference it cannot resolve).
 */
function mergeKeys(service: ServiceDefinition, type: GraphQLObjectType): string[] {
  const typeKey = type.astNode?.directives?.find((d) => d.name.value === 'key');
  const typeKeySelection = typeKey && stringArg(typeKey, 'selectionSet');
  const keys: string[] = [];
  for (const field of Object.values(service.schema.getQueryType()?.getFields() ?? {})) {
    const merge = fieldDirective(field.astNode, 'merge');
    if (!merge || getNamedType(field.type) !== type) continue;
    const fields = keyFields(typeKeySelection ?? `{ ${stringArg(merge, 'keyField') ?? 'id'} }`);
    if (fields) keys.push(`fields: ${JSON.stringify(fields)}`);
  }
  const referenceOnly = keys.length === 0 && typeKeySelection ? keyFields(typeKeySelection) : undefined;
  if (referenceOnly) keys.push(`fields: ${JSON.stringify(referenceOnly)}, resolvable: false`);
  return keys;
}

/** `{ sku region }` -> `sku region`. */
function keyFields(selectionSet: string): string | undefined {
  try {
    return print(parseSelectionSet(selectionSet)).replace(/^\{\s*|\s*\}$/g, '').replace(/\s+/g, ' ');
  } catch {
    return undefined; // an invalid selection set was already reported by the registry checks
  }
}

/** `name(arg: T): Type`, or undefined when the field's types cannot be described here (types not shared with federation). */
function printField(
  field: GraphQLField<unknown, unknown>, shared: ReadonlyMap<string, unknown>, leafTypes: Map<string, GraphQLNamedType>,
): string | undefined {
  const usable = (named: GraphQLNamedType) => {
    if (isSpecifiedScalarType(named) || shared.has(named.name)) return true;
    if (isEnumType(named) || isScalarType(named)) {
      leafTypes.set(named.name, named);
      return true;
    }
    return false;
  };
  if (!usable(getNamedType(field.type))) return undefined;
  if (!field.args.every((arg) => usable(getNamedType(arg.type)))) return undefined;
  const args = field.args.length ? `(${field.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ')})` : '';
  return `${field.name}${args}: ${String(field.type)}`;
}
