import type { GatewayConfigInput } from '../../src/config/index.js';
import { definePolicies, definePolicy } from '../../src/authz/index.js';
import { startTestGraph, type TestGraph } from './test-graph.js';

/**
 * A small graph with every shape authorization must get right: an interface whose implementations
 * are protected differently, a union, a type-level rule, a merged type whose field from a second
 * service is guarded by a policy reading the parent, a non-merged type with such a policy, non-null
 * protected fields and a mutation next to a protected one.
 */
export const ACCOUNTS_SDL = /* GraphQL */ `
  interface Account {
    id: ID!
    handle: String!
    "Every implementation needs a signed-in viewer (a directive on an interface field applies to the implementations)."
    secret: String @authenticated
    email: String
  }
  type Customer implements Account @key(selectionSet: "{ id }") {
    id: ID!
    handle: String!
    secret: String
    email: String
    tier: String @hasRole(roles: ["staff"])
    ssn: String! @hasRole(roles: ["staff"])
  }
  type Staff implements Account {
    id: ID!
    handle: String!
    secret: String
    email: String @hasRole(roles: ["staff"])
    badge: String @hasRole(roles: ["staff"])
  }
  "Only tokens with the vault:read scope, wherever a Vault is returned."
  type Vault @requiresScopes(scopes: [["vault:read"]]) {
    code: String!
  }
  type Note {
    id: ID!
    text: String!
    owner: ID!
    private: String @policy(name: "noteOwner")
  }
  union SearchResult = Customer | Staff | Note
  type Query {
    account(id: ID!): Account
    accounts: [Account!]!
    search: [SearchResult!]!
    vault: Vault
    customer(id: ID!): Customer
    customersByIds(ids: [ID!]!): [Customer]! @merge(keyField: "id")
    note(id: ID!): Note
    motto: String! @authenticated
  }
  type Mutation {
    touch: Int
    wipe: Boolean @hasRole(roles: ["admin"])
  }
`;

export const PROFILES_SDL = /* GraphQL */ `
  type Customer @key(selectionSet: "{ id }") {
    id: ID!
    "Only the customer themself (the self policy reads the Customer's id)."
    phone: String @policy(name: "self")
    nickname: String
  }
  type Query {
    _customersByIds(ids: [ID!]!): [Customer]! @merge(keyField: "id")
  }
`;

const customers = [
  { __typename: 'Customer', id: '1', handle: 'alice', secret: 'SECRET-alice', email: 'alice@example.com', tier: 'TIER-gold', ssn: 'SSN-1' },
  { __typename: 'Customer', id: '2', handle: 'bob', secret: 'SECRET-bob', email: 'bob@example.com', tier: 'TIER-silver', ssn: 'SSN-2' },
];
const staff = [{ __typename: 'Staff', id: '9', handle: 'root', secret: 'SECRET-root', email: 'root@example.com', badge: 'BADGE-9' }];
const notes = [
  { __typename: 'Note', id: 'n1', text: 'hello', owner: '1', private: 'PRIVATE-n1' },
  { __typename: 'Note', id: 'n2', text: 'hi', owner: '2', private: 'PRIVATE-n2' },
];
const phones: Record<string, string> = { '1': 'PHONE-1', '2': 'PHONE-2' };

export const accountsPolicies = definePolicies({
  self: definePolicy({ parentFields: ['id'], check: ({ viewer, parent }) => viewer.subject !== undefined && viewer.subject === parent.id }),
  noteOwner: definePolicy({ parentFields: ['owner'], check: ({ viewer, parent }) => viewer.subject !== undefined && viewer.subject === parent.owner }),
});

export interface AccountsGraph extends TestGraph {
  /** How many times the accounts service ran `touch`. */
  touched(): number;
}

export async function startAccountsGraph(config: Partial<GatewayConfigInput> = {}): Promise<AccountsGraph> {
  let touches = 0;
  const account = (id: string) => [...customers, ...staff].find((a) => a.id === id) ?? null;
  const graph = await startTestGraph(
    {
      accounts: {
        sdl: ACCOUNTS_SDL,
        resolvers: {
          Account: { __resolveType: (a: { __typename: string }) => a.__typename },
          SearchResult: { __resolveType: (a: { __typename: string }) => a.__typename },
          Query: {
            account: (_: unknown, { id }: { id: string }) => account(id),
            accounts: () => [...customers, ...staff],
            search: () => [...customers, ...staff, ...notes],
            vault: () => ({ code: 'VAULT-1234' }),
            customer: (_: unknown, { id }: { id: string }) => customers.find((c) => c.id === id) ?? null,
            customersByIds: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => customers.find((c) => c.id === id) ?? null),
            note: (_: unknown, { id }: { id: string }) => notes.find((n) => n.id === id) ?? null,
            motto: () => 'MOTTO',
          },
          Mutation: {
            touch: () => ++touches,
            wipe: () => true,
          },
        },
      },
      profiles: {
        sdl: PROFILES_SDL,
        resolvers: {
          Query: { _customersByIds: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => ({ id, phone: phones[id] ?? null, nickname: `nick-${id}` })) },
        },
      },
    },
    { ...config, authz: { policies: accountsPolicies, ...config.authz } },
  );
  return Object.assign(graph, { touched: () => touches });
}

/** The viewers of these tests. */
export const BOB = { sub: '2', roles: ['customer'] };
export const ALICE = { sub: '1', roles: ['customer'] };
export const STAFF = { sub: '9', roles: ['staff', 'admin'], scope: 'vault:read' };
