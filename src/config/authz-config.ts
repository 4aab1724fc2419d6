import { z } from 'zod';

/**
 * A named policy given in code: a function of `{ viewer, args, parent, coordinate, context }`, or
 * `{ parentFields, check }` when it reads fields of the parent object (see src/authz/policies.ts for
 * the types; `definePolicies` gives them to TypeScript).
 */
const policySchema = z.custom<unknown>(
  (value) =>
    typeof value === 'function' ||
    (typeof value === 'object' && value !== null && typeof (value as { check?: unknown }).check === 'function'),
  { error: 'a policy is a function, or { parentFields?: string[], check: function }' },
);

/** Authorization directives (src/authz): @authenticated, @requiresScopes, @hasRole, @policy. */
export const authzConfigSchema = z
  .strictObject({
    /**
     * Enforce the directives of the registry, the overlay and federation subgraphs. false serves every
     * field to everyone (for tests and benchmarks of other parts; never in production). @default true
     */
    enabled: z.boolean().default(true),
    /**
     * Named policies for `@policy(name:)`: a module path (relative to the config file; .ts or .js,
     * whose default export or `policies` export maps names to policies) or, in code, the map itself.
     * A policy the registry names but the configuration lacks denies every viewer (and
     * `junction check` reports it). @default {}
     */
    policies: z.union([z.string().min(1), z.record(z.string().regex(/^[A-Za-z][\w.:-]*$/, { error: 'policy names are letters, digits, _ . : -' }), policySchema)]).default({}),
    /**
     * Overlay SDL file with directives for services whose SDL a team cannot change (REST services,
     * third parties), written against the stitched graph: `extend type Query { order(id: ID!): Order @authenticated }`.
     * Relative to the config file. Re-read with every graph build (keep it in the registry folder to
     * have edits hot-reloaded).
     */
    overlay: z.string().min(1).optional(),
    /**
     * Reject the whole operation before execution when a field it requests is denied (instead of a
     * null and an error for that field): `mutations` (a mutation is never half-executed), `all`, or
     * `off`. @default "mutations"
     */
    strict: z.enum(['mutations', 'all', 'off']).default('mutations'),
    /**
     * Serve introspection (`__schema`, `__type`) to anonymous viewers. false also hides "Did you mean"
     * field suggestions from every error, so field names cannot be guessed that way. @default true
     */
    anonymousIntrospection: z.boolean().default(true),
  })
  .prefault({});

export type AuthzConfig = z.output<typeof authzConfigSchema>;
