import { filterInternalFieldsAndTypes } from '@graphql-tools/federation';
import { GraphQLSchema } from 'graphql';

/** Federation directives that describe the supergraph for tooling (contracts) and are no part of the API. */
const SUPERGRAPH_ONLY_DIRECTIVES = new Set(['tag']);

/**
 * What clients may see of a graph holding federation subgraphs: no `_entities`, `join__*`/`link__*`
 * types, `@inaccessible` elements or `@tag` definitions, as in the API schema Apollo Router serves.
 */
export function publicFederationSchema(schema: GraphQLSchema): GraphQLSchema {
  const filtered = filterInternalFieldsAndTypes(schema);
  const config = filtered.toConfig();
  return new GraphQLSchema({ ...config, directives: config.directives.filter((d) => !SUPERGRAPH_ONLY_DIRECTIVES.has(d.name)) });
}
