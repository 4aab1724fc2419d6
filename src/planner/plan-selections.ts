import { getNamedType, isListType, isNonNullType, isObjectType, Kind, type GraphQLObjectType, type GraphQLOutputType, type SelectionSetNode } from 'graphql';
import type { RepresentationField } from './plan-types.js';
import type { SelectionBuilder } from './selection-builder.js';
import { UnsupportedOperation } from './unsupported.js';

/** Small pieces of planning that work on selections and types, not on the plan. */

export const NO_ARGUMENTS: Readonly<Record<string, unknown>> = Object.freeze({});

export function listDepth(type: GraphQLOutputType): number {
  let depth = 0;
  let current: GraphQLOutputType = type;
  for (;;) {
    if (isNonNullType(current)) current = current.ofType;
    else if (isListType(current)) {
      depth++;
      current = current.ofType;
    } else return depth;
  }
}

/**
 * Response-key prefix of the entity keys the planner fetches for itself: in the merged data they stay
 * apart from the client's fields, so a client alias (`id: bestFriendId`) cannot change a key's value.
 */
export const KEY_ALIAS = '_jnc_key_';

/**
 * Field selections of a key or @requires, added with their real names; top-level fields under
 * `prefix` + name when a prefix is given (nested ones keep their names).
 */
export function addSelection(builder: SelectionBuilder, type: GraphQLObjectType, selectionSet: SelectionSetNode, prefix = ''): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) throw new UnsupportedOperation('fragments in a key or @requires');
    // Representations carry values, not calls: a field with arguments cannot be written into one.
    if (selection.arguments?.length) throw new UnsupportedOperation('arguments in a key or @requires');
    const name = selection.name.value;
    if (!selection.selectionSet) {
      builder.field(`${prefix}${name}`, name);
      continue;
    }
    const named = getNamedType(type.getFields()[name]?.type);
    if (!named || !isObjectType(named)) throw new UnsupportedOperation('abstract types in a key or @requires');
    addSelection(builder.child(`${prefix}${name}`, name), named, selection.selectionSet);
  }
}

/** The representation's fields: each read from its response key in the merged data, sent under its real name. */
export function toRepresentation(builder: SelectionBuilder): RepresentationField[] {
  return [...builder.fields].map(([from, field]) => (field.sub ? { name: field.name, from, sub: toRepresentation(field.sub) } : { name: field.name, from }));
}

/** The part of a @provides selection that applies to objects of `typeName`. */
export function providedFor(selectionSet: SelectionSetNode, typeName: string): Map<string, SelectionSetNode | undefined> {
  const out = new Map<string, SelectionSetNode | undefined>();
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) out.set(selection.name.value, selection.selectionSet);
    else if (selection.kind === Kind.INLINE_FRAGMENT && (!selection.typeCondition || selection.typeCondition.name.value === typeName)) {
      for (const [k, v] of providedFor(selection.selectionSet, typeName)) out.set(k, v);
    }
  }
  return out;
}
