import { graphqlToolsEngine, junctionEngine } from './harness/engine.js';
import { describeFederationSuite } from './harness/run-suite.js';
import { federationSuites } from './suites/index.js';

// Every Federation v2 directive and feature, each with its own small real subgraphs on port 0,
// through both execution engines: the query planner (default) and graphql-tools.
for (const engine of [junctionEngine, graphqlToolsEngine]) {
  for (const suite of federationSuites) describeFederationSuite(suite, engine);
}
