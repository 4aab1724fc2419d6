import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships both index.js (CJS, what Node and every @graphql-tools package load) and
    // index.mjs (what Vite would pick). Two copies break `instanceof` checks, so tests use Node's.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real servers; two cores, so at most two files at once.
    maxWorkers: 2,
    pool: 'forks',
  },
});
