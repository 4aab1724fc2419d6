import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../src/index.js';
import { JunctionError } from '../../src/shared/errors.js';
import { createLogger } from '../../src/telemetry/index.js';
import { orders } from '../../services-mock/data.js';
import { DEMO_REGISTRY, tempRegistry } from '../helpers/registry.js';
import { BOB, STAFF, startAccountsGraph } from './accounts-graph.js';
import { startAuthzFleet } from './authz-fleet.js';

describe('the gateway-level overlay (authz.overlay)', () => {
  it("adds rules to a REST service's fields without touching its SDL, and the service is not called", async () => {
    await using dir = await tempRegistry();
    const overlay = join(dir.dir, 'authorization.graphql');
    await writeFile(overlay, '# The orders team cannot change its SDL.\nextend type Query {\n  orders(userId: ID!): [Order!] @hasRole(roles: ["admin"])\n}\n');
    await using fleet = await startAuthzFleet({ authz: { overlay } });
    fleet.resetRecords();
    const bob = await fleet.query('bob', '{ orders(userId: "2") { id } }');
    expect(bob.body.data).toEqual({ orders: null });
    expect(bob.body.errors[0].extensions).toEqual({ code: 'FORBIDDEN', coordinate: 'Query.orders', requirement: { roles: ['admin'] } });
    expect(fleet.proxies['orders']!.received).toEqual([]);
    // The registered SDL's own policy still applies too: alice (admin) passes both.
    const alice = await fleet.query('alice', '{ orders(userId: "2") { id } }');
    expect(alice.body).toEqual({ data: { orders: orders.filter((o) => o.userId === '2').map((o) => ({ id: o.id })) } });
  });

  it('a type in the overlay guards every field of that type and every field returning it', async () => {
    await using dir = await tempRegistry();
    const overlay = join(dir.dir, 'authorization.graphql');
    await writeFile(overlay, 'extend type Note @hasRole(roles: ["staff"])\n');
    await using graph = await startAccountsGraph({ authz: { overlay } });
    const direct = await graph.query('{ note(id: "n2") { text } }', BOB);
    expect(direct.body.data).toEqual({ note: null });
    expect(direct.body.errors[0].extensions.coordinate).toBe('Query.note');
    const viaUnion = await graph.query('{ search { ... on Note { private } } }', BOB);
    expect(viaUnion.body.data.search.slice(3)).toEqual([{ private: null }, { private: null }]);
    expect(viaUnion.body.errors.map((e: { extensions: { requirement: unknown } }) => e.extensions.requirement)).toEqual([{ roles: ['staff'] }, { roles: ['staff'] }]);
    expect((await graph.query('{ note(id: "n2") { text } }', STAFF)).body).toEqual({ data: { note: { text: 'hi' } } });
  });

  it('is re-read with every graph build: an edit applies on the next reload', async () => {
    await using dir = await tempRegistry();
    const overlay = join(dir.dir, 'authorization.graphql');
    await writeFile(overlay, '# no rules yet\n');
    await using graph = await startAccountsGraph({ authz: { overlay } });
    expect((await graph.query('{ customer(id: "1") { handle } }')).body).toEqual({ data: { customer: { handle: 'alice' } } });
    await writeFile(overlay, 'extend type Customer { handle: String! @authenticated }\n');
    expect((await graph.gw.gateway.reload()).ok).toBe(true);
    const after = await graph.query('{ customer(id: "1") { handle } }');
    expect(after.body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', coordinate: 'Customer.handle', requirement: { authenticated: true } });
  });

  it('refuses an overlay naming what the graph lacks, with file and line for each problem', async () => {
    await using dir = await tempRegistry();
    const overlay = join(dir.dir, 'authorization.graphql');
    await writeFile(overlay, [
      'extend type Query {',
      '  nothing: String @authenticated',
      '  topProducts: [Product] @authenticated',
      '  product(id: ID!): Product @deprecated',
      '}',
      'extend type Ghost @authenticated',
      'input Foo { a: Int }',
      '',
    ].join('\n'));
    const error = await createGateway({
      config: { registry: DEMO_REGISTRY, server: { port: 0 }, reload: { enabled: false }, authz: { overlay } },
      logger: createLogger({ level: 'silent' }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JunctionError);
    expect((error as JunctionError).code).toBe('JNC_AUTHZ_INVALID');
    expect((error as JunctionError).problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '2:3 Query.nothing is not in the graph',
      '3:16 Query.topProducts is [Product!]! in the graph, not [Product]',
      '4:29 @deprecated on Query.product: only @authenticated, @requiresScopes, @hasRole and @policy belong in the overlay',
      '6:1 type Ghost is not in the graph',
      '7:1 the overlay holds only types and type extensions (object, interface, scalar, enum)',
    ]);
  });
});
