// Follows the federation-gateway-audit suite "union-interface-distributed".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const products = [
  { __typename: 'Oven', id: 'oven1' },
  { __typename: 'Oven', id: 'oven2' },
  { __typename: 'Toaster', id: 'toaster1', warranty: 3 },
  { __typename: 'Toaster', id: 'toaster2', warranty: 4 },
];
const toasters = () => products.filter((p) => p.__typename === 'Toaster');
const byTypename = (o: { __typename: string }) => o.__typename;
const find = (typename: string) => (ref: { id: string }) => products.find((p) => p.id === ref.id && p.__typename === typename) ?? null;

/**
 * Interfaces implemented differently per subgraph: Oven implements Node and WithWarranty only in the second
 * subgraph, so the first may not be sent `... on Node` for ovens, and an Oven it returns as a Node is an error there.
 */
export const auditUnionInterfaceDistributedSuite: FederationSuite = {
  name: 'audit: interface implementations that differ per subgraph',
  subgraphs: {
    shop: {
      typeDefs: `${link('@key', '@shareable')}
        type Query { products: [Product] node(id: ID!): Node nodes: [Node] toasters: [Toaster] }
        union Product = Oven | Toaster
        interface Node { id: ID! }
        interface WithWarranty { warranty: Int }
        type Oven @key(fields: "id") { id: ID! }
        type Toaster implements Node & WithWarranty @key(fields: "id") { id: ID! warranty: Int }`,
      resolvers: {
        Query: {
          products: () => products,
          node: (_: unknown, args: { id: string }) => products.find((p) => p.id === args.id) ?? null,
          nodes: toasters,
          toasters,
        },
        Product: { __resolveType: byTypename },
        Node: { __resolveType: byTypename },
        WithWarranty: { __resolveType: byTypename },
        Oven: { __resolveReference: find('Oven') },
        Toaster: { __resolveReference: find('Toaster') },
      },
    },
    service: {
      typeDefs: `${link('@key')}
        interface Node { id: ID! }
        interface WithWarranty { warranty: Int }
        type Oven implements Node & WithWarranty @key(fields: "id") { id: ID! warranty: Int }`,
      resolvers: {
        Node: { __resolveType: byTypename },
        WithWarranty: { __resolveType: byTypename },
        Oven: { __resolveReference: (ref: { id: string }) => (find('Oven')(ref) ? { id: ref.id, warranty: 1 } : null) },
      },
    },
  },
  cases: [
    {
      title: 'selects an interface field on union members, including the one that implements it only in another subgraph',
      query: '{ products { ... on Node { id } } }',
      expected: { data: { products: [{ id: 'oven1' }, { id: 'oven2' }, { id: 'toaster1' }, { id: 'toaster2' }] } },
    },
    {
      title: 'fetches an interface field for the member that implements it only in another subgraph',
      query: '{ products { ... on WithWarranty { warranty } } }',
      expected: { data: { products: [{ warranty: 1 }, { warranty: 1 }, { warranty: 3 }, { warranty: 4 }] } },
    },
    {
      title: 'applies fragments on implementations to an interface list',
      query: '{ nodes { ... on Toaster { warranty } ... on Oven { id } } }',
      expected: { data: { nodes: [{ warranty: 3 }, { warranty: 4 }] } },
    },
    {
      title: 'selects interface fields directly and through a fragment on the interface',
      query: '{ a: nodes { id } b: nodes { ... on Node { id } } }',
      expected: { data: { a: [{ id: 'toaster1' }, { id: 'toaster2' }], b: [{ id: 'toaster1' }, { id: 'toaster2' }] } },
    },
    {
      title: 'resolves nested fragments on another interface inside an interface',
      query: '{ nodes { ... on Node { id ... on Node { id ... on WithWarranty { warranty } } } } }',
      expected: { data: { nodes: [{ id: 'toaster1', warranty: 3 }, { id: 'toaster2', warranty: 4 }] } },
    },
    {
      title: 'merges named fragments on a type and on an interface it implements',
      query: `{ toasters { ...ToasterFields ...NodeFields } }
        fragment ToasterFields on Toaster { id }
        fragment NodeFields on Node { id __typename }`,
      expected: { data: { toasters: [{ id: 'toaster1', __typename: 'Toaster' }, { id: 'toaster2', __typename: 'Toaster' }] } },
    },
    {
      title: 'nulls a node the subgraph cannot return as that interface, with an error',
      query: '{ node(id: "oven1") { ... on Oven { warranty } } }',
      expected: { data: { node: null }, errors: [{}] },
    },
    {
      title: 'resolves a node the subgraph returns as an implementation it knows',
      query: '{ node(id: "toaster1") { ... on Toaster { warranty } } }',
      expected: { data: { node: { warranty: 3 } } },
    },
  ],
};
