import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

/** @tag: metadata for contracts; composition keeps it, execution ignores it. */
export const tagSuite: FederationSuite = {
  name: '@tag',
  supergraphContains: ['@tag(name: "internal")', '@tag(name: "public")'],
  subgraphs: {
    catalog: {
      typeDefs: `${link('@key', '@tag')}
        type Query { products: [Product!]! @tag(name: "public") }
        type Product @key(fields: "id") @tag(name: "public") { id: ID! name: String! cost: Int! @tag(name: "internal") }`,
      resolvers: { Query: { products: () => [{ id: 'p1', name: 'Lamp', cost: 7 }] } },
    },
    stock: {
      typeDefs: `${link('@key', '@tag')}
        type Product @key(fields: "id") { id: ID! stock: Int! @tag(name: "internal") }`,
      resolvers: { Product: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, stock: 3 }) } },
    },
  },
  cases: [
    {
      title: 'serves tagged fields normally, across subgraphs',
      query: '{ products { name cost stock } }',
      expected: { data: { products: [{ name: 'Lamp', cost: 7, stock: 3 }] } },
    },
    {
      title: 'does not expose @tag as a directive of the public schema',
      query: '{ __schema { directives { name } } }',
      expected: { data: { __schema: { directives: [{ name: 'include' }, { name: 'skip' }, { name: 'deprecated' }, { name: 'specifiedBy' }, { name: 'oneOf' }] } } },
    },
  ],
};
