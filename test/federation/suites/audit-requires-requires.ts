// Follows the federation-gateway-audit suite "requires-requires".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const product = { id: 'p1', price: 899.5, hasDiscount: true };

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`${what} was not sent`);
  return value;
};

/** A @requires whose required field is itself a @requires field of another subgraph: the chain needs two dependent entity fetches. */
export const auditRequiresRequiresSuite: FederationSuite = {
  name: 'audit: chained @requires',
  subgraphs: {
    ledger: {
      // The base price is hidden from clients; only other subgraphs may require it.
      typeDefs: `${link('@key', '@inaccessible')}
        type Product @key(fields: "id") { id: ID! price: Float! @inaccessible }`,
      resolvers: { Product: { __resolveReference: (ref: { id: string }) => (ref.id === product.id ? product : null) } },
    },
    promotions: {
      typeDefs: `${link('@key')}
        type Query { product: Product }
        type Product @key(fields: "id") { id: ID! hasDiscount: Boolean! }`,
      resolvers: {
        Query: { product: () => ({ id: product.id, hasDiscount: product.hasDiscount }) },
        Product: { __resolveReference: (ref: { id: string }) => (ref.id === product.id ? { id: product.id, hasDiscount: product.hasDiscount } : null) },
      },
    },
    rating: {
      typeDefs: `${link('@key', '@external', '@requires')}
        type Product @key(fields: "id") {
          id: ID!
          price: Float! @external
          isExpensive: Boolean! @requires(fields: "price")
          hasDiscount: Boolean! @external
          isExpensiveWithDiscount: Boolean! @requires(fields: "hasDiscount")
        }`,
      resolvers: {
        Product: {
          __resolveReference: (ref: unknown) => ref,
          isExpensive: (p: { price?: number }) => need(p.price, 'price') > 500,
          isExpensiveWithDiscount: (p: { hasDiscount?: boolean }) => !need(p.hasDiscount, 'hasDiscount'),
        },
      },
    },
    budget: {
      typeDefs: `${link('@key', '@external', '@requires')}
        type Product @key(fields: "id") {
          id: ID!
          isExpensive: Boolean! @external
          canAfford: Boolean! @requires(fields: "isExpensive")
          isExpensiveWithDiscount: Boolean! @external
          canAffordWithDiscount: Boolean! @requires(fields: "isExpensiveWithDiscount")
        }`,
      resolvers: {
        Product: {
          __resolveReference: (ref: unknown) => ref,
          canAfford: (p: { isExpensive?: boolean }) => !need(p.isExpensive, 'isExpensive'),
          canAffordWithDiscount: (p: { isExpensiveWithDiscount?: boolean }) => !need(p.isExpensiveWithDiscount, 'isExpensiveWithDiscount'),
        },
      },
    },
  },
  cases: [
    {
      title: 'resolves a field that requires a field which itself requires an inaccessible field',
      query: '{ product { canAfford } }',
      expected: { data: { product: { canAfford: false } } },
    },
    {
      title: 'resolves the middle link of the chain on its own',
      query: '{ product { isExpensive } }',
      expected: { data: { product: { isExpensive: true } } },
    },
    {
      title: 'resolves the middle link and the end of the chain in one query',
      query: '{ product { isExpensive canAfford } }',
      expected: { data: { product: { isExpensive: true, canAfford: false } } },
    },
    {
      title: 'resolves a chain that starts from a field of the root subgraph',
      query: '{ product { canAffordWithDiscount } }',
      expected: { data: { product: { canAffordWithDiscount: true } } },
    },
    {
      title: 'resolves two chains with different starting subgraphs side by side',
      query: '{ product { id canAfford canAffordWithDiscount } }',
      expected: { data: { product: { id: 'p1', canAfford: false, canAffordWithDiscount: true } } },
    },
    {
      title: 'rejects a query for the inaccessible field the chain starts from',
      query: '{ product { price } }',
      expected: { data: undefined, errors: [{ message: /Cannot query field "price" on type "Product"/ }] },
    },
  ],
};
