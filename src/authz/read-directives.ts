import { Kind, type ConstDirectiveNode, type ConstValueNode, type DirectiveNode, type DocumentNode } from 'graphql';
import type { Clause } from './clauses.js';

/** The four directives, whatever a subgraph calls them locally. */
export type AuthzDirective = 'authenticated' | 'requiresScopes' | 'hasRole' | 'policy';

/** A directive found in an SDL, turned into a clause, with where it was written (for problems). */
export interface FoundClause {
  clause: Clause;
  node: DirectiveNode;
}

export interface DirectiveProblem {
  node: DirectiveNode;
  message: string;
}

const OURS: ReadonlyMap<string, AuthzDirective> = new Map([
  ['authenticated', 'authenticated'],
  ['requiresScopes', 'requiresScopes'],
  ['hasRole', 'hasRole'],
  ['policy', 'policy'],
]);
const APOLLO: readonly AuthzDirective[] = ['authenticated', 'requiresScopes', 'policy'];

/** Role names: what tokens carry in `roles` (no spaces; the identity header joins them with spaces). */
const ROLE = /^[A-Za-z0-9][\w.:-]{0,127}$/;
/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;
const POLICY = /^[A-Za-z][\w.:-]*$/;

/**
 * Local names of the authorization directives in one SDL. Registered (stitched) SDLs use ours as
 * they are. A federation subgraph gets Apollo's from its `@link` to the federation spec: imported ones
 * under their (possibly renamed) name, the others as `federation__authenticated`; `@hasRole` (not
 * Apollo's) when the subgraph defines it itself.
 */
export function directiveNamesFor(document: DocumentNode, federation: boolean): ReadonlyMap<string, AuthzDirective> {
  if (!federation) return OURS;
  const names = new Map<string, AuthzDirective>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const url = constString(argument(link, 'url'));
      if (!url || !/specs\.apollo\.dev\/federation\//.test(url)) continue;
      const prefix = constString(argument(link, 'as')) ?? 'federation';
      for (const name of APOLLO) names.set(`${prefix}__${name}`, name);
      const imports = argument(link, 'import');
      for (const item of imports?.kind === Kind.LIST ? imports.values : []) {
        const imported = item.kind === Kind.STRING ? { name: item.value, as: item.value } : importObject(item);
        const name = imported?.name.replace(/^@/, '') as AuthzDirective | undefined;
        if (imported && name && APOLLO.includes(name)) names.set(imported.as.replace(/^@/, ''), name);
      }
    }
  }
  const defined = new Set(document.definitions.flatMap((d) => (d.kind === Kind.DIRECTIVE_DEFINITION ? [d.name.value] : [])));
  for (const [name, canonical] of OURS) if (defined.has(name) && !names.has(name)) names.set(name, canonical);
  return names;
}

/** Clauses of the authorization directives among `directives`, and the problems of malformed ones. */
export function readClauses(
  directives: readonly DirectiveNode[] | undefined, names: ReadonlyMap<string, AuthzDirective>, where: string,
): { found: FoundClause[]; problems: DirectiveProblem[] } {
  const found: FoundClause[] = [];
  const problems: DirectiveProblem[] = [];
  for (const node of directives ?? []) {
    const directive = names.get(node.name.value);
    if (!directive) continue;
    const problem = (message: string) => problems.push({ node, message: `@${node.name.value} on ${where}: ${message}` });
    if (directive === 'authenticated') {
      found.push({ clause: { kind: 'authenticated' }, node });
    } else if (directive === 'hasRole') {
      const roles = stringList(argument(node, 'roles'), 'roles', problem);
      const bad = roles?.filter((r) => !ROLE.test(r)) ?? [];
      for (const role of bad) problem(`role ${JSON.stringify(role)} is not a role name (letters, digits, _ . : -, starting with a letter or digit)`);
      if (roles && !roles.length) problem('roles is empty, so nobody could pass');
      if (roles?.length && !bad.length) found.push({ clause: { kind: 'roles', anyOf: roles }, node });
    } else if (directive === 'requiresScopes') {
      const groups = nestedStrings(argument(node, 'scopes'), 'scopes', problem);
      const bad = groups?.flat().filter((s) => !SCOPE.test(s)) ?? [];
      for (const scope of bad) problem(`scope ${JSON.stringify(scope)} is not a scope token (no spaces, quotes or backslashes)`);
      if (groups && !bad.length) found.push({ clause: { kind: 'scopes', anyOf: groups }, node });
    } else {
      const name = argument(node, 'name');
      const groups = name ? stringList(name, 'name', problem)?.map((n) => [n]) : nestedStrings(argument(node, 'policies'), 'policies', problem);
      const bad = groups?.flat().filter((p) => !POLICY.test(p)) ?? [];
      for (const policy of bad) problem(`policy name ${JSON.stringify(policy)} is not a policy name`);
      if (name && name.kind === Kind.LIST) problem('name takes one policy name; repeat @policy for several');
      else if (groups && !bad.length) found.push({ clause: { kind: 'policies', anyOf: groups }, node });
    }
  }
  return { found, problems };
}

function argument(node: DirectiveNode, name: string): ConstValueNode | undefined {
  return (node as ConstDirectiveNode).arguments?.find((a) => a.name.value === name)?.value;
}

function constString(value: ConstValueNode | undefined): string | undefined {
  return value?.kind === Kind.STRING ? value.value : undefined;
}

function importObject(value: ConstValueNode): { name: string; as: string } | undefined {
  if (value.kind !== Kind.OBJECT) return undefined;
  const field = (name: string) => constString(value.fields.find((f) => f.name.value === name)?.value);
  const name = field('name');
  return name ? { name, as: field('as') ?? name } : undefined;
}

/** `["a", "b"]` (a single string is a one-item list, as GraphQL coerces it). */
function stringList(value: ConstValueNode | undefined, arg: string, problem: (m: string) => void): string[] | undefined {
  if (!value) return problem(`${arg} is required`), undefined;
  const items = value.kind === Kind.LIST ? value.values : [value];
  if (items.some((i) => i.kind !== Kind.STRING)) return problem(`${arg} must be strings, got ${describeValue(value)}`), undefined;
  return items.map((i) => (i as { value: string }).value);
}

/**
 * `[["a", "b"], ["c"]]`. A flat `["a", "b"]` is refused although GraphQL would coerce it to
 * `[["a"], ["b"]]` (a OR b): written flat, it is too easily meant as a AND b.
 */
function nestedStrings(value: ConstValueNode | undefined, arg: string, problem: (m: string) => void): string[][] | undefined {
  if (!value) return problem(`${arg} is required`), undefined;
  if (value.kind !== Kind.LIST) return problem(`${arg} must be a list of lists of strings, e.g. [["a", "b"], ["c"]] (a and b, or c), got ${describeValue(value)}`), undefined;
  if (value.values.length === 0) return problem(`${arg} is empty, so nobody could pass`), undefined;
  if (value.values.every((v) => v.kind === Kind.STRING)) {
    return problem(`${arg} is a flat list: write [[${value.values.map(describeValue).join(', ')}]] to require all of them, or [${value.values.map((v) => `[${describeValue(v)}]`).join(', ')}] for any one`), undefined;
  }
  const groups: string[][] = [];
  for (const group of value.values) {
    if (group.kind !== Kind.LIST || group.values.some((v) => v.kind !== Kind.STRING)) return problem(`${arg} must be strings, got ${describeValue(group)}`), undefined;
    if (group.values.length === 0) return problem(`${arg} has an empty list, which everyone would pass: remove the directive instead`), undefined;
    groups.push(group.values.map((v) => (v as { value: string }).value));
  }
  return groups;
}

function describeValue(value: ConstValueNode): string {
  switch (value.kind) {
    case Kind.STRING:
      return JSON.stringify(value.value);
    case Kind.LIST:
      return `[${value.values.map(describeValue).join(', ')}]`;
    case Kind.INT:
    case Kind.FLOAT:
    case Kind.ENUM:
      return value.value;
    case Kind.BOOLEAN:
      return String(value.value);
    case Kind.NULL:
      return 'null';
    case Kind.OBJECT:
      return '{...}';
  }
}
