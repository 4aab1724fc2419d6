import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const products = [
  { id: 'p1', name: 'Lamp', secretCode: 'L-17', internal: { note: 'fragile' } },
  { id: 'p2', name: 'Mug', secretCode: 'M-02', internal: { note: 'none' } },
];

/** @inaccessible: hidden from clients (schema and queries) yet usable by the gateway, e.g. for @requires. */
export const inaccessibleSuite: FederationSuite = {
  name: '@inaccessible',
  subgraphs: {
    catalog: {
      typeDefs: `${link('@key', '@inaccessible')}
        type Query { products: [Product!]! debug: String @inaccessible }
        type Product @key(fields: "id") { id: ID! name: String! secretCode: String! @inaccessible internal: Internal @inaccessible }
        type Internal @inaccessible { note: String! }`,
      resolvers: {
        Query: { products: () => products, debug: () => 'internal' },
        Product: { __resolveReference: (ref: { id: string }) => products.find((p) => p.id === ref.id) ?? null },
      },
    },
    labels: {
      typeDefs: `${link('@key', '@external', '@requires')}
        type Product @key(fields: "id") { id: ID! secretCode: String! @external label: String! @requires(fields: "secretCode") }`,
      resolvers: { Product: { __resolveReference: (ref: object) => ref, label: (ref: { secretCode?: string }) => `label for ${ref.secretCode}` } },
    },
  },
  cases: [
    {
      title: 'still sends an @inaccessible field to a subgraph that @requires it',
      query: '{ products { name label } }',
      expected: { data: { products: [{ name: 'Lamp', label: 'label for L-17' }, { name: 'Mug', label: 'label for M-02' }] } },
    },
    {
      title: 'rejects a query selecting an @inaccessible field as if it did not exist',
      query: '{ products { secretCode } }',
      expected: { data: undefined, errors: [{ message: 'Cannot query field "secretCode" on type "Product".' }] },
      calls: { catalog: 0, labels: 0 },
    },
    {
      title: 'rejects an @inaccessible root field',
      query: '{ debug }',
      expected: { data: undefined, errors: [{ message: 'Cannot query field "debug" on type "Query".' }] },
    },
    {
      title: 'leaves @inaccessible fields and types out of introspection',
      query: '{ product: __type(name: "Product") { fields { name } } internal: __type(name: "Internal") { name } }',
      expected: { data: { product: { fields: [{ name: 'id' }, { name: 'name' }, { name: 'label' }] }, internal: null } },
    },
  ],
};
