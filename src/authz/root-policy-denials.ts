import { getArgumentValues, getVariableValues, isObjectType, type FieldNode, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../shared/gateway-context.js';
import type { Viewer } from '../shared/viewer.js';
import type { AuthzModel } from './authz-model.js';
import type { Clause } from './clauses.js';
import { failingPolicyClause } from './evaluate-policies.js';
import type { OperationAnalysis } from './operation-analysis.js';
import { rootPolicyVerdict } from './root-policy-memo.js';

export interface Denial {
  coordinate: string;
  clause: Clause;
  node: FieldNode;
}

export interface RootPolicyRequest {
  schema: GraphQLSchema;
  variableValues?: Readonly<Record<string, unknown>> | null;
  contextValue?: unknown;
}

/**
 * Root fields whose policies refuse their arguments: decidable before execution, as root policies
 * read no parent. Synchronous unless a policy is asynchronous; in document order either way.
 * Static denials are not included (see OperationAnalysis.verdict). A policy whose arguments cannot
 * be computed (bad variables) is skipped with `undecidable: "skip"` (the field's resolver decides
 * later) and counted as a denial with `"deny"` (nothing else will decide it).
 */
export function rootPolicyDenials(
  model: AuthzModel, analysis: OperationAnalysis, request: RootPolicyRequest, viewer: Viewer, undecidable: 'skip' | 'deny' = 'skip',
): Denial[] | Promise<Denial[]> {
  if (!analysis.rootPolicies.length) return [];
  const profile = model.profileFor(viewer);
  const rootPolicies = analysis.rootPolicies.filter((o) => !profile.staticDenial(o.requirement));
  if (!rootPolicies.length) return [];
  const denials: Denial[] = [];
  const undecided = ({ requirement, node }: (typeof rootPolicies)[number]) =>
    void (undecidable === 'deny' && denials.push({ coordinate: requirement.coordinate, clause: requirement.policyClauses[0]!, node }));
  const coerced = getVariableValues(request.schema, analysis.operation?.variableDefinitions ?? [], (request.variableValues ?? {}) as Record<string, unknown>);
  // Bad variables fail execution with their own error; nothing would run.
  if (coerced.errors) {
    rootPolicies.forEach(undecided);
    return denials;
  }
  const pending: Array<Promise<void>> = [];
  for (const occurrence of rootPolicies) {
    const { requirement, node } = occurrence;
    const root = request.schema.getType(requirement.typeName);
    const field = isObjectType(root) ? root.getFields()[requirement.fieldName] : undefined;
    let fieldArgs: Record<string, unknown>;
    try {
      if (!field) throw new Error(`no field ${requirement.coordinate}`);
      fieldArgs = getArgumentValues(field, node, coerced.coerced);
    } catch {
      undecided(occurrence);
      continue;
    }
    const call = { viewer, args: fieldArgs, source: undefined, context: request.contextValue as GatewayContext };
    const failing = rootPolicyVerdict(request.contextValue, node, () => failingPolicyClause(requirement, model.policies, call, model.logger));
    const record = (clause: Clause | undefined) => void (clause && denials.push({ coordinate: requirement.coordinate, clause, node }));
    if (failing instanceof Promise) pending.push(failing.then(record));
    else record(failing);
  }
  // In document order whatever the policies' timing: sort by where each field is written.
  const ordered = () => denials.sort((a, b) => (a.node.loc?.start ?? 0) - (b.node.loc?.start ?? 0));
  return pending.length ? Promise.all(pending).then(ordered) : ordered();
}
