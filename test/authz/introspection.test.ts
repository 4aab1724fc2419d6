import { describe, expect, it } from 'vitest';
import { BOB, startAccountsGraph } from './accounts-graph.js';

describe('authz.anonymousIntrospection: false', () => {
  it('refuses __schema and __type to anonymous viewers (also inside fragments) with 401, and serves them to signed-in ones', async () => {
    await using graph = await startAccountsGraph({ authz: { anonymousIntrospection: false } });
    for (const query of [
      '{ __schema { types { name } } }',
      '{ __type(name: "Customer") { fields { name } } }',
      'query { ...F } fragment F on Query { __type(name: "Customer") { name } }',
    ]) {
      const { status, body } = await graph.query(query);
      expect(status).toBe(401);
      expect(body).toEqual({ errors: [{ message: 'Introspection is not available to anonymous viewers: send a token', extensions: { code: 'INTROSPECTION_DISABLED' } }] });
    }
    const signedIn = await graph.query('{ __type(name: "Customer") { fields { name } } }', BOB);
    expect(signedIn.body.data.__type.fields.map((f: { name: string }) => f.name)).toContain('phone');
    expect((await graph.query('{ customer(id: "1") { __typename handle } }')).body).toEqual({ data: { customer: { __typename: 'Customer', handle: 'alice' } } });
  });

  it('hides "Did you mean" suggestions, so protected field names cannot be guessed from errors', async () => {
    await using graph = await startAccountsGraph({ authz: { anonymousIntrospection: false } });
    // A signed-in viewer first, so a cached validation result is what the anonymous one would get.
    for (const viewer of [BOB, undefined]) {
      const { status, body } = await graph.query('{ customer(id: "1") { phon tie } }', viewer);
      expect(status).toBe(400);
      expect(body.errors.map((e: { message: string }) => e.message)).toEqual([
        'Cannot query field "phon" on type "Customer".',
        'Cannot query field "tie" on type "Customer".',
      ]);
    }
  });

  it('by default (true) introspection and suggestions work for everyone', async () => {
    await using graph = await startAccountsGraph();
    expect((await graph.query('{ __type(name: "Customer") { name } }')).body).toEqual({ data: { __type: { name: 'Customer' } } });
    const { body } = await graph.query('{ customer(id: "1") { phon } }');
    expect(body.errors[0].message).toBe('Cannot query field "phon" on type "Customer". Did you mean "phone"?');
  });
});
