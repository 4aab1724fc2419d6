import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import type { GraphQLError } from 'graphql';
import type { ServiceDefinition } from '../../registry/index.js';
import { ErrorCode, JunctionError, type Problem } from '../../shared/errors.js';
import { STITCHED_SUBGRAPH, stitchedSubgraphSdl } from './stitched-subgraph.js';

/**
 * Composes the registry's `kind: federation` services into a supergraph SDL, together with what the
 * stitched services contribute to the types they share (see stitchedSubgraphSdl). Throws a
 * JunctionError naming the subgraph's schema file and the type for every composition error.
 */
export function composeSubgraphs(federation: readonly ServiceDefinition[], stitched: readonly ServiceDefinition[]): string {
  const stitchedSdl = stitchedSubgraphSdl(federation, stitched);
  const result = composeServices([
    // The URL is only written into the supergraph; calls go through each service's balanced fetcher.
    ...federation.map((s) => ({ name: s.name, typeDefs: s.typeDefs, url: s.endpoints[0]?.url })),
    ...(stitchedSdl ? [{ name: STITCHED_SUBGRAPH, typeDefs: stitchedSdl, url: 'http://stitched.invalid/graphql' }] : []),
  ]);
  if (compositionHasErrors(result)) {
    throw new JunctionError(
      ErrorCode.COMPOSITION_FAILED,
      'The federation subgraphs cannot be composed into a supergraph',
      result.errors.map((error) => compositionProblem(error, federation, stitched)),
    );
  }
  return result.supergraphSdl;
}

/** Points a composition error at the files of the subgraphs (and stitched services) it names. */
function compositionProblem(error: GraphQLError, federation: readonly ServiceDefinition[], stitched: readonly ServiceDefinition[]): Problem {
  const named = (name: string) => error.message.includes(`"${name}"`) || error.message.includes(`[${name}]`);
  const files = federation.filter((s) => named(s.name)).map((s) => s.schemaFile);
  if (named(STITCHED_SUBGRAPH)) files.push(...stitched.filter((s) => definesNamedElement(s, error.message)).map((s) => s.schemaFile));
  const code = typeof error.extensions?.['code'] === 'string' ? `${error.extensions['code']}: ` : '';
  const message = error.message
    .replaceAll(`subgraph "${STITCHED_SUBGRAPH}"`, 'the stitched services')
    .replaceAll(`"${STITCHED_SUBGRAPH}"`, '"(stitched services)"')
    .replaceAll(`[${STITCHED_SUBGRAPH}]`, '[stitched services]');
  // A location is only meaningful when the error is about exactly one subgraph's file.
  const location = files.length === 1 && /^\[[^\]]+\]/.test(error.message) ? error.locations?.[0] : undefined;
  return { file: files.length ? [...new Set(files)].join(', ') : '(registry)', line: location?.line, column: location?.column, message: `${code}${message}` };
}

/** Whether a stitched service defines a field ("Type.field") or, for bare type names ("Type"), the type the message names. */
function definesNamedElement(service: ServiceDefinition, message: string): boolean {
  return [...message.matchAll(/"([A-Za-z_]\w*)(?:\.(\w+))?"/g)].some(([, typeName, fieldName]) => {
    const type = service.schema.getType(typeName!);
    if (!type || !fieldName) return Boolean(type);
    return 'getFields' in type && Boolean(type.getFields()[fieldName]);
  });
}
