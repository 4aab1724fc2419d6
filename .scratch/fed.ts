import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { getStitchingOptionsFromSupergraphSdl } from '@graphql-tools/federation';
import { print } from 'graphql';
const a = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@authenticated", "@requiresScopes", "@policy"])
type User @key(fields: "id") { id: ID! name: String! email: String @authenticated salary: Int @requiresScopes(scopes: [["hr:read"]]) diary: String @policy(policies: [["selfPolicy"]]) }
type Query { user(id: ID!): User }`;
const b = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
type User @key(fields: "id") { id: ID! posts: [String!]! }
type Query { posts: [String!]! }`;
const r = composeServices([{ name: 'a', typeDefs: parse(a), url: 'http://a/graphql' }, { name: 'b', typeDefs: parse(b), url: 'http://b/graphql' }]);
if (compositionHasErrors(r)) { console.log(r.errors); process.exit(1); }
console.log(r.supergraphSdl.split('\n').filter(l => /authenticated|requiresScopes|policy|link/.test(l)).join('\n'));
const opts = getStitchingOptionsFromSupergraphSdl({ supergraphSdl: parse(r.supergraphSdl), onSubschemaConfig(c) { console.log('SUBSCHEMA', c.name, print(c.schema.getType('User')!.astNode!)); } });
import { printSchemaWithDirectives } from '@graphql-tools/utils';
getStitchingOptionsFromSupergraphSdl({ supergraphSdl: parse(r.supergraphSdl), onSubschemaConfig(c) { if (c.name === 'A') console.log(printSchemaWithDirectives(c.schema)); } });
