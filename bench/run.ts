/**
 * `npm run bench`: the demo query through Junction vs the same graph served by a monolith, in one run.
 * Mocks and the load generator share CPU 0; each server under test is pinned to CPU 1, and rounds
 * alternate between them so both see the same machine conditions. Every answer is checked first.
 *
 * BENCH_DURATION (s per round, default 8), BENCH_ROUNDS (default 2), BENCH_CONNECTIONS (default 16).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { startMockFleet } from './lib/fleet.js';
import { runLoad, type LoadResult } from './lib/load.js';
import { pinningAvailable, startNode, type BenchProcess } from './lib/processes.js';
import { formatNumber, markdownTable } from './lib/table.js';

const DURATION = Number(process.env['BENCH_DURATION'] ?? 8);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 16);
const root = new URL('..', import.meta.url).pathname;
const DEMO_QUERY = readFileSync(new URL('../services-mock/demo-query.graphql', import.meta.url), 'utf8');

interface Target {
  name: string;
  process: BenchProcess;
  /** Counts upstream requests (gateway targets only). */
  upstream?: () => Promise<number>;
}

interface Measured {
  target: Target;
  rounds: Array<LoadResult & { cpuMs: number; upstream: number }>;
}

async function post(url: string, body: string): Promise<unknown> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return res.json();
}

async function main() {
  if (pinningAvailable) execFileSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' });
  const fleet = await startMockFleet({ users: 2, products: 2, reviews: 1, orders: 1 }, 0);
  const gateway = await startNode(['src/cli.ts', 'serve', '--registry', fleet.registryDir, '--port', '0'], {
    cpu: 1, label: 'gateway', env: { JUNCTION_CONFIG: '' },
  });
  const monolith = await startNode(['services-mock/monolith.ts', '--port', '0'], { cpu: 1, label: 'monolith' });
  const targets: Target[] = [
    { name: 'junction (4 services)', process: gateway, upstream: () => fleet.upstreamRequests() },
    { name: 'monolith (baseline)', process: monolith },
  ];
  try {
    const body = JSON.stringify({ query: DEMO_QUERY });
    const expected = await post(monolith.url, body);
    const actual = await post(gateway.url, body);
    if (!isDeepStrictEqual(actual, expected)) throw new Error(`the gateway's answer differs from the monolith's:\n${JSON.stringify(actual).slice(0, 500)}`);
    process.stdout.write('answers checked: the gateway returns exactly what the monolith returns\n');

    for (const t of targets) await runLoad({ url: `${t.process.url}/graphql`, body, durationS: 2, connections: CONNECTIONS }); // warm-up
    const measured: Measured[] = targets.map((target) => ({ target, rounds: [] }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const m of measured) {
        const cpuBefore = m.target.process.cpuMs();
        const upBefore = (await m.target.upstream?.()) ?? 0;
        const load = await runLoad({ url: `${m.target.process.url}/graphql`, body, durationS: DURATION, connections: CONNECTIONS });
        const upAfter = (await m.target.upstream?.()) ?? 0;
        m.rounds.push({ ...load, cpuMs: m.target.process.cpuMs() - cpuBefore, upstream: upAfter - upBefore });
        process.stdout.write(`round ${round + 1}/${ROUNDS} ${m.target.name}: ${formatNumber(load.rps)} req/s\n`);
      }
    }
    report(measured);
  } finally {
    await Promise.all([gateway.stop(), monolith.stop()]);
    await fleet.stop();
  }
}

function report(measured: Measured[]) {
  const rows = measured.map(({ target, rounds }) => {
    const sum = (f: (r: Measured['rounds'][number]) => number) => rounds.reduce((a, r) => a + f(r), 0);
    const requests = sum((r) => r.requests);
    return {
      name: target.name,
      rps: sum((r) => r.rps) / rounds.length,
      p50: sum((r) => r.p50) / rounds.length,
      p99: sum((r) => r.p99) / rounds.length,
      cpu: sum((r) => r.cpuMs) / requests,
      upstream: target.upstream ? sum((r) => r.upstream) / requests : NaN,
      rss: target.process.peakRssMiB(),
      failed: sum((r) => r.non2xx + r.errors),
    };
  });
  const [gw, mono] = rows as [(typeof rows)[number], (typeof rows)[number]];
  const table = markdownTable(
    ['server', 'req/s', 'p50 ms', 'p99 ms', 'CPU ms/req', 'upstream req/req', 'peak RSS MiB', 'failed'],
    rows.map((r) => [r.name, r.rps, r.p50, r.p99, r.cpu, Number.isNaN(r.upstream) ? '-' : formatNumber(r.upstream), r.rss, r.failed]),
  );
  const ratios = markdownTable(
    ['ratio gateway / monolith', 'req/s', 'p99', 'CPU per request', 'peak RSS'],
    [['demo query', gw.rps / mono.rps, gw.p99 / mono.p99, gw.cpu / mono.cpu, gw.rss / mono.rss]],
  );
  const text = [
    `## Demo query: Junction vs monolith (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}; ${ROUNDS} interleaved rounds of ${DURATION} s, ${CONNECTIONS} connections;`,
    `servers pinned to CPU 1${pinningAvailable ? '' : ' (taskset missing: not pinned)'}, mocks and autocannon on CPU 0.`,
    '',
    table,
    '',
    ratios,
    '',
  ].join('\n');
  process.stdout.write(`\n${text}\n`);
  writeFileSync(`${root}bench/RESULTS.md`, `# Benchmark results\n\nProduced by \`npm run bench\`; numbers from one machine, compare the ratios.\n\n${text}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
