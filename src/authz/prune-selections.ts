import {
  getNamedType, isCompositeType, isInterfaceType, isObjectType, Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType,
  type GraphQLOutputType, type GraphQLResolveInfo, type GraphQLSchema, type InlineFragmentNode, type SelectionNode, type SelectionSetNode,
} from 'graphql';
import { RESERVED_ALIAS_PREFIX } from './evaluate-policies.js';
import type { Profile } from './profiles.js';
import type { Requirement } from './requirements.js';

export interface PrunerOptions {
  schema: GraphQLSchema;
  requirement(typeName: string, fieldName: string): Requirement | undefined;
  /** Whether stitching can fetch this field on its own once its parent is known (a merged type's field). */
  deferrable(requirement: Requirement): boolean;
}

export interface Pruner {
  /**
   * `info` with the field's sub-selections cut to what this profile may fetch: fields its static
   * clauses deny are removed, fields guarded by policies are removed when stitching can fetch them
   * later (so they are fetched only after the policy allowed it), and the parent fields policies read
   * are added under reserved aliases. graphql-tools builds upstream requests (and merges) from
   * `info.fieldNodes`, so a denied field never reaches a service. Cached per field nodes and profile:
   * the same pruned nodes (identity) every time, which keeps graphql-tools' own caches and batching.
   */
  prune(info: GraphQLResolveInfo, profile: Profile): GraphQLResolveInfo;
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

interface FieldPlan {
  drop: boolean;
  parentFields: readonly string[];
}
const KEEP: FieldPlan = { drop: false, parentFields: [] };
const DROP: FieldPlan = { drop: true, parentFields: [] };

export function createPruner({ schema, requirement, deferrable }: PrunerOptions): Pruner {
  const cache = new WeakMap<readonly FieldNode[], Map<Profile, readonly FieldNode[]>>();

  function planFor(typeName: string, fieldName: string, profile: Profile): FieldPlan {
    const required = requirement(typeName, fieldName);
    if (!required) return KEEP;
    if (profile.staticDenial(required)) return DROP;
    if (!required.policyClauses.length) return KEEP;
    return { drop: deferrable(required), parentFields: required.parentFields };
  }

  function pruneNodes(nodes: readonly FieldNode[], returnType: GraphQLOutputType, fragments: Record<string, FragmentDefinitionNode>, profile: Profile): readonly FieldNode[] {
    // Fragments are walked once per type within one pruning, however often they are spread.
    const memo = new Map<SelectionSetNode, Map<string, SelectionSetNode>>();

    const pruneSet = (set: SelectionSetNode, type: GraphQLCompositeType): SelectionSetNode => {
      let byType = memo.get(set);
      const known = byType?.get(type.name);
      if (known) return known;
      const pruned = pruneSetUncached(set, type);
      if (!byType) memo.set(set, (byType = new Map()));
      byType.set(type.name, pruned);
      return pruned;
    };

    const pruneField = (node: FieldNode, type: GraphQLOutputType | undefined): FieldNode => {
      const named = type && getNamedType(type);
      if (!node.selectionSet || !named || !isCompositeType(named)) return node;
      const selectionSet = pruneSet(node.selectionSet, named);
      return selectionSet === node.selectionSet ? node : { ...node, selectionSet };
    };

    const pruneSetUncached = (set: SelectionSetNode, type: GraphQLCompositeType): SelectionSetNode => {
      let changed = false;
      const out: SelectionNode[] = [];
      const parentFields = new Map<string, Set<string>>();
      const needs = (typeName: string, fields: readonly string[]) => {
        if (!fields.length) return;
        const set = parentFields.get(typeName) ?? new Set<string>();
        for (const field of fields) set.add(field);
        parentFields.set(typeName, set);
      };
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const name = selection.name.value;
          if (name.startsWith('__') || (!isObjectType(type) && !isInterfaceType(type))) {
            out.push(selection);
            continue;
          }
          if (isObjectType(type)) {
            const plan = planFor(type.name, name, profile);
            needs(type.name, plan.parentFields);
            if (plan.drop) {
              changed = true;
              continue;
            }
            const next = pruneField(selection, type.getFields()[name]?.type);
            changed ||= next !== selection;
            out.push(next);
            continue;
          }
          // A field selected on an interface: each implementation decides for itself.
          const keep = schema.getPossibleTypes(type).filter((t) => {
            const plan = planFor(t.name, name, profile);
            needs(t.name, plan.parentFields);
            return !plan.drop;
          });
          if (keep.length === schema.getPossibleTypes(type).length) {
            const next = pruneField(selection, type.getFields()[name]?.type);
            changed ||= next !== selection;
            out.push(next);
          } else {
            changed = true;
            for (const t of keep) out.push(inlineFragment(t.name, [pruneField(selection, t.getFields()[name]?.type)]));
          }
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
          const selectionSet = condition && isCompositeType(condition) ? pruneSet(selection.selectionSet, condition) : selection.selectionSet;
          changed ||= selectionSet !== selection.selectionSet;
          out.push(selectionSet === selection.selectionSet ? selection : { ...selection, selectionSet });
        } else {
          const fragment = fragments[selection.name.value];
          const condition = fragment && schema.getType(fragment.typeCondition.name.value);
          const selectionSet = condition && isCompositeType(condition) ? pruneSet(fragment.selectionSet, condition) : undefined;
          if (!fragment || !selectionSet || selectionSet === fragment.selectionSet) {
            out.push(selection);
          } else {
            // The pruned fragment is inlined: the original definition stays as the client wrote it.
            changed = true;
            out.push({ kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, directives: selection.directives, selectionSet });
          }
        }
      }
      for (const [typeName, fields] of parentFields) {
        // The plain field too: graphql-tools takes the aliased one for the key it merges by, and then
        // finds no key on the object.
        const nodes = [...fields].flatMap((field) => [reservedField(field), plainField(field)]);
        if (typeName === type.name) out.push(...nodes);
        else out.push(inlineFragment(typeName, nodes));
        changed = true;
      }
      if (!changed) return set;
      // Everything was removed: keep the selection valid (the object itself stays, or is null for its own reasons).
      if (out.length === 0) out.push(TYPENAME);
      return { ...set, selections: out };
    };

    let changed = false;
    const pruned = nodes.map((node) => {
      const next = pruneField(node, returnType);
      changed ||= next !== node;
      return next;
    });
    return changed ? pruned : nodes;
  }

  return {
    prune(info, profile) {
      let byProfile = cache.get(info.fieldNodes);
      if (!byProfile) cache.set(info.fieldNodes, (byProfile = new Map()));
      let nodes = byProfile.get(profile);
      if (!nodes) {
        nodes = pruneNodes(info.fieldNodes, info.returnType, info.fragments, profile);
        byProfile.set(profile, nodes);
      }
      return nodes === info.fieldNodes ? info : { ...info, fieldNodes: nodes };
    },
  };
}

function reservedField(field: string): FieldNode {
  return { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: `${RESERVED_ALIAS_PREFIX}${field}` }, name: { kind: Kind.NAME, value: field } };
}

function plainField(field: string): FieldNode {
  return { kind: Kind.FIELD, name: { kind: Kind.NAME, value: field } };
}

function inlineFragment(typeName: string, selections: SelectionNode[]): InlineFragmentNode {
  return {
    kind: Kind.INLINE_FRAGMENT,
    typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: typeName } },
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
}
