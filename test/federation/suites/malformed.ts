import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const users = ['u1', 'u2', 'u3'].map((id, i) => ({ id, name: `User ${i + 1}` }));
const ages: Record<string, number> = { u1: 31, u2: 42, u3: 53 };

/** The `_entities` answer of the misbehaving subgraph, per mode (the correct answer with one defect). */
function misbehave(body: { query: string; variables?: Record<string, unknown> }, mode: string): unknown {
  const alias = /(\w+)\s*:\s*_entities/.exec(body.query)?.[1] ?? '_entities';
  const representations = (Object.values(body.variables ?? {})[0] ?? []) as Array<{ id: string }>;
  const good = representations.map((r) => ({ __typename: 'User', age: ages[r.id] }));
  const answers: Record<string, unknown> = {
    short: { data: { [alias]: good.slice(0, -1) } },
    long: { data: { [alias]: [...good, { __typename: 'User', age: 99 }] } },
    'wrong-typename': { data: { [alias]: good.map((e, i) => (i === 1 ? { __typename: 'Secret', id: 'x', age: 7 } : e)) } },
    'null-entity': { data: { [alias]: good.map((e, i) => (i === 1 ? null : e)) } },
    'not-a-list': { data: { [alias]: { __typename: 'User', age: 1 } } },
    'no-data': { data: null },
  };
  return answers[mode];
}

const names = users.map((u) => ({ id: u.id, name: u.name }));
const agesError = { code: 'UPSTREAM_ERROR', service: 'profiles' } as const;

/** A subgraph answering `_entities` wrongly yields field errors naming it; never a crash, never another entity's data. */
export const malformedSuite: FederationSuite = {
  name: 'malformed _entities answers and unavailable subgraphs',
  subgraphs: {
    accounts: {
      typeDefs: `${link('@key')}
        type Query { users: [User!]! }
        type User @key(fields: "id") { id: ID! name: String! }`,
      resolvers: { Query: { users: () => users } },
    },
    profiles: {
      typeDefs: `${link('@key')}
        type User @key(fields: "id") { id: ID! age: Int }
        type Secret @key(fields: "id") { id: ID! age: Int }
        type Query { secret: Secret }`,
      resolvers: { User: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, age: ages[ref.id] }) } },
      misbehave,
    },
  },
  cases: [
    {
      title: 'answers normally when the subgraph behaves (control)',
      query: '{ users { id name age } }',
      expected: { data: { users: names.map((u) => ({ ...u, age: ages[u.id] })) } },
    },
    {
      title: 'turns a too short _entities list into field errors for every entity of the batch',
      query: '{ users { id name age } }',
      subgraphModes: { profiles: 'short' },
      expected: { data: { users: names.map((u) => ({ ...u, age: null })) }, errors: [{ message: 'Service "profiles" answered 2 entities for 3 representations', ...agesError }] },
    },
    {
      title: 'turns a too long _entities list into field errors rather than guessing which items belong where',
      query: '{ users { id name age } }',
      subgraphModes: { profiles: 'long' },
      expected: { data: { users: names.map((u) => ({ ...u, age: null })) }, errors: [{ message: 'Service "profiles" answered 4 entities for 3 representations', ...agesError }] },
    },
    {
      title: 'refuses an entity of another type: a field error, and none of its fields lent to the entity',
      query: '{ users { id name age } }',
      subgraphModes: { profiles: 'wrong-typename' },
      expected: {
        data: { users: [{ id: 'u1', name: 'User 1', age: 31 }, { id: 'u2', name: 'User 2', age: null }, { id: 'u3', name: 'User 3', age: 53 }] },
        errors: [{ message: 'Service "profiles" returned a Secret where a User was requested', ...agesError }],
      },
    },
    {
      title: 'reports a null entity the subgraph did not explain as a field error',
      query: '{ users { id name age } }',
      subgraphModes: { profiles: 'null-entity' },
      expected: {
        data: { users: [{ id: 'u1', name: 'User 1', age: 31 }, { id: 'u2', name: 'User 2', age: null }, { id: 'u3', name: 'User 3', age: 53 }] },
        errors: [{ message: 'Service "profiles" returned no User for a representation it was sent', ...agesError }],
      },
    },
    {
      title: 'turns an _entities answer that is not a list into field errors',
      query: '{ users { id name age } }',
      subgraphModes: { profiles: 'not-a-list' },
      expected: { data: { users: names.map((u) => ({ ...u, age: null })) }, errors: [{ message: 'Service "profiles" answered without the entities it was asked for', ...agesError }] },
    },
    {
      title: 'turns an answer without data or errors into field errors',
      query: '{ users { id name age } }',
      subgraphModes: { profiles: 'no-data' },
      expected: { data: { users: names.map((u) => ({ ...u, age: null })) }, errors: [{ ...agesError }] },
    },
    {
      title: 'answers with partial data when a subgraph is down, naming it',
      query: '{ users { id name age } }',
      subgraphModes: { profiles: { fault: 'down' } },
      expected: { data: { users: names.map((u) => ({ ...u, age: null })) }, errors: [{ message: 'Service "profiles" is unavailable', code: 'UPSTREAM_UNAVAILABLE', service: 'profiles' }] },
    },
    {
      title: 'answers with partial data when a subgraph answers garbage, naming it',
      query: '{ users { id name age } }',
      subgraphModes: { profiles: { fault: 'garbage' } },
      expected: { data: { users: names.map((u) => ({ ...u, age: null })) }, errors: [{ message: /^Service "profiles" answered with an invalid response/, ...agesError }] },
    },
    {
      title: 'answers null with an error naming the subgraph when the root subgraph is down',
      query: '{ users { id name age } }',
      subgraphModes: { accounts: { fault: 'down' } },
      expected: { data: null, errors: [{ message: 'Service "accounts" is unavailable', code: 'UPSTREAM_UNAVAILABLE', service: 'accounts' }] },
      calls: { profiles: 0 },
    },
  ],
};
