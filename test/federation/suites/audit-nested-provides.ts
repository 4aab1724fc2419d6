// Follows the federation-gateway-audit suite "nested-provides".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const products = [
  { id: 'p1', categories: ['c1', 'c2'] },
  { id: 'p2', categories: ['c3', 'c2'] },
];
const categories = [
  { id: 'c1', name: 'Category 1', subCategories: ['c2'] },
  { id: 'c2', name: 'Category 2', subCategories: ['c3'] },
  { id: 'c3', name: 'Category 3', subCategories: ['c1'] },
];
const category = (id: string) => categories.find((c) => c.id === id) ?? null;

/** @provides two levels deep ("categories { id name subCategories { id name } }"): one fetch answers all of it. */
export const auditNestedProvidesSuite: FederationSuite = {
  name: 'audit: nested @provides',
  subgraphs: {
    // Named to sort first, in case a gateway prefers the first subgraph it finds.
    'all-products': {
      typeDefs: `${link('@key')}
        type Product @key(fields: "id") { id: ID! }`,
      resolvers: { Product: { __resolveReference: (ref: { id: string }) => products.find((p) => p.id === ref.id) ?? null } },
    },
    catalog: {
      typeDefs: `${link('@key', '@shareable', '@external', '@provides')}
        type Query { products: [Product] @shareable @provides(fields: "categories { id name subCategories { id name } }") }
        type Product @key(fields: "id") { id: ID! categories: [Category] @external }
        type Category @key(fields: "id") { id: ID! name: String subCategories: [Category] @external }`,
      resolvers: {
        Query: {
          products: () => products.map((p) => ({
            id: p.id,
            categories: p.categories.map((id) => {
              const c = category(id)!;
              return { id: c.id, name: c.name, subCategories: c.subCategories.map((s) => ({ id: s, name: category(s)!.name })) };
            }),
          })),
        },
        Product: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
        Category: { __resolveReference: (ref: { id: string }) => (category(ref.id) ? { id: ref.id, name: category(ref.id)!.name } : null) },
      },
    },
    tree: {
      typeDefs: `${link('@key', '@shareable')}
        type Product @key(fields: "id") { id: ID! categories: [Category] @shareable }
        type Category @key(fields: "id") { id: ID! subCategories: [Category] @shareable }`,
      resolvers: {
        Product: {
          __resolveReference: (ref: { id: string }) => products.find((p) => p.id === ref.id) ?? null,
          categories: (p: { categories: string[] }) => p.categories.map(category),
        },
        Category: {
          __resolveReference: (ref: { id: string }) => category(ref.id),
          subCategories: (c: { subCategories: string[] }) => c.subCategories.map(category),
        },
      },
    },
  },
  cases: [
    {
      title: 'answers provided entity lists from the providing subgraph in one fetch',
      query: '{ products { id categories { id name } } }',
      expected: {
        data: {
          products: [
            { id: 'p1', categories: [{ id: 'c1', name: 'Category 1' }, { id: 'c2', name: 'Category 2' }] },
            { id: 'p2', categories: [{ id: 'c3', name: 'Category 3' }, { id: 'c2', name: 'Category 2' }] },
          ],
        },
      },
      calls: { 'all-products': 0, catalog: 1, tree: 0 },
    },
    {
      title: 'answers a provided selection two levels deep from the providing subgraph in one fetch',
      query: '{ products { id categories { id name subCategories { id name } } } }',
      expected: {
        data: {
          products: [
            {
              id: 'p1',
              categories: [
                { id: 'c1', name: 'Category 1', subCategories: [{ id: 'c2', name: 'Category 2' }] },
                { id: 'c2', name: 'Category 2', subCategories: [{ id: 'c3', name: 'Category 3' }] },
              ],
            },
            {
              id: 'p2',
              categories: [
                { id: 'c3', name: 'Category 3', subCategories: [{ id: 'c1', name: 'Category 1' }] },
                { id: 'c2', name: 'Category 2', subCategories: [{ id: 'c3', name: 'Category 3' }] },
              ],
            },
          ],
        },
      },
      calls: { 'all-products': 0, catalog: 1, tree: 0 },
    },
    {
      title: 'goes beyond the provided depth with entity fetches to the owner',
      query: '{ products { id categories { subCategories { subCategories { id name } } } } }',
      expected: {
        data: {
          products: [
            { id: 'p1', categories: [{ subCategories: [{ subCategories: [{ id: 'c3', name: 'Category 3' }] }] }, { subCategories: [{ subCategories: [{ id: 'c1', name: 'Category 1' }] }] }] },
            { id: 'p2', categories: [{ subCategories: [{ subCategories: [{ id: 'c2', name: 'Category 2' }] }] }, { subCategories: [{ subCategories: [{ id: 'c1', name: 'Category 1' }] }] }] },
          ],
        },
      },
    },
  ],
};
