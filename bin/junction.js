#!/usr/bin/env node
// The installed CLI runs the compiled JavaScript in dist/ (built by `npm run build`, which npm runs
// on install via the `prepare` script). From a checkout, `npm run junction -- ...` runs the sources.

// graphql-js does costly development-only checks unless told it runs in production.
process.env.NODE_ENV ??= 'production';
try {
  await import('../dist/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.js')) throw error;
  process.stderr.write('junction: dist/ is missing; run `npm run build` first.\n');
  process.exitCode = 1;
}
