// Follows the federation-gateway-audit suite "mutations".
import { setTimeout as delay } from 'node:timers/promises';
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

// State shared by the subgraphs of one run, as a database would be.
const products = [{ id: 'p1', name: 'Teapot', price: 9.99 }];
const counters = new Map<string, number>();

/**
 * Mutations: root fields run one after the other in document order, even when they live in different
 * subgraphs. `add` answers slowly and `multiply` quickly, so running them concurrently would give other numbers.
 */
export const auditMutationsSuite: FederationSuite = {
  name: 'audit: mutations across subgraphs',
  subgraphs: {
    inventory: {
      typeDefs: `${link('@key')}
        type Query { product(id: ID!): Product products: [Product!]! }
        type Mutation { addProduct(input: AddProductInput!): Product! multiply(by: Int!, requestId: String!): Int! }
        input AddProductInput { name: String! price: Float! }
        type Product @key(fields: "id") { id: ID! name: String! price: Float! }`,
      resolvers: {
        Query: { product: (_: unknown, args: { id: string }) => products.find((p) => p.id === args.id) ?? null, products: () => products },
        Mutation: {
          addProduct: (_: unknown, { input }: { input: { name: string; price: number } }) => {
            const created = { id: `p${products.length + 1}`, ...input };
            products.push(created);
            return created;
          },
          multiply: async (_: unknown, args: { by: number; requestId: string }) => {
            await delay(1);
            const value = (counters.get(args.requestId) ?? 0) * args.by;
            counters.set(args.requestId, value);
            return value;
          },
        },
        Product: { __resolveReference: (ref: { id: string }) => products.find((p) => p.id === ref.id) ?? null },
      },
    },
    pricing: {
      typeDefs: `${link('@key', '@external', '@requires')}
        type Mutation { delete(requestId: String!): Int! }
        type Product @key(fields: "id") { id: ID! price: Float! @external isExpensive: Boolean! @requires(fields: "price") isAvailable: Boolean! }`,
      resolvers: {
        Mutation: {
          delete: (_: unknown, args: { requestId: string }) => {
            const value = counters.get(args.requestId) ?? 0;
            counters.delete(args.requestId);
            return value;
          },
        },
        Product: {
          // Available means: the inventory already holds it when this subgraph is asked, i.e. after the mutation.
          __resolveReference: (ref: { id: string; price?: number }) => ({ ...ref, isAvailable: products.some((p) => p.id === ref.id) }),
          isExpensive: (p: { price?: number }) => {
            if (typeof p.price !== 'number') throw new Error('price was not sent');
            return p.price > 100;
          },
        },
      },
    },
    counter: {
      typeDefs: `${link('@key')}
        type Mutation { add(num: Int!, requestId: String!): Int! }`,
      resolvers: {
        Mutation: {
          add: async (_: unknown, args: { num: number; requestId: string }) => {
            await delay(30);
            const value = (counters.get(args.requestId) ?? 0) + args.num;
            counters.set(args.requestId, value);
            return value;
          },
        },
      },
    },
  },
  cases: [
    {
      title: 'resolves entity fields of a mutation result from other subgraphs, including a @requires field',
      query: 'mutation { addProduct(input: { name: "Kettle", price: 599.99 }) { name price isExpensive isAvailable } }',
      expected: { data: { addProduct: { name: 'Kettle', price: 599.99, isExpensive: true, isAvailable: true } } },
    },
    {
      title: 'reads an entity with fields of several subgraphs after mutations ran',
      query: '{ product(id: "p1") { id name price isExpensive isAvailable } }',
      expected: { data: { product: { id: 'p1', name: 'Teapot', price: 9.99, isExpensive: false, isAvailable: true } } },
    },
    {
      title: 'runs mutation fields of three subgraphs serially, in document order',
      query: `mutation {
        five: add(num: 5, requestId: "serial")
        ten: multiply(by: 2, requestId: "serial")
        twelve: add(num: 2, requestId: "serial")
        final: delete(requestId: "serial")
      }`,
      expected: { data: { five: 5, ten: 10, twelve: 12, final: 12 } },
    },
    {
      title: 'runs two mutation fields of the same subgraph serially around a field of another subgraph',
      query: `mutation ($id: String!) {
        one: add(num: 1, requestId: $id)
        two: add(num: 1, requestId: $id)
        four: multiply(by: 2, requestId: $id)
        seven: add(num: 3, requestId: $id)
        final: delete(requestId: $id)
      }`,
      variables: { id: 'same-subgraph' },
      expected: { data: { one: 1, two: 2, four: 4, seven: 7, final: 7 } },
    },
  ],
};
