import {
  isAbstractType, Kind, print, type ArgumentNode, type DirectiveNode, type FieldNode, type FragmentDefinitionNode,
  type GraphQLObjectType, type GraphQLSchema, type SelectionSetNode, type ValueNode,
} from 'graphql';
import { UnsupportedOperation } from './unsupported.js';

/** One response key of a selection on a concrete type, merged across fragments. */
export interface CollectedField {
  responseKey: string;
  name: string;
  /** Printed argument list, e.g. `(first:$n)`, or ''. */
  args: string;
  /** Client variables the arguments use. */
  variables: string[];
  /** Every occurrence, for their sub-selections. */
  nodes: FieldNode[];
}

export interface CollectContext {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** Decides @skip/@include; part of the plan cache key. */
  conditions: (directive: DirectiveNode) => boolean;
}

/** graphql-js' CollectFields for one concrete type, with fragments inlined and @skip/@include applied. */
export function collectFields(ctx: CollectContext, type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[]): Map<string, CollectedField> {
  const out = new Map<string, CollectedField>();
  const visited = new Set<string>();
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (!included(ctx, selection.directives)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const existing = out.get(key);
        if (existing) existing.nodes.push(selection);
        else out.set(key, { responseKey: key, name: selection.name.value, ...printArgs(selection.arguments), nodes: [selection] });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!selection.typeCondition || applies(ctx.schema, selection.typeCondition.name.value, type)) visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const fragment = ctx.fragments.get(name);
        if (fragment && applies(ctx.schema, fragment.typeCondition.name.value, type)) visit(fragment.selectionSet);
      }
    }
  };
  for (const selectionSet of selectionSets) visit(selectionSet);
  return out;
}

/** Sub-selections of every occurrence of a field. */
export function subSelections(field: CollectedField): SelectionSetNode[] {
  return field.nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
}

function included(ctx: CollectContext, directives: readonly DirectiveNode[] | undefined): boolean {
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name === 'skip' || name === 'include') {
      if (!ctx.conditions(directive)) return false;
    } else {
      throw new UnsupportedOperation(`directive @${name} in an operation`);
    }
  }
  return true;
}

function applies(schema: GraphQLSchema, condition: string, type: GraphQLObjectType): boolean {
  if (condition === type.name) return true;
  const conditionType = schema.getType(condition);
  return conditionType !== undefined && isAbstractType(conditionType) && schema.isSubType(conditionType, type);
}

function printArgs(args: readonly ArgumentNode[] | undefined): { args: string; variables: string[] } {
  if (!args || args.length === 0) return { args: '', variables: [] };
  const variables: string[] = [];
  for (const arg of args) collectVariables(arg.value, variables);
  return { args: `(${args.map((a) => print(a)).join(',')})`, variables };
}

export function collectVariables(value: ValueNode, into: string[]): void {
  if (value.kind === Kind.VARIABLE) into.push(value.name.value);
  else if (value.kind === Kind.LIST) for (const v of value.values) collectVariables(v, into);
  else if (value.kind === Kind.OBJECT) for (const f of value.fields) collectVariables(f.value, into);
}
