import {
  getNamedType, getNullableType, isAbstractType, isInterfaceType, isListType, isObjectType, Kind, valueFromASTUntyped,
  type DirectiveNode, type GraphQLSchema,
} from 'graphql';
import { parseSelectionSet } from '@graphql-tools/utils';
import type { EntityKey, FieldInSubgraph, Subgraph, SupergraphModel, TypeInSubgraph } from './supergraph-model.js';

/** A stitched service as the planner needs it: its registered schema, with stitching directives. */
export interface StitchedService {
  /** Its id in plans and requests (the service name). */
  id: string;
  schema: GraphQLSchema;
}

/**
 * The planner's model of stitched services: every field a service defines is resolvable there, and
 * an entity is fetched from a service through its `@merge` list entry point (`usersByIds(ids:)`),
 * with the `@key(selectionSet:)` the service declares. `@computed` fields are left to the general
 * engine (their merge arguments carry more than keys).
 */
export function readStitchedServices(services: readonly StitchedService[], schema: GraphQLSchema): SupergraphModel {
  const subgraphs = new Map<string, Subgraph>(services.map((s) => [s.id, { id: s.id, name: s.id, url: '' }]));
  const types = new Map<string, Map<string, TypeInSubgraph>>();
  const fields = new Map<string, Map<string, FieldInSubgraph>>();
  const possible = new Map<string, Set<string>>();
  const unsupportedFields = new Set<string>();

  for (const service of services) {
    const entries = mergeEntries(service.schema);
    for (const type of Object.values(service.schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      const inService: TypeInSubgraph = { keys: [], isInterfaceObject: false };
      const entry = entries.get(type.name);
      if (entry) {
        const keyDirective = type.astNode?.directives?.find((d) => d.name.value === 'key');
        const selection = keyDirective ? stringArg(keyDirective, 'selectionSet') : undefined;
        inService.keys.push({ fields: parseSelectionSet(selection ?? `{ ${entry.keyField} }`), resolvable: true, entry });
      }
      (types.get(type.name) ?? types.set(type.name, new Map()).get(type.name)!).set(service.id, inService);
      if (isAbstractType(type)) {
        possible.set(`${type.name}|${service.id}`, new Set(service.schema.getPossibleTypes(type).map((t) => t.name)));
      }
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        if (field.astNode?.directives?.some((d) => d.name.value === 'computed')) {
          unsupportedFields.add(coordinate);
          continue;
        }
        (fields.get(coordinate) ?? fields.set(coordinate, new Map()).get(coordinate)!).set(service.id, { external: false });
      }
    }
  }
  return {
    schema,
    subgraphs,
    typeIn: (name) => types.get(name) ?? new Map(),
    fieldIn: (typeName, fieldName) => {
      const coordinate = `${typeName}.${fieldName}`;
      // An empty map makes the planner refuse the field, so the operation falls back.
      return unsupportedFields.has(coordinate) ? new Map() : (fields.get(coordinate) ?? new Map());
    },
    possibleTypesIn: (abstractName, service) => possible.get(`${abstractName}|${service}`) ?? new Set(),
  };
}

/** Per type: the list-returning root field marked `@merge(keyField:)` with one list argument. */
function mergeEntries(schema: GraphQLSchema): Map<string, NonNullable<EntityKey['entry']>> {
  const out = new Map<string, NonNullable<EntityKey['entry']>>();
  for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    const merge = field.astNode?.directives?.find((d) => d.name.value === 'merge');
    const keyField = merge ? stringArg(merge, 'keyField') : undefined;
    if (!merge || !keyField || !isListType(getNullableType(field.type))) continue;
    if (merge.arguments?.some((a) => ['argsExpr', 'key', 'additionalArgs'].includes(a.name.value))) continue;
    const keyArgName = stringArg(merge, 'keyArg') ?? (field.args.length === 1 ? field.args[0]!.name : undefined);
    const arg = field.args.find((a) => a.name === keyArgName);
    if (!arg || !isListType(getNullableType(arg.type))) continue;
    const typeName = getNamedType(field.type).name;
    if (!out.has(typeName)) out.set(typeName, { fieldName: field.name, argName: arg.name, argType: String(arg.type), keyField });
  }
  return out;
}

function stringArg(directive: DirectiveNode, name: string): string | undefined {
  const arg = directive.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  const value = arg.value.kind === Kind.STRING ? arg.value.value : valueFromASTUntyped(arg.value);
  return typeof value === 'string' ? value : undefined;
}
