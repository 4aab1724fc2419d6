import { junctionEngine } from './harness/engine.js';
import { describeFederationSuite } from './harness/run-suite.js';
import { federationSuites } from './suites/index.js';

// Every Federation v2 directive and feature, each with its own small real subgraphs on port 0.
for (const suite of federationSuites) describeFederationSuite(suite, junctionEngine);
