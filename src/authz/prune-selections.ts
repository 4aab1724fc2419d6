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
  /**
   * For a policy-guarded field that can be fetched on its own once its parent is known (a merged
   * type's field): the key fields that takes. Undefined: it is fetched with its parent.
   */
  deferredKeys(requirement: Requirement): readonly string[] | undefined;
}

export interface Pruner {
  /**
   * `info` with the field's sub-selections cut to what this profile may fetch: fields its static
   * clauses deny are removed, fields guarded by policies are removed when stitching can fetch them
   * later (so they are fetched only after the policy allowed it), and the parent fields policies read
   * are added under reserved aliases. graphql-tools builds upstream requests (and merges) from
   * `info.fieldNodes`, so a denied field never reaches a service. Cached per field node and profile:
   * the same pruned nodes (identity) every time, which keeps graphql-tools' own caches and batching.
   */
  prune(info: GraphQLResolveInfo, profile: Profile): GraphQLResolveInfo;
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

interface FieldPlan {
  drop: boolean;
  /** Read by policies: fetched under reserved aliases (and plainly, for stitching's keys). */
  parentFields: readonly string[];
  /** Keys the deferred fetch needs: fetched plainly. */
  keyFields: readonly string[];
}
const KEEP: FieldPlan = { drop: false, parentFields: [], keyFields: [] };
const DROP: FieldPlan = { drop: true, parentFields: [], keyFields: [] };

interface Pruned {
  source: readonly FieldNode[];
  pruned: readonly FieldNode[];
}

export function createPruner({ schema, requirement, deferredKeys }: PrunerOptions): Pruner {
  // Keyed by the first field node, which belongs to the parsed document (graphql-js builds a new
  // `fieldNodes` array for every execution, but its nodes are the document's own).
  const cache = new WeakMap<FieldNode, Map<Profile, Pruned>>();

  function planFor(typeName: string, fieldName: string, profile: Profile): FieldPlan {
    const required = requirement(typeName, fieldName);
    if (!required) return KEEP;
    if (profile.staticDenial(required)) return DROP;
    if (!required.policyClauses.length) return KEEP;
    const keys = deferredKeys(required);
    return { drop: keys !== undefined, parentFields: required.parentFields, keyFields: keys ?? [] };
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
      // Per object type: the fields to add, reserved (read by a policy) or plain (keys).
      const added = new Map<string, Map<string, boolean>>();
      const needs = (typeName: string, plan: FieldPlan) => {
        if (!plan.parentFields.length && !plan.keyFields.length) return;
        const fields = added.get(typeName) ?? new Map<string, boolean>();
        for (const field of plan.keyFields) if (!fields.has(field)) fields.set(field, false);
        for (const field of plan.parentFields) fields.set(field, true);
        added.set(typeName, fields);
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
            needs(type.name, plan);
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
            needs(t.name, plan);
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
      for (const [typeName, fields] of added) {
        // Reserved fields come with the plain one: graphql-tools takes an aliased field for the key it
        // merges by, and then finds no key on the object.
        const nodes = [...fields].flatMap(([field, reserved]) => (reserved ? [reservedField(field), plainField(field)] : [plainField(field)]));
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
      const { fieldNodes } = info;
      const first = fieldNodes[0];
      if (!first) return info;
      let byProfile = cache.get(first);
      if (!byProfile) cache.set(first, (byProfile = new Map()));
      let entry = byProfile.get(profile);
      if (!entry || !sameNodes(entry.source, fieldNodes)) {
        entry = { source: fieldNodes, pruned: pruneNodes(fieldNodes, info.returnType, info.fragments, profile) };
        byProfile.set(profile, entry);
      }
      return entry.pruned === entry.source ? info : { ...info, fieldNodes: entry.pruned };
    },
  };
}

function sameNodes(a: readonly FieldNode[], b: readonly FieldNode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
