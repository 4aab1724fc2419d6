// Follows the federation-gateway-audit suite "requires-with-argument".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const products = [
  { upc: 'lamp', name: 'Desk lamp', usd: 12, weight: 3 },
  { upc: 'rug', name: 'Wool rug', usd: 40, weight: 5 },
];
// A price in another currency differs, so a gateway that drops or mixes up the argument gives a visibly wrong estimate.
const rate: Record<string, number> = { USD: 1, EUR: 2 };

const posts = ['p1', 'p2'];
const comments = [
  { id: 'c1', postId: 'p1', authorId: 'a1' },
  { id: 'c2', postId: 'p1', authorId: 'a2' },
  { id: 'c3', postId: 'p1', authorId: 'a3' },
  { id: 'c4', postId: 'p1', authorId: 'a1' },
  { id: 'c5', postId: 'p2', authorId: 'a2' },
  { id: 'c6', postId: 'p2', authorId: 'a2' },
  { id: 'c7', postId: 'p2', authorId: 'a1' },
];
const commentsOf = (postId: string, limit: number) => comments.filter((c) => c.postId === postId).slice(0, limit);

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`${what} was not sent`);
  return value;
};

/** @requires whose selection passes arguments, also when the client selects the same field with other arguments. */
export const auditRequiresWithArgumentSuite: FederationSuite = {
  name: 'audit: @requires with arguments',
  subgraphs: {
    catalog: {
      typeDefs: `${link('@key')}
        type Query { products: [Product] }
        type Product @key(fields: "upc") { upc: String! name: String price(currency: String!): Int weight: Int }`,
      resolvers: {
        Query: { products: () => products },
        Product: {
          __resolveReference: (ref: { upc: string }) => products.find((p) => p.upc === ref.upc) ?? null,
          price: (p: { usd: number }, args: { currency: string }) => p.usd * need(rate[args.currency], `rate for ${args.currency}`),
        },
      },
    },
    shipping: {
      typeDefs: `${link('@key', '@external', '@requires')}
        type Product @key(fields: "upc") {
          upc: String!
          weight: Int @external
          price(currency: String!): Int @external
          shippingEstimate: Int @requires(fields: "price(currency: \\"USD\\") weight")
        }`,
      resolvers: {
        Product: {
          __resolveReference: (ref: unknown) => ref,
          shippingEstimate: (ref: { price?: number; weight?: number }) => need(ref.price, 'price') * need(ref.weight, 'weight') * 10,
        },
      },
    },
    feed: {
      typeDefs: `${link('@key')}
        type Query { feed: [Post] }
        type Post @key(fields: "id") { id: ID! }
        type Comment @key(fields: "id") { id: ID! authorId: ID body: String! }`,
      resolvers: {
        Query: { feed: () => posts.map((id) => ({ id })) },
        Comment: {
          __resolveReference: (ref: { id: string }) => {
            const comment = comments.find((c) => c.id === ref.id);
            return comment ? { ...comment, body: `comment ${comment.id}` } : null;
          },
        },
      },
    },
    threads: {
      // Post.author needs the authors of the first three comments, which only the feed subgraph knows.
      typeDefs: `${link('@key', '@external', '@requires')}
        type Post @key(fields: "id") {
          id: ID!
          comments(limit: Int!): [Comment]
          author: Author @requires(fields: "comments(limit: 3) { authorId }")
        }
        type Comment @key(fields: "id") { id: ID! authorId: ID @external }
        type Author { id: ID! name: String }`,
      resolvers: {
        Post: {
          __resolveReference: (ref: unknown) => ref,
          comments: (post: { id: string }, args: { limit: number }) => commentsOf(post.id, args.limit).map((c) => ({ id: c.id })),
          author: (post: { comments?: Array<{ authorId: string }> }) => {
            const sent = need(post.comments, 'comments(limit: 3)');
            // The requirement asked for three; any other count means the client's arguments leaked into it.
            if (sent.length !== 3) throw new Error(`expected 3 required comments, got ${sent.length}`);
            const id = need(sent[2]?.authorId, 'comments.authorId');
            return { id, name: `Author ${id}` };
          },
        },
        Comment: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
      },
    },
  },
  cases: [
    {
      title: 'sends the required field computed with the argument written in @requires',
      query: '{ products { upc name shippingEstimate } }',
      expected: { data: { products: [{ upc: 'lamp', name: 'Desk lamp', shippingEstimate: 360 }, { upc: 'rug', name: 'Wool rug', shippingEstimate: 2000 }] } },
    },
    {
      title: 'answers the client\'s own arguments on a field that @requires also selects with different ones',
      query: '{ products { price(currency: "EUR") shippingEstimate } }',
      expected: { data: { products: [{ price: 24, shippingEstimate: 360 }, { price: 80, shippingEstimate: 2000 }] } },
    },
    {
      title: 'resolves a @requires on a list field with arguments whose items come from another subgraph',
      query: '{ feed { author { id } } }',
      expected: { data: { feed: [{ author: { id: 'a3' } }, { author: { id: 'a1' } }] } },
    },
    {
      title: 'keeps the client\'s comments(limit: 1) apart from the required comments(limit: 3)',
      query: '{ feed { author { id name } comments(limit: 1) { id } } }',
      expected: {
        data: {
          feed: [
            { author: { id: 'a3', name: 'Author a3' }, comments: [{ id: 'c1' }] },
            { author: { id: 'a1', name: 'Author a1' }, comments: [{ id: 'c5' }] },
          ],
        },
      },
    },
    {
      title: 'keeps a variable argument apart from the required literal one, through a default value',
      query: 'query ($limit: Int = 1) { feed { author { id } comments(limit: $limit) { id } } }',
      expected: { data: { feed: [{ author: { id: 'a3' }, comments: [{ id: 'c1' }] }, { author: { id: 'a1' }, comments: [{ id: 'c5' }] }] } },
    },
    {
      title: 'merges the same argumented field selected by two fragments and still keeps it apart from the requirement',
      query: `query ($limit: Int = 1) { feed { author { id } ...First ...Again } }
        fragment First on Post { comments(limit: $limit) { id } }
        fragment Again on Post { comments(limit: $limit) { id } }`,
      expected: { data: { feed: [{ author: { id: 'a3' }, comments: [{ id: 'c1' }] }, { author: { id: 'a1' }, comments: [{ id: 'c5' }] }] } },
    },
    {
      title: 'returns the @requires field when the entity key is selected before it',
      knownFailure: { engines: ['query planner', 'graphql-tools'], reason: 'graphql-tools drops a @requires field with arguments when the key is selected before it' },
      query: '{ feed { id author { id } } }',
      expected: { data: { feed: [{ id: 'p1', author: { id: 'a3' } }, { id: 'p2', author: { id: 'a1' } }] } },
    },
    {
      title: 'passes the required comments with their authors when the client asks for those authors too',
      knownFailure: { engines: ['query planner', 'graphql-tools'], reason: 'graphql-tools drops a @requires field with arguments when the key is selected before it' },
      query: 'query ($limit: Int!) { feed { id comments(limit: $limit) { id authorId } author { id } } }',
      variables: { limit: 2 },
      expected: {
        data: {
          feed: [
            { id: 'p1', comments: [{ id: 'c1', authorId: 'a1' }, { id: 'c2', authorId: 'a2' }], author: { id: 'a3' } },
            { id: 'p2', comments: [{ id: 'c5', authorId: 'a2' }, { id: 'c6', authorId: 'a2' }], author: { id: 'a1' } },
          ],
        },
      },
    },
  ],
};
