import {
  getNamedType, isCompositeType, isInterfaceType, isObjectType, Kind, valueFromASTUntyped, visit, type DirectiveNode, type DocumentNode,
  type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
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

interface DocumentEntry {
  operations: Map<string, OperationDefinitionNode>;
  fragments: Map<string, FragmentDefinitionNode>;
  /** Variables that decide @skip/@include: their truthiness is part of the cache key. */
  conditionVariables: string[];
  analyses: Map<string, OperationAnalysis>;
}

export type Analyze = (document: DocumentNode, operationName: string | null | undefined, variables: Readonly<Record<string, unknown>> | null | undefined) => OperationAnalysis;

/**
 * Analyses are computed once per parsed document (yoga hands out the same DocumentNode for the same
 * text), operation and @skip/@include decision, so the per-request cost is a few map lookups.
 */
export function createAnalyzer(schema: GraphQLSchema, requirement: (typeName: string, fieldName: string) => Requirement | undefined): Analyze {
  const documents = new WeakMap<DocumentNode, DocumentEntry>();
  return (document, operationName, variables) => {
    const entry = entryFor(documents, document);
    const operation = operationName ? entry.operations.get(operationName) : entry.operations.size === 1 ? [...entry.operations.values()][0] : undefined;
    const defaults = new Map((operation?.variableDefinitions ?? []).map((d) => [d.variable.name.value, d.defaultValue ? valueFromASTUntyped(d.defaultValue) : undefined]));
    const valueOf = (name: string) => variables?.[name] ?? defaults.get(name);
    const key = `${operationName ?? ''}|${entry.conditionVariables.map((v) => (valueOf(v) ? 1 : 0)).join('')}`;
    let analysis = entry.analyses.get(key);
    if (!analysis) {
      analysis = analyze(schema, requirement, operation, entry.fragments, valueOf);
      entry.analyses.set(key, analysis);
    }
    return analysis;
  };
}

function entryFor(documents: WeakMap<DocumentNode, DocumentEntry>, document: DocumentNode): DocumentEntry {
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
  entry = { operations, fragments, conditionVariables: [...conditionVariables], analyses: new Map() };
  documents.set(document, entry);
  return entry;
}

function analyze(
  schema: GraphQLSchema, requirement: (typeName: string, fieldName: string) => Requirement | undefined, operation: OperationDefinitionNode | undefined,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>, valueOf: (name: string) => unknown,
): OperationAnalysis {
  const occurrences: Occurrence[] = [];
  let reservedAlias: FieldNode | undefined;
  const included = (directives: readonly DirectiveNode[] | undefined) =>
    (directives ?? []).every((d) => {
      if (d.name.value !== 'skip' && d.name.value !== 'include') return true;
      const arg = d.arguments?.find((a) => a.name.value === 'if');
      const value = !arg ? true : arg.value.kind === Kind.VARIABLE ? Boolean(valueOf(arg.value.name.value)) : Boolean(valueFromASTUntyped(arg.value));
      return d.name.value === 'skip' ? !value : value;
    });
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
