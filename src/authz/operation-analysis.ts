import {
  getNamedType, isCompositeType, isInterfaceType, isObjectType, Kind, type DirectiveNode, type DocumentNode,
  type FieldNode, type GraphQLCompositeType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { operationVariant, type OperationVariant } from '../shared/operation-variant.js';
import type { StaticClause } from './clauses.js';
import { RESERVED_ALIAS_PREFIX } from './evaluate-policies.js';
import type { Profile } from './profiles.js';
import type { Requirement } from './requirements.js';

/** A protected field an operation may request. */
export interface Occurrence {
  requirement: Requirement;
  node: FieldNode;
}

/** What one operation (with one set of @skip/@include decisions) asks of authorization. */
export interface OperationAnalysis {
  operation: OperationDefinitionNode | undefined;
  /** Protected fields it may request; on interfaces, every implementation counts (an over-approximation). */
  occurrences: readonly Occurrence[];
  /** The occurrences of root fields guarded by a policy (decided before execution, with their arguments). */
  rootPolicies: readonly Occurrence[];
  /** Some field below the root is guarded by a policy (decided per object). */
  policiesBelowRoot: boolean;
  /** A client alias using the gateway's reserved prefix, if any. */
  reservedAlias: FieldNode | undefined;
  /** Static decisions per profile (cached). */
  verdict(profile: Profile): Verdict;
}

export interface Verdict {
  /** Fields the profile's token fails, with the clause it fails. */
  denials: ReadonlyArray<{ occurrence: Occurrence; clause: StaticClause }>;
  /** Some requested field depends on a policy (decided per object, at execution). */
  policies: boolean;
}

export type Analyze = (document: DocumentNode, operationName: string | null | undefined, variables: Readonly<Record<string, unknown>> | null | undefined) => OperationAnalysis;

/**
 * Analyses are computed once per parsed document (yoga hands out the same DocumentNode for the same
 * text), operation and @skip/@include decision, so the per-request cost is a few map lookups.
 */
export function createAnalyzer(schema: GraphQLSchema, requirement: (typeName: string, fieldName: string) => Requirement | undefined): Analyze {
  // Per document: analyses by operation variant (operation name and @skip/@include decisions).
  const documents = new WeakMap<DocumentNode, Map<string, OperationAnalysis>>();
  return (document, operationName, variables) => {
    const variant = operationVariant(document, operationName, variables);
    let analyses = documents.get(document);
    if (!analyses) documents.set(document, (analyses = new Map()));
    let analysis = analyses.get(variant.key);
    if (!analysis) {
      analysis = analyze(schema, requirement, variant);
      analyses.set(variant.key, analysis);
    }
    return analysis;
  };
}

function analyze(
  schema: GraphQLSchema, requirement: (typeName: string, fieldName: string) => Requirement | undefined, { operation, fragments, keeps }: OperationVariant,
): OperationAnalysis {
  const occurrences: Occurrence[] = [];
  let reservedAlias: FieldNode | undefined;
  const included = (directives: readonly DirectiveNode[] | undefined) => (directives ?? []).every(keeps);
  // Each selection set is walked once per type: fragments spread many times cost nothing more.
  const visited = new Map<SelectionSetNode, Set<string>>();
  const walk = (set: SelectionSetNode, type: GraphQLCompositeType) => {
    const seen = visited.get(set) ?? new Set<string>();
    if (seen.has(type.name)) return;
    seen.add(type.name);
    visited.set(set, seen);
    for (const selection of set.selections) {
      if (!included(selection.directives)) continue;
      if (selection.kind === Kind.FIELD) {
        if (selection.alias?.value.startsWith(RESERVED_ALIAS_PREFIX)) reservedAlias ??= selection;
        const name = selection.name.value;
        if (name.startsWith('__') || (!isObjectType(type) && !isInterfaceType(type))) continue;
        for (const candidate of isObjectType(type) ? [type] : schema.getPossibleTypes(type)) {
          const required = requirement(candidate.name, name);
          if (required) occurrences.push({ requirement: required, node: selection });
        }
        const fieldType = type.getFields()[name]?.type;
        const named = fieldType && getNamedType(fieldType);
        if (selection.selectionSet && named && isCompositeType(named)) walk(selection.selectionSet, named);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (condition && isCompositeType(condition)) walk(selection.selectionSet, condition);
      } else {
        const fragment = fragments.get(selection.name.value);
        const condition = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && condition && isCompositeType(condition)) walk(fragment.selectionSet, condition);
      }
    }
  };
  const root = operation?.operation === 'mutation' ? schema.getMutationType() : operation?.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (operation && root) walk(operation.selectionSet, root);

  const verdicts = new Map<Profile, Verdict>();
  return {
    operation,
    occurrences,
    rootPolicies: occurrences.filter((o) => o.requirement.root && o.requirement.policyClauses.length),
    policiesBelowRoot: occurrences.some((o) => !o.requirement.root && o.requirement.policyClauses.length),
    reservedAlias,
    verdict(profile) {
      let verdict = verdicts.get(profile);
      if (!verdict) {
        const denials: Array<{ occurrence: Occurrence; clause: StaticClause }> = [];
        let policies = false;
        for (const occurrence of occurrences) {
          const clause = profile.staticDenial(occurrence.requirement);
          if (clause) denials.push({ occurrence, clause });
          else if (occurrence.requirement.policyClauses.length) policies = true;
        }
        verdict = { denials, policies };
        verdicts.set(profile, verdict);
      }
      return verdict;
    },
  };
}
