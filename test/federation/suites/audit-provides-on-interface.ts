// Follows the federation-gateway-audit suite "provides-on-interface".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const animals = [
  { __typename: 'Dog', id: 'a1', name: 'Fido', age: 4 },
  { __typename: 'Cat', id: 'a2', name: 'Whiskers', age: 6 },
];
const book = { __typename: 'Book', id: 'm1', animals: ['a1', 'a2'] };
const byTypename = (o: { __typename: string }) => o.__typename;
const animal = (id: string) => animals.find((a) => a.id === id) ?? null;

/** @provides through interface-typed fields: the providing subgraph answers `animals { id name }` itself; other fields need the owner. */
export const auditProvidesOnInterfaceSuite: FederationSuite = {
  name: 'audit: @provides on interface-typed fields',
  subgraphs: {
    shelf: {
      typeDefs: `${link('@key', '@shareable', '@provides', '@external')}
        type Query { media: Media @shareable @provides(fields: "animals { id name }") }
        interface Media { id: ID! animals: [Animal] }
        interface Animal { id: ID! name: String }
        type Book implements Media { id: ID! @shareable animals: [Animal] @external }
        type Dog implements Animal { id: ID! @external name: String @external }
        type Cat implements Animal { id: ID! @external name: String @external }`,
      resolvers: {
        Query: { media: () => ({ __typename: 'Book', id: book.id, animals: book.animals.map((id) => ({ ...animal(id), age: undefined })) }) },
        Media: { __resolveType: byTypename },
        Animal: { __resolveType: byTypename },
      },
    },
    zoo: {
      typeDefs: `${link('@key', '@shareable')}
        interface Media { id: ID! animals: [Animal] }
        interface Animal { id: ID! name: String }
        type Book implements Media @key(fields: "id") { id: ID! animals: [Animal] @shareable }
        type Dog implements Animal @key(fields: "id") { id: ID! name: String @shareable age: Int }
        type Cat implements Animal @key(fields: "id") { id: ID! name: String @shareable age: Int }`,
      resolvers: {
        Media: { __resolveType: byTypename },
        Animal: { __resolveType: byTypename },
        Book: {
          __resolveReference: (ref: { id: string }) => (ref.id === book.id ? book : null),
          animals: (b: { animals: string[] }) => b.animals.map(animal),
        },
        Dog: { __resolveReference: (ref: { id: string }) => animal(ref.id) },
        Cat: { __resolveReference: (ref: { id: string }) => animal(ref.id) },
      },
    },
  },
  cases: [
    {
      title: 'serves provided fields of interface-typed list items from the providing subgraph alone',
      query: '{ media { id animals { id name } } }',
      expected: { data: { media: { id: 'm1', animals: [{ id: 'a1', name: 'Fido' }, { id: 'a2', name: 'Whiskers' }] } } },
      calls: { shelf: 1, zoo: 0 },
    },
    {
      title: 'fetches a field that is not provided, for one implementation only, from the owner',
      query: '{ media { id animals { id name ... on Cat { age } } } }',
      expected: { data: { media: { id: 'm1', animals: [{ id: 'a1', name: 'Fido' }, { id: 'a2', name: 'Whiskers', age: 6 }] } } },
    },
    {
      title: 'fetches a field that is not provided for every implementation through the interface',
      query: '{ media { animals { __typename name ... on Dog { age } ... on Cat { age } } } }',
      expected: { data: { media: { animals: [{ __typename: 'Dog', name: 'Fido', age: 4 }, { __typename: 'Cat', name: 'Whiskers', age: 6 }] } } },
    },
  ],
};
