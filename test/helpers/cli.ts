/**
 * Runs the CLI from source (tests must not depend on a stale dist/ build). The tsx loader is given
 * by absolute URL so the CLI can run from any working directory.
 */
export const CLI = [process.execPath, '--import', import.meta.resolve('tsx'), new URL('../../src/cli.ts', import.meta.url).pathname];
