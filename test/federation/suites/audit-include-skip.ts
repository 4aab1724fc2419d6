// Follows the federation-gateway-audit suite "include-skip".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const product = { id: 'p1', price: 699.99 };

const requireFlag = (p: { isExpensive?: unknown }) => {
  if (typeof p.isExpensive !== 'boolean') throw new Error('isExpensive was not sent');
  return true;
};
const mustNotRun = (field: string) => () => {
  throw new Error(`${field} was excluded by @include/@skip and must not be resolved`);
};

/** @include / @skip with variables on fields that sit at the end of a @requires chain across three subgraphs. */
export const auditIncludeSkipSuite: FederationSuite = {
  name: 'audit: @include and @skip across subgraphs',
  subgraphs: {
    store: {
      typeDefs: `${link('@key')}
        type Query { product: Product }
        type Product @key(fields: "id") { id: ID! price: Float! }`,
      resolvers: {
        Query: { product: () => product },
        Product: { __resolveReference: (ref: { id: string }) => (ref.id === product.id ? product : null) },
      },
    },
    pricing: {
      typeDefs: `${link('@key', '@external', '@requires')}
        type Product @key(fields: "id") { id: ID! price: Float! @external isExpensive: Boolean! @requires(fields: "price") }`,
      resolvers: {
        Product: {
          __resolveReference: (ref: unknown) => ref,
          isExpensive: (p: { price?: number }) => {
            if (typeof p.price !== 'number') throw new Error('price was not sent');
            return p.price > 500;
          },
        },
      },
    },
    flags: {
      typeDefs: `${link('@key', '@external', '@requires')}
        type Product @key(fields: "id") {
          id: ID!
          isExpensive: Boolean! @external
          include: Boolean! @requires(fields: "isExpensive")
          skip: Boolean! @requires(fields: "isExpensive")
          neverCalledInclude: Boolean! @requires(fields: "isExpensive")
          neverCalledSkip: Boolean! @requires(fields: "isExpensive")
        }`,
      resolvers: {
        Product: {
          __resolveReference: (ref: unknown) => ref,
          include: requireFlag,
          skip: requireFlag,
          neverCalledInclude: mustNotRun('neverCalledInclude'),
          neverCalledSkip: mustNotRun('neverCalledSkip'),
        },
      },
    },
  },
  cases: [
    {
      title: 'leaves out a field under @include(if: false) given by a variable\'s default value',
      query: 'query ($bool: Boolean = false) { product { price neverCalledInclude @include(if: $bool) } }',
      expected: { data: { product: { price: 699.99 } } },
    },
    {
      title: 'leaves out a field under @skip(if: true) given by a variable\'s default value',
      query: 'query ($bool: Boolean = true) { product { price neverCalledSkip @skip(if: $bool) } }',
      expected: { data: { product: { price: 699.99 } } },
    },
    {
      title: 'resolves a field under @include(if: true) through the whole @requires chain',
      query: 'query ($bool: Boolean = true) { product { price include @include(if: $bool) } }',
      expected: { data: { product: { price: 699.99, include: true } } },
    },
    {
      title: 'resolves a field under @skip(if: false) through the whole @requires chain',
      query: 'query ($bool: Boolean = false) { product { price skip @skip(if: $bool) } }',
      expected: { data: { product: { price: 699.99, skip: true } } },
    },
    {
      title: 'honours variable values sent with the request over the defaults',
      query: 'query ($yes: Boolean = false, $no: Boolean = true) { product { include @include(if: $yes) neverCalledInclude @include(if: $no) skip @skip(if: $no) neverCalledSkip @skip(if: $yes) } }',
      variables: { yes: true, no: false },
      expected: { data: { product: { include: true, skip: true } } },
    },
    {
      title: 'applies @include on an inline fragment and @skip on a named fragment spread',
      query: `query ($on: Boolean!, $off: Boolean!) { product { id ... @include(if: $on) { include } ...Never @skip(if: $on) ... @include(if: $off) { neverCalledInclude } } }
        fragment Never on Product { neverCalledSkip }`,
      variables: { on: true, off: false },
      expected: { data: { product: { id: 'p1', include: true } } },
    },
    {
      title: 'keeps a field that one selection includes even when another selection of it is skipped',
      query: 'query ($bool: Boolean!) { product { include @skip(if: $bool) ... on Product { include } } }',
      variables: { bool: true },
      expected: { data: { product: { include: true } } },
    },
    {
      title: 'skips a whole root field by a variable',
      query: 'query ($bool: Boolean!) { product @skip(if: $bool) { neverCalledSkip } }',
      variables: { bool: true },
      expected: { data: {} },
    },
  ],
};
