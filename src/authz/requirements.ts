import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import type { Problem } from '../shared/errors.js';
import { clauseKey, type Clause, type PolicyClause, type StaticClause } from './clauses.js';
import type { RuleEntry, Rules } from './collect-rules.js';
import type { Policy } from './policies.js';

/** Everything a viewer needs to read one field: the AND of its clauses. Precomputed per graph. */
export interface Requirement {
  /** "Type.field". */
  readonly coordinate: string;
  readonly typeName: string;
  readonly fieldName: string;
  readonly root: boolean;
  /** Clauses decided by the viewer's token alone, cheapest first. */
  readonly staticClauses: readonly StaticClause[];
  /** Clauses naming policies: decided per object, with its arguments and parent. */
  readonly policyClauses: readonly PolicyClause[];
  /** Parent fields the policies read (fetched for them under reserved aliases). */
  readonly parentFields: readonly string[];
}

export interface RequirementsResult {
  requirements: Map<string, Requirement>;
  /** Problems that make the graph invalid. */
  problems: Problem[];
  /** Policies named by directives but not configured: such fields are denied to everyone. */
  unknownPolicies: Problem[];
}

const ORDER: Record<Clause['kind'], number> = { authenticated: 0, roles: 1, scopes: 2, policies: 3 };

/**
 * The requirement of every object field of the graph: its own clauses, those of the interface fields
 * it implements, and the type-level clauses of the type it returns.
 */
export function buildRequirements(schema: GraphQLSchema, rules: Rules, policies: ReadonlyMap<string, Policy>): RequirementsResult {
  const requirements = new Map<string, Requirement>();
  const problems: Problem[] = [...rules.problems];
  const unknownPolicies: Problem[] = [];
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((t) => (t ? [t.name] : [])));
  const where = (entry: RuleEntry) => ({ file: entry.file, line: entry.node.loc?.startToken.line, column: entry.node.loc?.startToken.column });
  const checkedPolicyUses = new Set<RuleEntry>();

  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const root = roots.has(type.name);
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const entries = [
        ...(rules.fields.get(coordinate) ?? []),
        ...type.getInterfaces().flatMap((i) => (i.getFields()[field.name] ? (rules.fields.get(`${i.name}.${field.name}`) ?? []) : [])),
        ...(rules.returns.get(getNamedType(field.type).name) ?? []),
      ];
      if (!entries.length) continue;
      const unique = new Map<string, Clause>();
      const parentFields = new Set<string>();
      for (const entry of entries) {
        unique.set(clauseKey(entry.clause), entry.clause);
        if (entry.clause.kind !== 'policies') continue;
        for (const name of entry.clause.anyOf.flat()) {
          const policy = policies.get(name);
          if (!policy) {
            if (!checkedPolicyUses.has(entry)) unknownPolicies.push({ ...where(entry), message: `@policy: unknown policy "${name}" (${policies.size ? `configured: ${[...policies.keys()].join(', ')}` : 'no policies are configured: set authz.policies'})` });
            continue;
          }
          for (const parentField of policy.parentFields) {
            parentFields.add(parentField);
            if (checkedPolicyUses.has(entry)) continue;
            const reads = `the policy reads parent fields (${policy.parentFields.join(', ')})`;
            if (entry.typeLevel && !roots.has(entry.target)) problems.push({ ...where(entry), message: `@policy(${name}) on type ${entry.target}: ${reads}, so put it on fields: on a type it also guards the fields returning the type, whose parents are other types` });
            else if (root) problems.push({ ...where(entry), message: `@policy(${name}) on ${entry.target}: ${reads}, but root fields (${coordinate}) have no parent` });
            else if (!type.getFields()[parentField]) problems.push({ ...where(entry), message: `@policy(${name}) on ${coordinate}: the policy reads parent field "${parentField}", but ${type.name} has no such field` });
          }
        }
        checkedPolicyUses.add(entry);
      }
      const clauses = [...unique.values()].sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
      requirements.set(coordinate, {
        coordinate,
        typeName: type.name,
        fieldName: field.name,
        root,
        staticClauses: clauses.filter((c): c is StaticClause => c.kind !== 'policies'),
        policyClauses: clauses.filter((c): c is PolicyClause => c.kind === 'policies'),
        parentFields: root ? [] : [...parentFields].filter((f) => type.getFields()[f]),
      });
    }
  }
  return { requirements, problems: dedupe(problems), unknownPolicies: dedupe(unknownPolicies) };
}

/** Without repeats (a directive on a type is met once per field), in file and line order. */
export function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  const sorted = [...problems].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return sorted.filter((p) => {
    const key = `${p.file}:${p.line}:${p.column}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
