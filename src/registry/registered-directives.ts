import { stitchingDirectives } from '@graphql-tools/stitching-directives';
import { parse, type DocumentNode } from 'graphql';

/**
 * The directives a team may use in a registered SDL. They are added by the gateway, so a registered
 * schema does not have to declare them (it may, identically).
 */
export const stitching = stitchingDirectives();

/** REST mapping: see README "Registering a REST service". Arguments are plain strings so no helper types leak into the graph. */
export const restDirectiveTypeDefs = /* GraphQL */ `
  "Resolve this field with an HTTP call to the service."
  directive @http(
    method: String = "GET"
    "Path below the endpoint URL; {args.x} and {parent.x} placeholders are URL-encoded."
    path: String!
    "Query string template, e.g. \\"limit={args.first}&tag={args.tag}\\"; empty parameters are dropped."
    query: String
    "JSON body: a placeholder such as \\"{args.input}\\"."
    body: String
    "Dotted path of the value to return inside the JSON response."
    select: String
    "Batch this field across parents: one query parameter collecting keys, e.g. \\"userIds={parent.id}\\"."
    batch: String
    "With batch: the response item field that names the key an item belongs to."
    matchBy: String
  ) on FIELD_DEFINITION
  "Read the field from another (dotted) property of the JSON object."
  directive @json(path: String!) on FIELD_DEFINITION
  "The field is an entity reference: build it from the parent's property \`from\` as the entity's key \`field\`."
  directive @ref(from: String!, field: String = "id") on FIELD_DEFINITION
`;

/**
 * Authorization (enforced by src/authz; README "Authorization"). On a type they apply to the fields
 * returning it and to the fields this SDL defines on it.
 */
export const authorizationDirectiveTypeDefs = /* GraphQL */ `
  "Only a verified viewer (any valid token) may read it."
  directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
  "The token must carry every scope of at least one list: [[\\"a\\", \\"b\\"], [\\"c\\"]] is (a and b) or c."
  directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
  "The viewer must have at least one of these roles."
  directive @hasRole(roles: [String!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
  "A named policy of the gateway configuration (authz.policies) must allow it; repeat for several."
  directive @policy(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
`;

export const registeredDirectiveNames = new Set([
  'key', 'merge', 'computed', 'canonical', 'http', 'json', 'ref', 'authenticated', 'requiresScopes', 'hasRole', 'policy',
]);

const definitionsDocument: DocumentNode = parse(`${stitching.allStitchingDirectivesTypeDefs}\n${restDirectiveTypeDefs}\n${authorizationDirectiveTypeDefs}`);

/** Directive definitions to add in front of a registered SDL, minus those it declares itself. */
export function directiveDefinitionsFor(document: DocumentNode): DocumentNode {
  const declared = new Set(
    document.definitions.flatMap((d) => (d.kind === 'DirectiveDefinition' ? [d.name.value] : [])),
  );
  return {
    kind: definitionsDocument.kind,
    definitions: definitionsDocument.definitions.filter(
      (d) => !(d.kind === 'DirectiveDefinition' && declared.has(d.name.value)),
    ),
  };
}
