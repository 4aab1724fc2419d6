/** Runs the CLI from source (tests must not depend on a stale dist/ build). */
export const CLI = [process.execPath, '--import', 'tsx', new URL('../../src/cli.ts', import.meta.url).pathname];
