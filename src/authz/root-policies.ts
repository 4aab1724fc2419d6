import { getArgumentValues, getVariableValues, isObjectType, type FieldNode, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../shared/gateway-context.js';
import type { Viewer } from '../shared/viewer.js';
import type { AuthzModel } from './authz-model.js';
import type { Clause } from './clauses.js';
import { failingPolicyClause } from './evaluate-policies.js';
import type { OperationAnalysis } from './operation-analysis.js';

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
 * Static denials are not included (see OperationAnalysis.verdict).
 */
export function rootPolicyDenials(model: AuthzModel, analysis: OperationAnalysis, request: RootPolicyRequest, viewer: Viewer): Denial[] | Promise<Denial[]> {
  const profile = model.profileFor(viewer);
  const rootPolicies = analysis.occurrences.filter((o) => o.requirement.root && o.requirement.policyClauses.length && !profile.staticDenial(o.requirement));
  if (!rootPolicies.length) return [];
  const denials: Denial[] = [];
  const coerced = getVariableValues(request.schema, analysis.operation?.variableDefinitions ?? [], (request.variableValues ?? {}) as Record<string, unknown>);
  // Bad variables fail execution with their own error; nothing would run.
  if (coerced.errors) return denials;
  const pending: Array<Promise<void>> = [];
  for (const { requirement, node } of rootPolicies) {
    const root = request.schema.getType(requirement.typeName);
    const field = isObjectType(root) ? root.getFields()[requirement.fieldName] : undefined;
    if (!field) continue;
    let fieldArgs: Record<string, unknown>;
    try {
      fieldArgs = getArgumentValues(field, node, coerced.coerced);
    } catch {
      continue;
    }
    const call = { viewer, args: fieldArgs, source: undefined, context: request.contextValue as GatewayContext };
    const failing = failingPolicyClause(requirement, model.policies, call, model.logger);
    const record = (clause: Clause | undefined) => void (clause && denials.push({ coordinate: requirement.coordinate, clause, node }));
    if (failing instanceof Promise) pending.push(failing.then(record));
    else record(failing);
  }
  // In document order whatever the policies' timing: sort by where each field is written.
  const ordered = () => denials.sort((a, b) => (a.node.loc?.start ?? 0) - (b.node.loc?.start ?? 0));
  return pending.length ? Promise.all(pending).then(ordered) : ordered();
}
