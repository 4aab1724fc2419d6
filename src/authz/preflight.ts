import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Viewer } from '../shared/viewer.js';
import { modelOf } from './authz-model.js';
import { rootPolicyDenials } from './root-policy-denials.js';

/**
 * For the query planner, which fetches before anything resolves: may this operation run on the
 * planner for this viewer?
 *
 * - `allowed`: no field the operation may request fails its static checks (@authenticated,
 *   @requiresScopes, @hasRole) for this viewer, and every root field guarded by a policy is allowed
 *   with its arguments (root policies read no parent, so they are decided now).
 * - `gated`: the same, and the operation also requests policy-guarded fields below the root: only
 *   a planner built with the schema's gates (plannerGates) may run it, fetching those fields only
 *   for the objects their policies allow.
 * - `needs-checks`: some field is denied, a root policy refuses (or cannot be decided, or is
 *   asynchronous): send the operation through the graphql-tools path, where denied fields are
 *   pruned from upstream requests and reported as usual.
 *
 * A schema authorizeSchema left untouched (no directives anywhere) is always `allowed`. The static
 * part is cached per parsed document, operation, @skip/@include decision and viewer profile
 * (authenticated, roles, scopes), so on the hot path it costs a few map lookups plus the root policies.
 */
export function authorizationPreflight(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  viewer: Viewer,
  context?: unknown,
): 'allowed' | 'gated' | 'needs-checks' {
  const model = modelOf(schema);
  if (!model) return 'allowed';
  const analysis = model.analyze(document, operationName, variables);
  if (!analysis.operation || analysis.reservedAlias) return 'needs-checks';
  const verdict = analysis.verdict(model.profileFor(viewer));
  if (verdict.denials.length) return 'needs-checks';
  if (!verdict.policies) return 'allowed';
  const roots = rootPolicyDenials(model, analysis, { schema, variableValues: variables, contextValue: context }, viewer, 'deny');
  // An asynchronous root policy cannot be waited for here (it never rejects: failures deny); graphql-tools decides again.
  if (roots instanceof Promise) return 'needs-checks';
  if (roots.length) return 'needs-checks';
  return analysis.policiesBelowRoot ? 'gated' : 'allowed';
}
