import type { FederationSuite } from '../harness/suite.js';
import { abstractTypesSuite } from './abstract-types.js';
import { batchingSuite } from './batching.js';
import { composeDirectiveSuite } from './compose-directive.js';
import { deferSuite } from './defer.js';
import { errorPropagationSuite } from './errors.js';
import { inaccessibleSuite } from './inaccessible.js';
import { interfaceObjectSuite } from './interface-object.js';
import { keysSuite } from './keys.js';
import { malformedSuite } from './malformed.js';
import { overrideSuite } from './override.js';
import { providesSuite } from './provides.js';
import { requiresSuite } from './requires.js';
import { shareableSuite } from './shareable.js';
import { tagSuite } from './tag.js';

/** All suites, in the order they are reported. A second engine runs the same list. */
export const federationSuites: FederationSuite[] = [
  keysSuite, requiresSuite, providesSuite, shareableSuite, overrideSuite, inaccessibleSuite, tagSuite,
  interfaceObjectSuite, composeDirectiveSuite, abstractTypesSuite, errorPropagationSuite, deferSuite, batchingSuite, malformedSuite,
];
