/**
 * One condition of a requirement. A field's requirement is the AND of every clause that applies to it
 * (from its own directives, its interfaces' fields, its type, the type it returns, the overlay).
 */
export type Clause =
  | { readonly kind: 'authenticated' }
  /** OR of ANDs: `[["a", "b"], ["c"]]` is (a and b) or c. */
  | { readonly kind: 'scopes'; readonly anyOf: ReadonlyArray<readonly string[]> }
  /** Any one of the roles. */
  | { readonly kind: 'roles'; readonly anyOf: readonly string[] }
  /** OR of ANDs of named policies: `@policy(name: "a")` is `[["a"]]`; Apollo's `@policy(policies:)` is the same shape. */
  | { readonly kind: 'policies'; readonly anyOf: ReadonlyArray<readonly string[]> };

export type StaticClause = Exclude<Clause, { kind: 'policies' }>;
export type PolicyClause = Extract<Clause, { kind: 'policies' }>;

/** What the viewer is, as far as static clauses can tell: the same for every viewer with these values. */
export interface Grants {
  readonly authenticated: boolean;
  readonly roles: ReadonlySet<string>;
  readonly scopes: ReadonlySet<string>;
}

/** Whether the viewer passes a clause that needs no data. */
export function passesStatic(clause: StaticClause, grants: Grants): boolean {
  switch (clause.kind) {
    case 'authenticated':
      return grants.authenticated;
    case 'roles':
      return clause.anyOf.some((role) => grants.roles.has(role));
    case 'scopes':
      return clause.anyOf.some((all) => all.every((scope) => grants.scopes.has(scope)));
  }
}

/** The clause as clients see it in `extensions.requirement`. */
export function requirementOf(clause: Clause): Record<string, unknown> {
  switch (clause.kind) {
    case 'authenticated':
      return { authenticated: true };
    case 'roles':
      return { roles: clause.anyOf };
    case 'scopes':
      return { scopes: clause.anyOf };
    case 'policies':
      return { policies: clause.anyOf };
  }
}

const quoted = (items: readonly string[]) => items.map((i) => `"${i}"`);
const anyOfGroups = (groups: ReadonlyArray<readonly string[]>, one: string, many: string) =>
  groups.length === 1
    ? `${groups[0]!.length === 1 ? one : many} ${quoted(groups[0]!).join(' and ')}`
    : `one of: ${groups.map((g) => quoted(g).join(' and ')).join('; ')} (${many})`;

/** "requires the role "admin"", for error messages. */
export function describeClause(clause: Clause): string {
  switch (clause.kind) {
    case 'authenticated':
      return 'requires an authenticated viewer';
    case 'roles':
      return `requires ${clause.anyOf.length === 1 ? 'the role' : 'one of the roles'} ${quoted(clause.anyOf).join(', ')}`;
    case 'scopes':
      return `requires ${anyOfGroups(clause.anyOf, 'the scope', 'the scopes')}`;
    case 'policies':
      return `requires ${anyOfGroups(clause.anyOf, 'the policy', 'the policies')}`;
  }
}

/** Stable identity for de-duplicating the same clause met through several sources. */
export function clauseKey(clause: Clause): string {
  return JSON.stringify(clause);
}
