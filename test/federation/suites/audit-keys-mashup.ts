// Follows the federation-gateway-audit suite "keys-mashup".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const parts: Record<string, { id: string; pId: string; name: string; compositeId: { one: string; two: string; three: string } }> = {
  '1': { id: '1', pId: 'part-1', name: 'Hinge', compositeId: { one: '1-one', two: '1-two', three: '1-three' } },
  '2': { id: '2', pId: 'part-2', name: 'Bracket', compositeId: { one: '2-one', two: '2-two', three: '2-three' } },
};
const kits: Record<string, { id: string; parts: string[] }> = { k1: { id: 'k1', parts: ['1', '2'] } };

/**
 * Many keys, most of them not resolvable: the gateway must pick, per subgraph, the one key that subgraph can
 * resolve (a plain id in one, "id compositeId { two three }" in the other) and send it with the required field.
 */
export const auditKeysMashupSuite: FederationSuite = {
  name: 'audit: a mix of resolvable and non-resolvable keys',
  subgraphs: {
    parts: {
      typeDefs: `${link('@key')}
        type Part
          @key(fields: "id", resolvable: true)
          @key(fields: "pId", resolvable: false)
          @key(fields: "compositeId { one two }", resolvable: false)
          @key(fields: "id compositeId { two three }", resolvable: false) {
          id: ID!
          pId: ID!
          compositeId: CompositeID!
          name: String!
        }
        type CompositeID { one: ID! two: ID! three: ID! }`,
      resolvers: {
        Part: {
          __resolveReference: (ref: { id?: string }) => {
            if (ref.id === undefined) throw new Error(`only the id key is resolvable here, got ${JSON.stringify(ref)}`);
            return parts[ref.id] ?? null;
          },
        },
      },
    },
    kits: {
      typeDefs: `${link('@key', '@requires', '@external')}
        type Query { kit: Kit }
        type Kit @key(fields: "id") { id: ID! parts: [Part!]! }
        type Part
          @key(fields: "compositeId { one two }", resolvable: false)
          @key(fields: "id compositeId { two three }", resolvable: true)
          @key(fields: "pId", resolvable: false)
          @key(fields: "id", resolvable: false) {
          id: ID!
          pId: ID!
          compositeId: CompositeID!
          name: String! @external
          label: String! @requires(fields: "name")
        }
        type CompositeID { one: ID! two: ID! three: ID! }`,
      resolvers: {
        Query: { kit: () => kits['k1'] },
        Kit: {
          __resolveReference: (ref: { id: string }) => kits[ref.id] ?? null,
          parts: (kit: { parts: string[] }) => kit.parts.map((id) => {
            const { name: _name, ...withoutName } = parts[id]!;
            return withoutName;
          }),
        },
        Part: {
          __resolveReference: (ref: { id?: string; compositeId?: { two?: string; three?: string }; name?: string }) => {
            const part = ref.id === undefined ? undefined : parts[ref.id];
            // Only the composite key is resolvable here: insist on its parts.
            if (!part || ref.compositeId?.two !== part.compositeId.two || ref.compositeId?.three !== part.compositeId.three) {
              throw new Error(`expected the "id compositeId { two three }" key, got ${JSON.stringify(ref)}`);
            }
            const { name: _name, ...withoutName } = part;
            return { ...withoutName, name: ref.name };
          },
          label: (p: { name?: string }) => {
            if (!p.name) throw new Error('Part.name was not sent');
            return `kit part: ${p.name}`;
          },
        },
      },
    },
  },
  cases: [
    {
      title: 'fetches a field by the only resolvable key, then sends it back with the other subgraph\'s composite key',
      query: '{ kit { id parts { id name label } } }',
      expected: {
        data: { kit: { id: 'k1', parts: [{ id: '1', name: 'Hinge', label: 'kit part: Hinge' }, { id: '2', name: 'Bracket', label: 'kit part: Bracket' }] } },
      },
    },
    {
      title: 'resolves the @requires field alone, without the client asking for the required one',
      query: '{ kit { parts { label compositeId { one } } } }',
      expected: { data: { kit: { parts: [{ label: 'kit part: Hinge', compositeId: { one: '1-one' } }, { label: 'kit part: Bracket', compositeId: { one: '2-one' } }] } } },
    },
  ],
};
