// Follows the federation-gateway-audit suite "typename".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const byTypename = (o: { __typename: string }) => o.__typename;
const admins = [{ id: 'u1' }, { id: 'u2' }];

/** __typename, aliased and inside fragments, on unions, interfaces and entities known to one subgraph only as @interfaceObject. */
export const auditTypenameSuite: FederationSuite = {
  name: 'audit: __typename',
  subgraphs: {
    kitchen: {
      typeDefs: `${link('@key')}
        type Query { appliance: Appliance device: Device }
        union Appliance = Oven | Toaster
        interface Device { id: ID! }
        type Oven implements Device { id: ID! }
        type Toaster implements Device { id: ID! }`,
      resolvers: {
        Query: { appliance: () => ({ __typename: 'Oven', id: '1' }), device: () => ({ __typename: 'Toaster', id: '2' }) },
        Appliance: { __resolveType: byTypename },
        Device: { __resolveType: byTypename },
      },
    },
    accounts: {
      typeDefs: `${link('@key')}
        interface User @key(fields: "id") { id: ID! }
        type Admin implements User @key(fields: "id") { id: ID! isMain: Boolean! }`,
      resolvers: {
        User: { __resolveReference: (ref: { id: string }) => ({ __typename: 'Admin', id: ref.id, isMain: ref.id === 'u1' }) },
        Admin: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, isMain: ref.id === 'u1' }) },
      },
    },
    directory: {
      // Knows users only as an @interfaceObject: the concrete type has to be asked from accounts.
      typeDefs: `${link('@key', '@interfaceObject')}
        type Query { users: [User!]! }
        type User @key(fields: "id") @interfaceObject { id: ID! }`,
      resolvers: { Query: { users: () => admins }, User: { __resolveReference: (ref: { id: string }) => ref } },
    },
  },
  cases: [
    {
      title: 'answers __typename of a union member, also under an alias',
      query: '{ appliance { __typename typename: __typename } }',
      expected: { data: { appliance: { __typename: 'Oven', typename: 'Oven' } } },
    },
    {
      title: 'answers the concrete __typename of an interface value under several aliases',
      query: '{ device { id __typename typename: __typename t: __typename } }',
      expected: { data: { device: { id: '2', __typename: 'Toaster', typename: 'Toaster', t: 'Toaster' } } },
    },
    {
      title: 'answers an aliased __typename inside the matching member\'s fragment only',
      query: '{ appliance { __typename ... on Oven { typename: __typename } ... on Toaster { typename: __typename } } }',
      expected: { data: { appliance: { __typename: 'Oven', typename: 'Oven' } } },
    },
    {
      title: 'answers an aliased __typename inside the matching implementation\'s fragment only',
      query: '{ device { __typename ... on Oven { typename: __typename } ... on Toaster { typename: __typename } } }',
      expected: { data: { device: { __typename: 'Toaster', typename: 'Toaster' } } },
    },
    {
      title: 'serves the key of @interfaceObject entities without resolving their type',
      query: '{ users { id } }',
      expected: { data: { users: [{ id: 'u1' }, { id: 'u2' }] } },
    },
    {
      title: 'resolves the concrete __typename of @interfaceObject entities from the subgraph that knows the implementations',
      query: '{ users { __typename } }',
      expected: { data: { users: [{ __typename: 'Admin' }, { __typename: 'Admin' }] } },
    },
    {
      title: 'applies a fragment on the concrete type to @interfaceObject entities',
      query: '{ users { id ... on Admin { isMain kind: __typename } } }',
      expected: { data: { users: [{ id: 'u1', isMain: true, kind: 'Admin' }, { id: 'u2', isMain: false, kind: 'Admin' }] } },
    },
  ],
};
