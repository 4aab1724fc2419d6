import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineInstance, FederationEngine } from './engine.js';
import { startSubgraphs, type RunningSubgraphs } from './subgraphs.js';
import type { ExpectedError, FederationSuite } from './suite.js';

/** Declares one vitest `describe` per suite: subgraphs and gateway started once, one `it` per case. */
export function describeFederationSuite(suite: FederationSuite, engine: FederationEngine): void {
  describe(`${suite.name} [${engine.name}]`, () => {
    let subgraphs: RunningSubgraphs;
    let gateway: EngineInstance;
    beforeAll(async () => {
      subgraphs = await startSubgraphs(suite.subgraphs);
      gateway = await engine.start({ supergraphSdl: subgraphs.supergraphSdl, options: suite.gateway });
    });
    afterAll(async () => {
      await gateway?.[Symbol.asyncDispose]();
      await subgraphs?.[Symbol.asyncDispose]();
    });

    if (suite.supergraphContains?.length) {
      it(`keeps ${suite.supergraphContains.join(', ')} in the composed supergraph`, () => {
        for (const text of suite.supergraphContains!) expect(subgraphs.supergraphSdl).toContain(text);
      });
    }

    for (const testCase of suite.cases) {
      const known = testCase.knownFailure?.engines.includes(engine.id) ? testCase.knownFailure : undefined;
      it(known ? `${testCase.title} (known failure: ${known.reason})` : testCase.title, async () => {
        for (const subgraph of Object.values(subgraphs.byName)) {
          const mode = testCase.subgraphModes?.[subgraph.name];
          subgraph.setMode(typeof mode === 'string' ? mode : undefined);
          subgraph.mock.setFault(typeof mode === 'object' ? mode.fault : 'ok');
        }
        subgraphs.resetCounts();
        try {
          // A crash, timeout or HTTP failure fails every case, known failures included.
          const { body } = await gateway.query(testCase.query, testCase.variables);
          const check = () => {
            expect(body.data).toEqual(testCase.expected.data);
            expectErrors(body.errors, testCase.expected.errors);
            if (testCase.calls) {
              const counts = subgraphs.counts();
              expect(Object.fromEntries(Object.keys(testCase.calls).map((name) => [name, counts[name]]))).toEqual(testCase.calls);
            }
          };
          if (!known) return check();
          // A known failure must still be this case's answer being wrong, and nothing else.
          expect(assertionFailureOf(check), 'this known failure now passes: remove its knownFailure marker').toBeDefined();
        } finally {
          for (const subgraph of Object.values(subgraphs.byName)) {
            subgraph.setMode(undefined);
            subgraph.mock.setFault('ok');
          }
        }
      });
    }
  });
}

/** The assertion error `check` throws, if it throws one; any other error propagates. */
function assertionFailureOf(check: () => void): Error | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (error instanceof Error && error.name === 'AssertionError') return error;
    throw error;
  }
}

function expectErrors(actual: Array<{ message: string; extensions?: Record<string, unknown> }> | undefined, expected: ExpectedError[] | undefined): void {
  if (!expected) {
    expect(actual).toBeUndefined();
    return;
  }
  expect(actual?.length ?? 0).toBeGreaterThan(0);
  for (const want of expected) {
    const found = actual!.some(
      (error) =>
        (want.message === undefined || (typeof want.message === 'string' ? error.message === want.message : want.message.test(error.message))) &&
        (want.code === undefined || error.extensions?.['code'] === want.code) &&
        (want.service === undefined || error.extensions?.['service'] === want.service),
    );
    expect(found, `no error matches ${JSON.stringify({ ...want, message: String(want.message) })} in ${JSON.stringify(actual)}`).toBe(true);
  }
}
