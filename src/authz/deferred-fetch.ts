import {
  FIELD_SUBSCHEMA_MAP_SYMBOL, handleResolverResult, isExternalObject, UNPATHED_ERRORS_SYMBOL, type MergedTypeInfo, type StitchingInfo, type Subschema,
} from '@graphql-tools/delegate';
import { Kind, responsePathAsArray, type FieldNode, type GraphQLResolveInfo, type GraphQLSchema, type SelectionSetNode } from 'graphql';

/**
 * Fetches a policy-guarded field that was left out of its parent's request, once its policy allowed
 * it: through the owning service's entry point for the type, as graphql-tools' defaultMergedResolver
 * would for a missing field, but with a selection set made once per field node (graphql-tools makes a
 * new one per object, so each object would pay for printing and planning it again). The objects of a
 * list still share one batched request. Returns undefined when there is nothing to do (the value is
 * there, or the object is not one stitching can complete: defaultMergedResolver then has its turn).
 */
export type DeferredFetch = (parent: unknown, context: unknown, info: GraphQLResolveInfo) => Promise<void> | undefined;

/** Where a deferred field of a merged type is fetched from, and the key fields that needs. */
export interface DeferredOwner {
  owner: Subschema;
  /** Top-level fields of the owner's key selection for the type (added to the parent's request). */
  keyFields: readonly string[];
}

/** The service that resolves `fieldName` of the merged type `typeName`, if it has an entry point for the type. */
export function deferredOwner(schema: GraphQLSchema, typeName: string, fieldName: string): DeferredOwner | undefined {
  const merged = mergedTypesOf(schema)?.[typeName];
  if (!merged) return undefined;
  const owners = merged.uniqueFields[fieldName] ? [merged.uniqueFields[fieldName]] : (merged.nonUniqueFields[fieldName] ?? []);
  const owner = owners.find((o) => merged.resolvers.has(o));
  if (!owner) return undefined;
  const keyFields = (merged.selectionSets.get(owner)?.selections ?? []).flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
  return { owner, keyFields };
}

export function createDeferredFetch(schema: GraphQLSchema): DeferredFetch {
  const mergedTypes = mergedTypesOf(schema);
  const owners = new Map<string, DeferredOwner | undefined>();
  const ownerOf = (typeName: string, fieldName: string) => {
    const key = `${typeName}.${fieldName}`;
    if (!owners.has(key)) owners.set(key, deferredOwner(schema, typeName, fieldName));
    return owners.get(key);
  };
  const selectionSets = new WeakMap<FieldNode, { source: readonly FieldNode[]; selectionSet: SelectionSetNode }>();

  const selectionSetFor = (fieldNodes: readonly FieldNode[]): SelectionSetNode => {
    const first = fieldNodes[0]!;
    let entry = selectionSets.get(first);
    if (!entry || entry.source.length !== fieldNodes.length || entry.source.some((n, i) => n !== fieldNodes[i])) {
      entry = { source: fieldNodes, selectionSet: { kind: Kind.SELECTION_SET, selections: fieldNodes } };
      selectionSets.set(first, entry);
    }
    return entry.selectionSet;
  };

  return (parent, context, info) => {
    if (!mergedTypes || typeof parent !== 'object' || parent === null || !isExternalObject(parent)) return undefined;
    const object = parent as unknown as Record<string | symbol, unknown>;
    const responseKey = info.fieldNodes[0]?.alias?.value ?? info.fieldName;
    if (object[responseKey] !== undefined) return undefined;
    const typeName = typeof object['__typename'] === 'string' ? object['__typename'] : info.parentType.name;
    const merged = mergedTypes[typeName] as MergedTypeInfo | undefined;
    const found = merged && ownerOf(typeName, info.fieldName);
    const resolver = found && merged.resolvers.get(found.owner);
    const type = found?.owner.transformedSchema.getType(typeName);
    if (!found || !resolver || !type) return undefined;
    const selectionSet = selectionSetFor(info.fieldNodes);
    return Promise.resolve(resolver(object as never, context as never, info, found.owner, selectionSet, undefined, type as never)).then((result) => {
      let fieldSubschemas = object[FIELD_SUBSCHEMA_MAP_SYMBOL] as Record<string, Subschema> | undefined;
      if (!fieldSubschemas) Object.defineProperty(object, FIELD_SUBSCHEMA_MAP_SYMBOL, { value: (fieldSubschemas = Object.create(null) as Record<string, Subschema>), writable: true });
      const errors = (object[UNPATHED_ERRORS_SYMBOL] as never[] | undefined) ?? [];
      handleResolverResult(result, found.owner, selectionSet, object as never, fieldSubschemas, info, responsePathAsArray(info.path).slice(0, -1), errors);
    });
  };
}

function mergedTypesOf(schema: GraphQLSchema): StitchingInfo['mergedTypes'] | undefined {
  return (schema.extensions['stitchingInfo'] as StitchingInfo | undefined)?.mergedTypes;
}
