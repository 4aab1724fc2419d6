import type { GraphQLSchema } from 'graphql';
import type { FieldGate, FieldGates } from '../planner/index.js';
import type { GatewayContext } from '../shared/gateway-context.js';
import { ANONYMOUS_VIEWER } from '../shared/viewer.js';
import { modelOf, type AuthzModel } from './authz-model.js';
import type { Clause } from './clauses.js';
import { failingPolicyClause, RESERVED_ALIAS_PREFIX } from './evaluate-policies.js';
import type { Requirement } from './requirements.js';

/**
 * For the query planner: the policy-guarded fields below the root of a guarded schema, as gates. The
 * planner fetches each such field only for the objects its policies allow, with the parent fields
 * the policies read fetched under the reserved aliases (as the graphql-tools path does). Root fields
 * and static clauses are not gates: authorizationPreflight decides them before the plan runs and
 * sends operations with a denial to graphql-tools. Undefined for a schema without directives.
 */
export function plannerGates(schema: GraphQLSchema): FieldGates | undefined {
  const model = modelOf(schema);
  if (!model) return undefined;
  const gates = new Map<Requirement, FieldGate>();
  return {
    gateFor(typeName, fieldName) {
      const requirement = model.requirement(typeName, fieldName);
      if (!requirement || requirement.root || !requirement.policyClauses.length) return undefined;
      let gate = gates.get(requirement);
      if (!gate) gates.set(requirement, (gate = policyGate(model, requirement)));
      return gate;
    },
  };
}

function policyGate(model: AuthzModel, requirement: Requirement): FieldGate {
  const { coordinate } = requirement;
  const parentFields = requirement.parentFields.map((fieldName) => ({ responseKey: `${RESERVED_ALIAS_PREFIX}${fieldName}`, fieldName }));
  return {
    parentFields,
    check(source, args, context) {
      const viewer = (context as Partial<GatewayContext> | undefined)?.viewer ?? ANONYMOUS_VIEWER;
      // The preflight admitted the operation on the static clauses; checked again, as they cost a lookup.
      const denied = model.profileFor(viewer).staticDenial(requirement);
      if (denied) return model.deny(coordinate, denied, viewer, 'field');
      // A parent field that did not arrive (its fetch failed) is not a value a policy may compare:
      // `parent.ownerId === viewer.subject` would be `undefined === undefined` for anonymous viewers.
      if (parentFields.some(({ responseKey }) => source[responseKey] === undefined)) return model.deny(coordinate, requirement.policyClauses[0]!, viewer, 'field');
      const failing = failingPolicyClause(requirement, model.policies, { viewer, args, source, context: context as GatewayContext }, model.logger);
      const decide = (clause: Clause | undefined) => (clause ? model.deny(coordinate, clause, viewer, 'field') : undefined);
      return failing instanceof Promise ? failing.then(decide) : decide(failing);
    },
  };
}
