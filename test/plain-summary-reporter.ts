import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, `N passed, N failed[, N skipped][, N unhandled errors]`, for CI to read.
 * Unhandled errors fail the run even when every test passed, so the line names them too.
 */
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown> = []) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      const tests = [...module.children.allTests()];
      if (module.state() === 'failed' && tests.length === 0) failed++; // the file failed to load
      for (const test of tests) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    const errors = unhandledErrors.length;
    const extra = `${skipped ? `, ${skipped} skipped` : ''}${errors ? `, ${errors} unhandled error${errors === 1 ? '' : 's'}` : ''}`;
    process.stdout.write(`${passed} passed, ${failed} failed${extra}\n`);
  }
}
