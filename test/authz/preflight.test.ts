import { buildSchema, parse, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { authorizationPreflight, authorizeSchema, loadPolicies, plannerGates } from '../../src/authz/index.js';
import type { ServiceDefinition } from '../../src/registry/index.js';
import { authorizationDirectiveTypeDefs } from '../../src/registry/index.js';
import { ANONYMOUS_VIEWER, type Viewer } from '../../src/shared/viewer.js';
import { createLogger } from '../../src/telemetry/index.js';
import { modelOf } from '../../src/authz/authz-model.js';

const SDL = /* GraphQL */ `
  type User { id: ID! name: String! email: String @authenticated notes: String @policy(name: "self") }
  type Query {
    me: User users: [User!]! secret: String @hasRole(roles: ["admin"])
    mine(owner: ID!): String @policy(name: "ownerArg")
    later: String @policy(name: "asynchronous")
  }
`;

async function guarded(sdl: string): Promise<{ input: GraphQLSchema; schema: GraphQLSchema }> {
  const input = buildSchema(`${authorizationDirectiveTypeDefs}\n${sdl}`);
  const service = { name: 'svc', kind: 'graphql', schemaFile: 'svc/schema.graphql', sdl, typeDefs: parse(sdl) } as unknown as ServiceDefinition;
  const policies = await loadPolicies({
    self: { parentFields: ['id'], check: () => true },
    ownerArg: ({ viewer, args }) => viewer.subject === args['owner'],
    asynchronous: async () => true,
  });
  const schema = authorizeSchema(input, [service], { policies, logger: createLogger({ level: 'silent' }), emit: () => undefined });
  return { input, schema };
}

const signedIn = (roles: string[] = []): Viewer => Object.freeze({ authenticated: true, subject: '1', roles, scopes: [] });

describe('authorizationPreflight (for the query planner)', () => {
  it('a schema without directives is returned as it was given, and every operation is allowed', async () => {
    const { input, schema } = await guarded('type Query { a: String }');
    expect(schema).toBe(input);
    expect(authorizationPreflight(schema, parse('{ a }'), undefined, undefined, ANONYMOUS_VIEWER)).toBe('allowed');
  });

  it.each([
    ['public fields only', '{ users { id name } }', ANONYMOUS_VIEWER, 'allowed'],
    ['a field the viewer passes statically', '{ users { email } }', signedIn(), 'allowed'],
    ['a field the viewer fails', '{ users { email } }', ANONYMOUS_VIEWER, 'needs-checks'],
    ['a role-guarded root field, admin', '{ secret }', signedIn(['admin']), 'allowed'],
    ['a role-guarded root field, no admin', '{ secret }', signedIn(), 'needs-checks'],
    ['a @policy field below the root: only for a planner with gates', '{ me { notes } }', signedIn(['admin']), 'gated'],
    ['a denied field inside a fragment', '{ me { ...F } } fragment F on User { email }', ANONYMOUS_VIEWER, 'needs-checks'],
    ['a root policy allowing these arguments', '{ mine(owner: "1") }', signedIn(), 'allowed'],
    ['a root policy refusing these arguments', '{ mine(owner: "2") }', signedIn(), 'needs-checks'],
    ['an asynchronous root policy (cannot be awaited before planning)', '{ later }', signedIn(), 'needs-checks'],
    ['the reserved alias prefix', '{ me { _junction_authz_id: id } }', signedIn(), 'needs-checks'],
  ])('%s: %s', async (_name, query, viewer, expected) => {
    const { schema } = await guarded(SDL);
    expect(authorizationPreflight(schema, parse(query), undefined, undefined, viewer)).toBe(expected);
  });

  it('honours @skip/@include with the variables of the request, and picks the named operation', async () => {
    const { schema } = await guarded(SDL);
    const document = parse('query A($e: Boolean!) { users { name email @include(if: $e) } } query B { users { name } }');
    expect(authorizationPreflight(schema, document, 'A', { e: false }, ANONYMOUS_VIEWER)).toBe('allowed');
    expect(authorizationPreflight(schema, document, 'A', { e: true }, ANONYMOUS_VIEWER)).toBe('needs-checks');
    expect(authorizationPreflight(schema, document, 'B', {}, ANONYMOUS_VIEWER)).toBe('allowed');
    const byVariable = parse('query($o: ID!) { mine(owner: $o) }');
    expect(authorizationPreflight(schema, byVariable, undefined, { o: '1' }, signedIn())).toBe('allowed');
    expect(authorizationPreflight(schema, byVariable, undefined, { o: '2' }, signedIn())).toBe('needs-checks');
    // An explicit null for a non-null argument: the policy cannot be asked, so the planner may not run it.
    const nullable = parse('query($o: ID = "1") { mine(owner: $o) }');
    expect(authorizationPreflight(schema, nullable, undefined, { o: null }, signedIn())).toBe('needs-checks');
    expect(authorizationPreflight(schema, nullable, undefined, {}, signedIn())).toBe('allowed');
  });

  it('answers from its caches: one analysis per document and @skip/@include decision, one profile per set of grants', async () => {
    const { schema } = await guarded(SDL);
    const model = modelOf(schema)!;
    const document = parse('{ users { email } }');
    expect(model.analyze(document, undefined, undefined)).toBe(model.analyze(document, undefined, {}));
    expect(model.profileFor(signedIn())).toBe(model.profileFor(Object.freeze({ ...signedIn(), subject: '2' })));
    expect(model.profileFor(signedIn())).not.toBe(model.profileFor(signedIn(['admin'])));
  });
});

describe('plannerGates (the planner\'s per-object policy checks)', () => {
  it('gates policy fields below the root only, reading the parent under the reserved alias', async () => {
    const { schema } = await guarded(SDL);
    const gates = plannerGates(schema)!;
    expect(gates.gateFor('Query', 'mine')).toBeUndefined();
    expect(gates.gateFor('User', 'email')).toBeUndefined();
    const notes = gates.gateFor('User', 'notes')!;
    expect(notes.parentFields).toEqual([{ responseKey: '_junction_authz_id', fieldName: 'id' }]);
    expect(notes.check({ _junction_authz_id: '1' }, {}, { viewer: signedIn() })).toBeUndefined();
  });

  it('denies when a parent field the policy reads did not arrive, whatever the policy would say', async () => {
    const { schema } = await guarded(SDL);
    const notes = plannerGates(schema)!.gateFor('User', 'notes')!;
    const denial = notes.check({}, {}, { viewer: signedIn() });
    expect(denial).toBeInstanceOf(Error);
    expect((denial as { extensions: Record<string, unknown> }).extensions).toMatchObject({ code: 'FORBIDDEN', coordinate: 'User.notes' });
  });

  it('is undefined for a schema without directives', async () => {
    const { schema } = await guarded('type Query { a: String }');
    expect(plannerGates(schema)).toBeUndefined();
  });
});
