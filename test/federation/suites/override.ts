import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const ids = ['p1', 'p2'];
const legacy = (id: string) => ({ id, price: 1, name: `old ${id}`, inStock: false, weight: 1 });

/** @override: a field moves to another subgraph, outright or progressively by label. */
export const overrideSuite: FederationSuite = {
  name: '@override',
  gateway: { overrideLabels: ['new-names'] },
  subgraphs: {
    legacy: {
      typeDefs: `${link('@key')}
        type Query { products: [Product!]! }
        type Product @key(fields: "id") { id: ID! price: Int! name: String! inStock: Boolean! weight: Int! }`,
      resolvers: {
        Query: { products: () => ids.map(legacy) },
        Product: { __resolveReference: (ref: { id: string }) => legacy(ref.id) },
      },
    },
    modern: {
      typeDefs: `${link('@key', '@override')}
        type Product @key(fields: "id") {
          id: ID!
          price: Int! @override(from: "legacy")
          name: String! @override(from: "legacy", label: "new-names")
          inStock: Boolean! @override(from: "legacy", label: "percent(100)")
          weight: Int! @override(from: "legacy", label: "not-switched-on")
        }`,
      resolvers: {
        Product: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, price: 100, name: `new ${ref.id}`, inStock: true, weight: 100 }) },
      },
    },
  },
  cases: [
    {
      title: 'takes an @override(from:) field from the overriding subgraph only',
      query: '{ products { id price } }',
      expected: { data: { products: [{ id: 'p1', price: 100 }, { id: 'p2', price: 100 }] } },
      calls: { legacy: 1, modern: 1 },
    },
    {
      title: 'routes a progressive override to the new subgraph when its label is switched on',
      query: '{ products { name } }',
      expected: { data: { products: [{ name: 'new p1' }, { name: 'new p2' }] } },
      calls: { legacy: 1, modern: 1 },
    },
    {
      title: 'routes a percent(100) progressive override to the new subgraph',
      query: '{ products { inStock } }',
      expected: { data: { products: [{ inStock: true }, { inStock: true }] } },
    },
    {
      title: 'keeps a progressive override whose label is not switched on in the original subgraph',
      query: '{ products { weight } }',
      expected: { data: { products: [{ weight: 1 }, { weight: 1 }] } },
      calls: { legacy: 1, modern: 0 },
    },
  ],
};
