import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchProducts, shippingEstimate } from '../../services-mock/federation-bench/data.js';
import { FEDERATION_QUERY, N_PLUS_ONE_QUERY } from '../../services-mock/federation-bench/queries.js';
import { subgraphResolvers, subgraphTypeDefs } from '../../services-mock/federation-bench/subgraphs.js';
import { startSupergraph, type RunningSupergraph } from '../helpers/subgraphs.js';

describe('query planner on the federation benchmark subgraphs', () => {
  let sg: RunningSupergraph;
  beforeAll(async () => {
    sg = await startSupergraph(
      Object.fromEntries((['accounts', 'inventory', 'products', 'reviews'] as const).map((n) => [n, { typeDefs: subgraphTypeDefs[n], resolvers: subgraphResolvers[n] as never }])),
    );
  });
  afterAll(() => sg?.[Symbol.asyncDispose]());

  it('answers the four-subgraph benchmark query exactly like graphql-tools, with fewer requests', async () => {
    sg.resetCalls();
    const reference = await sg.viaReference(FEDERATION_QUERY);
    const referenceCalls = sg.calls();
    sg.resetCalls();
    const planned = await sg.viaPlanner(FEDERATION_QUERY);
    expect(reference.errors).toBeUndefined();
    expect(planned).toEqual(reference);
    const calls = sg.calls();
    for (const name of Object.keys(calls)) expect(calls[name]).toBeLessThanOrEqual(referenceCalls[name]!);
    expect(calls).toEqual({ accounts: 2, inventory: 2, products: 2, reviews: 1 });
  });

  it('sends one _entities request per subgraph for 100 entities (no N+1)', async () => {
    sg.resetCalls();
    const planned = await sg.viaPlanner(N_PLUS_ONE_QUERY);
    expect(planned.errors).toBeUndefined();
    expect((planned.data as { topProducts: unknown[] }).topProducts).toHaveLength(100);
    expect(sg.calls()).toEqual({ accounts: 0, inventory: 1, products: 1, reviews: 1 });
    expect(planned).toEqual(await sg.viaReference(N_PLUS_ONE_QUERY));
  });

  it('sends the @requires fields in the representations, so inventory computes shippingEstimate from them', async () => {
    sg.resetCalls();
    const { data } = await sg.viaPlanner('{ topProducts(first: 3) { upc shippingEstimate } }');
    const expected = benchProducts.slice(0, 3).map((p) => ({ upc: p.upc, shippingEstimate: shippingEstimate(p.price, p.weight) }));
    expect(data).toEqual({ topProducts: expected });
    const [inventoryQuery] = sg.received['inventory']!;
    expect(inventoryQuery).toMatch(/_entities\(representations:\$__r0\)\{__typename \.\.\.on Product\{__typename shippingEstimate\}\}/);
    // price and weight came from products first: the client never asked for them.
    expect(sg.received['products']![0]).toMatch(/price weight/);
  });

  it('uses @provides: the author username comes with the review, accounts is not called', async () => {
    sg.resetCalls();
    const planned = await sg.viaPlanner('{ topProducts(first: 2) { reviews { author { username } } } }');
    expect(planned).toEqual(await sg.viaReference('{ topProducts(first: 2) { reviews { author { username } } } }'));
    sg.resetCalls();
    await sg.viaPlanner('{ topProducts(first: 2) { reviews { author { username } } } }');
    expect(sg.calls()).toEqual({ accounts: 0, inventory: 0, products: 1, reviews: 1 });
  });

  it('keeps client aliases and repeated fields with different arguments apart', async () => {
    const query = '{ a: topProducts(first: 1) { id: upc n: name } b: topProducts(first: 2) { upc inStock } }';
    const planned = await sg.viaPlanner(query);
    expect(planned).toEqual(await sg.viaReference(query));
    expect((planned.data as { b: unknown[] }).b).toHaveLength(2);
  });

  it('plans per @skip/@include decision', async () => {
    const query = 'query($r: Boolean!) { topProducts(first: 2) { upc reviews @include(if: $r) { id } } }';
    sg.resetCalls();
    const without = await sg.viaPlanner(query, { r: false });
    expect(sg.calls()['reviews']).toBe(0);
    sg.resetCalls();
    const withReviews = await sg.viaPlanner(query, { r: true });
    expect(sg.calls()['reviews']).toBe(1);
    expect(without).toEqual(await sg.viaReference(query, { r: false }));
    expect(withReviews).toEqual(await sg.viaReference(query, { r: true }));
  });
});
