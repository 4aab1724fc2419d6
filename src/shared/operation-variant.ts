import {
  Kind, valueFromASTUntyped, visit, type DirectiveNode, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode,
} from 'graphql';

/**
 * One operation of a parsed document with one set of @skip/@include decisions: what per-document
 * caches (authorization's analyses, the query planner's plans) are keyed by. yoga hands out the same
 * DocumentNode for the same query text, so the document is indexed once and each request pays for a
 * key of a few characters.
 */
export interface OperationVariant {
  /** The operation the request names, or its only one; undefined when there is none such. */
  operation: OperationDefinitionNode | undefined;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** Operation name and the truthiness of every variable @skip/@include read: equal keys, equal selections. */
  key: string;
  /** Whether one @skip/@include directive keeps its selection (other directives keep it). */
  keeps(directive: DirectiveNode): boolean;
}

interface DocumentIndex {
  operations: Map<string, OperationDefinitionNode>;
  fragments: Map<string, FragmentDefinitionNode>;
  /** Variables that decide @skip/@include. */
  conditionVariables: string[];
}

const indexes = new WeakMap<DocumentNode, DocumentIndex>();

export function operationVariant(
  document: DocumentNode, operationName: string | null | undefined, variables: Readonly<Record<string, unknown>> | null | undefined,
): OperationVariant {
  const index = indexOf(document);
  const operation = operationName ? index.operations.get(operationName) : index.operations.size === 1 ? [...index.operations.values()][0] : undefined;
  const defaults = new Map((operation?.variableDefinitions ?? []).map((d) => [d.variable.name.value, d.defaultValue ? valueFromASTUntyped(d.defaultValue) : undefined]));
  const valueOf = (name: string) => variables?.[name] ?? defaults.get(name);
  return {
    operation,
    fragments: index.fragments,
    key: `${operationName ?? ''}|${index.conditionVariables.map((v) => (valueOf(v) ? 1 : 0)).join('')}`,
    keeps(directive) {
      const name = directive.name.value;
      if (name !== 'skip' && name !== 'include') return true;
      const arg = directive.arguments?.find((a) => a.name.value === 'if');
      const value = !arg ? true : arg.value.kind === Kind.VARIABLE ? Boolean(valueOf(arg.value.name.value)) : Boolean(valueFromASTUntyped(arg.value));
      return name === 'skip' ? !value : value;
    },
  };
}

function indexOf(document: DocumentNode): DocumentIndex {
  let index = indexes.get(document);
  if (index) return index;
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
  index = { operations, fragments, conditionVariables: [...conditionVariables] };
  indexes.set(document, index);
  return index;
}
