// Follows the federation-gateway-audit suite "complex-entity-call".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const items = [
  { id: '1', sku: 's1', groupId: 'g1', amount: 100 },
  { id: '2', sku: 's2', groupId: 'g2', amount: 200 },
];
const groups = [
  { id: 'g1', tag: 't1', mainItem: '1' },
  { id: 'g2', tag: 't2', mainItem: '2' },
];
type Item = (typeof items)[number];
type ItemKey = { id: string; sku?: string; group?: { id: string; tag: string } };

// A key matches only when every part of it does: a gateway sending a partial or wrong key gets nothing.
const matches = (item: Item, key: ItemKey) => {
  if (item.id !== key.id || (key.sku !== undefined && item.sku !== key.sku)) return false;
  if (key.group === undefined) return true;
  const group = groups.find((g) => g.id === item.groupId)!;
  return group.id === key.group.id && group.tag === key.group.tag;
};
const groupOf = (item: Item) => groups.find((g) => g.id === item.groupId) ?? null;

/**
 * Keys built from nested selections and lists of entities: to reach one subgraph the gateway first has to
 * collect key parts from two others (sku from one, the group's tag from another).
 */
export const auditComplexEntityCallSuite: FederationSuite = {
  name: 'audit: nested and list keys collected from several subgraphs',
  subgraphs: {
    ranking: {
      typeDefs: `${link('@key', '@external', '@extends', '@shareable')}
        type Query { topItems: Ranking! }
        type Ranking @key(fields: "items { id }") { items: [Item!]! }
        type Item @extends @key(fields: "id") { id: String! @external group: Group @shareable }
        type Group @key(fields: "id") { mainItem: Item! @shareable id: String! tag: String @shareable }`,
      resolvers: {
        Query: { topItems: () => ({ items }) },
        Ranking: { __resolveReference: (key: { items: ItemKey[] }) => ({ items: items.filter((i) => key.items.some((k) => matches(i, k))) }) },
        Item: {
          __resolveReference: (key: ItemKey) => items.find((i) => matches(i, key)) ?? null,
          group: groupOf,
        },
        Group: {
          __resolveReference: (key: { id: string }) => groups.find((g) => g.id === key.id) ?? null,
          mainItem: (group: { mainItem: string }) => items.find((i) => i.id === group.mainItem),
        },
      },
    },
    skus: {
      typeDefs: `${link('@key')}
        type Item @key(fields: "id") @key(fields: "id sku") { id: String! sku: String! }`,
      resolvers: { Item: { __resolveReference: (key: ItemKey) => items.find((i) => matches(i, key)) ?? null } },
    },
    picks: {
      typeDefs: `${link('@key', '@shareable')}
        type Ranking @key(fields: "items { id sku }") { items: [Item!]! first: Item @shareable selected: Item @shareable }
        type Item @key(fields: "id sku") { id: String! sku: String }`,
      resolvers: {
        Ranking: {
          __resolveReference: (key: { items: ItemKey[] }) => {
            if (key.items.some((k) => k.sku === undefined)) throw new Error('Ranking key without items.sku');
            const found = items.filter((i) => key.items.some((k) => matches(i, k)));
            return { items: found, first: found[0], selected: found[1] };
          },
        },
        Item: { __resolveReference: (key: ItemKey) => items.find((i) => matches(i, key)) ?? null },
      },
    },
    costs: {
      typeDefs: `${link('@key', '@shareable')}
        type Ranking @key(fields: "items { id sku group { id tag } } selected { id }") { items: [Item!]! first: Item @shareable selected: Item @shareable }
        type Item @key(fields: "id sku group { id tag }") { id: String! cost: Cost sku: String group: Group }
        type Group @key(fields: "id tag") { id: String! tag: String }
        type Cost { amount: Float! }`,
      resolvers: {
        Item: {
          __resolveReference: (key: ItemKey) => {
            if (key.sku === undefined || key.group === undefined) throw new Error(`incomplete Item key ${JSON.stringify(key)}`);
            return items.find((i) => matches(i, key)) ?? null;
          },
          cost: (item: Item) => ({ amount: item.amount }),
          group: groupOf,
        },
        Group: { __resolveReference: (key: { id: string; tag: string }) => groups.find((g) => g.id === key.id && g.tag === key.tag) ?? null },
        Ranking: {
          __resolveReference: (key: { items: ItemKey[]; selected: { id: string } }) => {
            const found = items.filter((i) => key.items.some((k) => matches(i, k)));
            return { items: found, first: found[0], selected: items.find((i) => i.id === key.selected.id) };
          },
        },
      },
    },
  },
  cases: [
    {
      title: 'collects a key from three subgraphs (id, then sku, then the group\'s id and tag) to reach the fourth',
      query: `{ topItems {
        items { id sku cost { amount } group { mainItem { id } id tag } }
        selected { id }
        first { id }
      } }`,
      expected: {
        data: {
          topItems: {
            items: [
              { id: '1', sku: 's1', cost: { amount: 100 }, group: { mainItem: { id: '1' }, id: 'g1', tag: 't1' } },
              { id: '2', sku: 's2', cost: { amount: 200 }, group: { mainItem: { id: '2' }, id: 'g2', tag: 't2' } },
            ],
            selected: { id: '2' },
            first: { id: '1' },
          },
        },
      },
    },
    {
      title: 'reaches a field behind a composite nested key without the client selecting any of its parts',
      query: '{ topItems { items { cost { amount } } } }',
      expected: { data: { topItems: { items: [{ cost: { amount: 100 } }, { cost: { amount: 200 } }] } } },
    },
    {
      title: 'resolves an entity keyed by a list of entities whose key parts come from another subgraph',
      query: '{ topItems { first { id sku } selected { sku } } }',
      expected: { data: { topItems: { first: { id: '1', sku: 's1' }, selected: { sku: 's2' } } } },
    },
  ],
};
