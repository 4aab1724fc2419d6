export { federationPart, type FederationPartOptions } from './federation-part.js';
export type { FederationSubschemas } from './federation-subschemas.js';
export { parseSupergraph, readSupergraphFile, type ParsedSupergraph, type SupergraphSubgraph } from './parse-supergraph.js';
export { publicFederationSchema } from './public-federation-schema.js';
export { STITCHED_SUBGRAPH } from './stitched-subgraph.js';
