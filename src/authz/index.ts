/**
 * Authorization: `@authenticated`, `@requiresScopes`, `@hasRole` and `@policy` (plus Apollo
 * Federation's `@authenticated`, `@requiresScopes` and `@policy(policies:)` in federation subgraphs),
 * enforced per field in the stitched schema. See README "Authorization".
 *
 * Integration points:
 * - `createAuthorization({ config: config.authz, logger })` -> `transform` for the graph manager's
 *   `schemaTransforms`, `plugins()` for the request pipeline (after validation, before execution),
 *   `subscribe(listener)` for denial events (telemetry: count them by `coordinate` and `code`).
 * - `authorizationPreflight(schema, document, operationName, variables, viewer, context)` for the query
 *   planner: call it before planning; plan only `allowed` operations and send `needs-checks` ones
 *   through the graphql-tools path, where denied fields never reach a service. Cached per document and
 *   viewer profile: a few map lookups, plus the policies of root fields.
 * - `plannerGates(schema)`: the planner's gates for policy-guarded fields below the root (required by
 *   `allowed`: build the planner of a guarded schema with them).
 */
export { createAuthorization, type Authorization, type AuthorizationOptions } from './create-authorization.js';
export { authorizeSchema, type AuthorizeSchemaOptions } from './authorize-schema.js';
export { authorizationPreflight } from './preflight.js';
export { plannerGates } from './planner-gates.js';
export { protectedFields } from './authz-model.js';
export { useAuthorization, type AuthorizationPluginOptions } from './use-authorization.js';
export { type AuthzEventListener, type DeniedEvent } from './authz-errors.js';
export {
  definePolicies, definePolicy, loadPolicies, type Policy, type PolicyCheck, type PolicyDefinition, type PolicyInput, type PolicyMap,
} from './policies.js';
export { RESERVED_ALIAS_PREFIX } from './evaluate-policies.js';
export type { Clause } from './clauses.js';
