/**
 * `npm run bench [scenario ...]`: runs the benchmark scenarios (all by default); each writes
 * bench/results/<scenario>.md, and bench/RESULTS.md gathers them. Servers under test are pinned to CPU 1; mocks and the load generator (this
 * process) to CPU 0. Every scenario measures against a baseline in the same run and reports ratios.
 *
 * BENCH_DURATION (s per round, default 8), BENCH_ROUNDS (default 2), BENCH_CONNECTIONS (default 16).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { pinningAvailable } from './lib/processes.js';
import { federationBenchmark } from './scenarios/federation.js';
import { balancingFailover } from './scenarios/balancing-failover.js';
import { balancingOverhead } from './scenarios/balancing.js';
import { authTokens } from './scenarios/auth-tokens.js';
import { authzOverhead } from './scenarios/authz.js';
import { stitchedVsMonolith } from './scenarios/stitched-vs-monolith.js';
import { telemetryOnVsOff } from './scenarios/telemetry.js';

/** Scenario name -> a function producing one markdown section. Later issues add theirs here. */
const scenarios: Record<string, () => Promise<string>> = {
  stitched: stitchedVsMonolith,
  federation: federationBenchmark,
  balancing: balancingOverhead,
  'balancing-failover': balancingFailover,
  auth: authTokens,
  telemetry: telemetryOnVsOff,
  authz: authzOverhead,
};

const resultsDir = new URL('results/', import.meta.url);

async function main() {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !scenarios[name]);
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}`);
  if (pinningAvailable) execFileSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' });
  const sections: string[] = [];
  for (const [name, run] of Object.entries(scenarios)) {
    if (wanted.length && !wanted.includes(name)) continue;
    process.stdout.write(`scenario ${name}\n`);
    const section = await run();
    process.stdout.write(`\n${section}\n\n`);
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(new URL(`${name}.md`, resultsDir), `${section}\n\nMeasured ${new Date().toISOString().slice(0, 10)}.\n`);
  }
  // RESULTS.md gathers the latest result of every scenario, so running one scenario updates only its part.
  for (const name of Object.keys(scenarios)) {
    const file = new URL(`${name}.md`, resultsDir);
    if (existsSync(file)) sections.push(readFileSync(file, 'utf8').trim());
  }
  const header = [
    '# Benchmark results',
    '',
    `Produced by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}.`,
    `Servers under test pinned to CPU 1${pinningAvailable ? '' : ' (taskset missing: not pinned)'}; mocks and autocannon on CPU 0.`,
    'Absolute numbers depend on the machine; compare the ratios, which are measured side by side in one run.',
  ].join('\n');
  writeFileSync(new URL('RESULTS.md', import.meta.url), `${header}\n\n${sections.join('\n\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
