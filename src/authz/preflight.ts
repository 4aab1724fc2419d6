import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Viewer } from '../shared/viewer.js';
import { modelOf } from './authz-model.js';

/**
 * For engines that fetch everything before resolvers run (the query planner): can this operation be
 * executed for this viewer without any authorization work at all?
 *
 * - `allowed`: every field the operation may request passes its static checks (@authenticated,
 *   @requiresScopes, @hasRole) for this viewer and none depends on a @policy. The planner may fetch
 *   the whole operation: nothing it fetches is denied.
 * - `needs-checks`: some field is denied or needs a policy (which reads the fetched parent): send the
 *   operation through the graphql-tools path, where denied fields are pruned from upstream requests
 *   and policy-guarded fields are fetched only once their policy allowed them.
 *
 * A schema authorizeSchema left untouched (no directives anywhere) is always `allowed`. The answer is
 * cached per parsed document, operation, @skip/@include decision and viewer profile (authenticated,
 * roles, scopes), so on the hot path it costs a few map lookups.
 */
export function authorizationPreflight(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  viewer: Viewer,
): 'allowed' | 'needs-checks' {
  const model = modelOf(schema);
  if (!model) return 'allowed';
  const analysis = model.analyze(document, operationName, variables);
  if (!analysis.operation || analysis.reservedAlias) return 'needs-checks';
  const verdict = analysis.verdict(model.profileFor(viewer));
  return verdict.denials.length || verdict.policies ? 'needs-checks' : 'allowed';
}
