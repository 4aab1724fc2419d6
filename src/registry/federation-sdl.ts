import {
  buildASTSchema, type GraphQLError, Kind, parse, visit, type DefinitionNode, type DocumentNode, type GraphQLSchema,
} from 'graphql';
import type { Problem } from '../shared/errors.js';

const SPECIFIED_SCALARS = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);
const EXTENSION_TO_DEFINITION: Partial<Record<Kind, Kind>> = {
  [Kind.OBJECT_TYPE_EXTENSION]: Kind.OBJECT_TYPE_DEFINITION,
  [Kind.INTERFACE_TYPE_EXTENSION]: Kind.INTERFACE_TYPE_DEFINITION,
  [Kind.UNION_TYPE_EXTENSION]: Kind.UNION_TYPE_DEFINITION,
  [Kind.ENUM_TYPE_EXTENSION]: Kind.ENUM_TYPE_DEFINITION,
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: Kind.INPUT_OBJECT_TYPE_DEFINITION,
  [Kind.SCALAR_TYPE_EXTENSION]: Kind.SCALAR_TYPE_DEFINITION,
};

/**
 * Reads the SDL of a `kind: federation` service. Federation SDL is validated by composition (which
 * knows `@link`, `@key(fields:)`, fed1 `extend type` and the rest), so only syntax is checked here.
 * `typeDefs` is the subgraph SDL as written; `schema` is a best-effort view of the subgraph's own
 * types for tools that inspect service schemas: federation directives stay on the AST nodes only.
 */
export function readFederationSdl(text: string, file: string): { schema: GraphQLSchema; typeDefs: DocumentNode } | { problems: Problem[] } {
  let typeDefs: DocumentNode;
  try {
    typeDefs = parse(text);
  } catch (error) {
    const location = (error as GraphQLError).locations?.[0];
    const message = (error as Error).message.replace(/^Syntax Error: /, '');
    return { problems: [{ file, line: location?.line, column: location?.column, message: `SDL syntax error: ${message}` }] };
  }
  try {
    return { typeDefs, schema: buildASTSchema(lenientDocument(typeDefs), { assumeValidSDL: true }) };
  } catch (error) {
    return { problems: [{ file, message: `invalid SDL: ${(error as Error).message}` }] };
  }
}

/** Fed1 `extend type X` of a type defined elsewhere becomes a definition; federation scalars (`_Any`, `FieldSet`, ...) are declared. */
function lenientDocument(document: DocumentNode): DocumentNode {
  const defined = new Set(document.definitions.flatMap((d) => ('name' in d && d.name && !d.kind.endsWith('Extension') ? [d.name.value] : [])));
  const converted = new Set<string>();
  const definitions: DefinitionNode[] = document.definitions.map((d) => {
    const kind = EXTENSION_TO_DEFINITION[d.kind];
    if (!kind || !('name' in d) || !d.name || defined.has(d.name.value) || converted.has(d.name.value)) return d;
    converted.add(d.name.value);
    return { ...d, kind } as DefinitionNode;
  });
  const referenced = new Set<string>();
  visit(document, { NamedType: (node) => void referenced.add(node.name.value) });
  for (const name of referenced) {
    if (SPECIFIED_SCALARS.has(name) || defined.has(name) || converted.has(name)) continue;
    definitions.push({ kind: Kind.SCALAR_TYPE_DEFINITION, name: { kind: Kind.NAME, value: name } });
  }
  return { kind: Kind.DOCUMENT, definitions };
}
