import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import { startMockFleet } from '../lib/fleet.js';
import {
  CONNECTIONS, measure, measureAlternating, measureTogether, ratioTable, resultsTable, secondInSlice, settingsLine, SLICE_SECONDS, SLICES, WARMUP, warmupTurnSeconds, type LoadFigures, type Row, type Target,
} from '../lib/measure.js';
import { markdownTable } from '../lib/table.js';
import { startNode, type BenchProcess } from '../lib/processes.js';
import { post } from './stitched-vs-monolith.js';
import { medianInterval, medianOf } from '../lib/stats.js';

const DEMO_QUERY = readFileSync(new URL('../../services-mock/demo-query.graphql', import.meta.url), 'utf8');
const INSTANCES = Number(process.env['BENCH_TELEMETRY_PROCESSES'] ?? 3);
const FRESH_PAIRS = Number(process.env['BENCH_TELEMETRY_PAIRS'] ?? 12);

/**
 * Which configuration leads fresh pair `i` (1-based): its process is started first, warmed up first
 * and loaded first in the first slice pair of A B B A. In an A/A run (both processes "on") the lead's
 * first slice read slow (see measureAlternating); taking turns cancels whatever leading still costs
 * across pairs.
 */
export function leadsPair(i: number): 'on' | 'off' {
  return i % 2 === 1 ? 'on' : 'off';
}

/** One configuration's processes as one row: means of their figures, the highest peak RSS, all failures. */
function meanRow(name: string, rows: readonly Row[]): Row {
  const mean = (f: (r: Row) => number) => rows.reduce((sum, r) => sum + f(r), 0) / rows.length;
  return {
    name, rps: mean((r) => r.rps), roundRps: [], p50: mean((r) => r.p50), p99: mean((r) => r.p99), cpuMsPerRequest: mean((r) => r.cpuMsPerRequest),
    upstreamPerRequest: mean((r) => r.upstreamPerRequest), peakRssMiB: Math.max(...rows.map((r) => r.peakRssMiB)), failed: rows.reduce((sum, r) => sum + r.failed, 0),
  };
}

/**
 * `; 96% interval of the median: a% to b%` for ascending on/off ratios, as drops (the coverage is the
 * first one at or above 95% that order statistics give for that many rounds). The rounds of one
 * process pair share that pair's state, so the rounds are not quite independent: the interval is a
 * lower bound on the uncertainty, not the whole of it.
 */
function dropInterval(sortedRatios: readonly number[], pct: (ratio: number) => string): string {
  const interval = medianInterval(sortedRatios);
  return interval ? `; ${Math.round(interval.coverage * 100)}% interval of the median: ${pct(interval.high)} to ${pct(interval.low)}` : '';
}

/**
 * The demo query through gateways on the same services: default telemetry (access log line per
 * request, aggregated field counts and timings, provisional field detail for slow/failed operations,
 * metrics, in-memory metering) against `telemetry.enabled: false`, each configuration in
 * BENCH_TELEMETRY_PROCESSES processes (3). Target: under 10% fewer req/s. Measured three ways: each
 * server alone on the CPU in interleaved rounds (`measure`); each "on" process loaded at the same
 * time as its "off" process (`measureTogether`), which cancels the machine's drift between rounds; and
 * BENCH_TELEMETRY_PAIRS (12) pairs of new processes, each alone in many short alternating slices
 * (`measureAlternating`), which cancels most of the drift without the two sharing the core's caches.
 */
export async function telemetryOnVsOff(): Promise<string> {
  const fleet = await startMockFleet({ users: 2, products: 2, reviews: 1, orders: 1 }, 0);
  const dir = await mkdtemp(join(tmpdir(), 'junction-bench-telemetry-'));
  const onConfig = join(dir, 'on.yaml');
  const offConfig = join(dir, 'off.yaml');
  // Authorization off: anonymously, the demo query's orders are denied, and an operation with an
  // error gets a full field record (telemetry.fields: slow and failed ones); this measures the
  // everyday case, an operation that succeeds.
  const common = `registry: ${JSON.stringify(fleet.registryDir)}\nauthz:\n  enabled: false\n`;
  await writeFile(onConfig, common);
  await writeFile(offConfig, `${common}telemetry:\n  enabled: false\n`);
  const serve = (config: string, label: string) =>
    startNode(['bin/junction.js', 'serve', '--config', config, '--port', '0'], { cpu: 1, label, env: { JUNCTION_CONFIG: '' } });
  // Two processes of one configuration differ by up to 10% in CPU per request on a small machine,
  // and one process by as much from round to round: each configuration runs in several processes,
  // and the figures compared are their means.
  const ons: BenchProcess[] = [];
  const offs: BenchProcess[] = [];
  try {
    for (let i = 1; i <= INSTANCES; i++) {
      ons.push(await serve(onConfig, `gateway ${i} (telemetry on)`));
      offs.push(await serve(offConfig, `gateway ${i} (telemetry off)`));
    }
    const body = JSON.stringify({ query: DEMO_QUERY });
    const reference = await post(`${offs[0]!.url}/graphql`, body);
    const checkAnswers = async (processes: readonly BenchProcess[]) => {
      for (const p of processes) {
        if (!isDeepStrictEqual(await post(`${p.url}/graphql`, body), reference)) throw new Error('the gateways answer the demo query differently');
      }
    };
    await checkAnswers([...ons, ...offs]);
    const targets: Target[] = ons.flatMap((on, i) => [
      { name: `telemetry on (defaults), process ${i + 1}`, process: on, body, upstream: () => fleet.upstreamRequests() },
      { name: `telemetry off, process ${i + 1}`, process: offs[i]!, body, upstream: () => fleet.upstreamRequests() },
    ]);
    const rows = await measure(targets);
    const onRows = rows.filter((_, i) => i % 2 === 0);
    const offRows = rows.filter((_, i) => i % 2 === 1);
    const on = meanRow('telemetry on (defaults)', onRows);
    const off = meanRow('telemetry off', offRows);
    const drop = 1 - on.rps / off.rps;
    // Each "on" round against the "off" round measured right after it: the machine drifts by 10-20%
    // within a run, and a pair measured seconds apart sees the same conditions. The median of these
    // ratios is not moved by one slow process either way.
    const paired = onRows.flatMap((row, i) => row.roundRps.map((rps, r) => rps / offRows[i]!.roundRps[r]!)).sort((a, b) => a - b);
    const median = medianOf(paired);
    const pct = (ratio: number) => `${((1 - ratio) * 100).toFixed(1)}%`;
    // The same pairs loaded at the same time, sharing the CPU (see measureTogether).
    const pairs = targets.flatMap((t, i) => (i % 2 === 0 ? [[t, targets[i + 1]!] as const] : []));
    const together = (await measureTogether(pairs)).flat();
    const togetherRatios = together.map(([on, off]) => on.rps / off.rps).sort((a, b) => a - b);
    const sumOf = (f: (pair: [LoadFigures, LoadFigures]) => number) => together.reduce((sum, pair) => sum + f(pair), 0);
    const sharedRow = (name: string, k: 0 | 1) => [
      name, sumOf((p) => p[k].rps) / together.length, sumOf((p) => p[k].cpuMs) / sumOf((p) => p[k].requests), sumOf((p) => p[k].failed),
    ];
    const cpuRatio = (sumOf((p) => p[0].cpuMs) / sumOf((p) => p[0].requests)) / (sumOf((p) => p[1].cpuMs) / sumOf((p) => p[1].requests));
    // Fresh pairs, two processes at a time: the processes above are stopped first (idle, they would wake).
    await Promise.all([...ons, ...offs].map((p) => p.stop()));
    // Slices as [on, off]; `leads` holds each pair's leading target (0 on, 1 off; see leadsPair).
    const alternating: Array<Array<[LoadFigures, LoadFigures]>> = [];
    const leads: Array<0 | 1> = [];
    for (let i = 1; i <= FRESH_PAIRS; i++) {
      const lead = leadsPair(i) === 'on' ? 0 : 1;
      const configs = [{ config: onConfig, label: 'telemetry on' }, { config: offConfig, label: 'telemetry off' }] as const;
      const fresh: BenchProcess[] = [];
      try {
        // The lead is started first too.
        for (const j of [lead, 1 - lead]) fresh[j] = await serve(configs[j]!.config, `pair ${i} (${configs[j]!.label})`);
        await checkAnswers(fresh);
        const pair = [0, 1].map((j) => ({ name: `pair ${i}, ${configs[j]!.label}`, process: fresh[j]!, body })) as [Target, Target];
        alternating.push(...(await measureAlternating([pair], { warmupS: WARMUP, lead })));
        leads.push(lead);
      } finally {
        await Promise.all(fresh.filter(Boolean).map((p) => p.stop()));
      }
    }
    const sliceRatios = alternating.flat().map(([on, off]) => on.rps / off.rps).sort((a, b) => a - b);
    const pairMedians = alternating.map((slices) => medianOf(slices.map(([on, off]) => on.rps / off.rps).sort((a, b) => a - b)));
    const sortedPairMedians = [...pairMedians].sort((a, b) => a - b);
    const pairsInterval = medianInterval(sortedPairMedians);
    // The main figure, stated at the top of the section and again with the slices.
    const pairsDrop = pct(medianOf(sortedPairMedians));
    const pairsRange = pairsInterval ? `${Math.round(pairsInterval.coverage * 100)}% interval: ${pct(pairsInterval.high)} to ${pct(pairsInterval.low)}` : undefined;
    // The process that runs second in a slice (secondInSlice) was paused while its partner ran, and
    // reads slower: both orders are reported, so that a gap between them (an order effect the A B B A
    // design cancels only if it is the same for both configurations) shows in every run.
    const secondConfig = (p: number, j: number) => secondInSlice(j, leads[p]);
    const ratiosWhereSecond = (k: 0 | 1) =>
      alternating.flatMap((slices, p) => slices.filter((_, j) => secondConfig(p, j) === k)).map(([on, off]) => on.rps / off.rps).sort((a, b) => a - b);
    const onFirst = ratiosWhereSecond(1);
    const offFirst = ratiosWhereSecond(0);
    // The same slices per configuration: a process's req/s in the slices it ran second (resumed after
    // its partner's run) against those it ran first (going on from its own previous slice; slice 0,
    // which follows the warm-ups, is left out). Interleaved, so drift cancels; per pair, then the median.
    const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const resumedPenalty = (k: 0 | 1) => medianOf(alternating.map((slices, p) => {
      const later = slices.slice(1).map((pair, i) => ({ rps: pair[k].rps, second: secondConfig(p, i + 1) === k }));
      return mean(later.filter((s) => s.second).map((s) => s.rps)) / mean(later.filter((s) => !s.second).map((s) => s.rps));
    }).sort((a, b) => a - b));
    const sliceSum = (k: 0 | 1, f: (s: LoadFigures) => number) => alternating.flat().reduce((sum, pair) => sum + f(pair[k]), 0);
    const sliceCpuRatio = (sliceSum(0, (s) => s.cpuMs) / sliceSum(0, (s) => s.requests)) / (sliceSum(1, (s) => s.cpuMs) / sliceSum(1, (s) => s.requests));
    return [
      '## Telemetry on vs off (demo query)',
      '',
      `**Telemetry on served ${pairsDrop} fewer requests than telemetry off by the median of ${FRESH_PAIRS} fresh process pairs`
        + `${pairsRange ? ` (${pairsRange})` : ''}; target: under 10%.** `
        + 'This is the main figure (see "Alternating" below); the first two measurements draw few processes and are cross-checks.',
      '',
      `Same services, same query (authorization off, so it succeeds); default telemetry (access log, field counts and timings, metrics, in-memory metering) against \`telemetry.enabled: false\`, each in ${INSTANCES} processes (means below). ${settingsLine()}; gateways pinned to CPU 1, mocks and autocannon on CPU 0.`,
      '',
      resultsTable(rows),
      '',
      resultsTable([on, off]),
      '',
      ratioTable([on, off], off),
      '',
      `Throughput drop with telemetry on: ${(drop * 100).toFixed(1)}% by the means above; **${pct(median)}** by the median of the ${paired.length} paired rounds `
        + `(each "on" round against the "off" round right after it; from ${pct(paired.at(-1)!)} to ${pct(paired[0]!)}${dropInterval(paired, pct)}). Target: under 10%.`,
      '',
      `Loaded together: each "on" process and its "off" process loaded at the same time (${CONNECTIONS} connections each), sharing CPU 1, in ${together.length} rounds of the same length; means of the rounds:`,
      '',
      markdownTable(['server', 'req/s', 'CPU ms/req', 'failed'], [sharedRow('telemetry on (defaults)', 0), sharedRow('telemetry off', 1)]),
      '',
      `Loaded together, telemetry on served **${pct(medianOf(togetherRatios))}** fewer requests than telemetry off (median of the ${together.length} rounds, `
        + `from ${pct(togetherRatios.at(-1)!)} to ${pct(togetherRatios[0]!)}${dropInterval(togetherRatios, pct)}); its CPU per request was ${cpuRatio.toFixed(2)} times as much.`,
      '',
      `Alternating: ${FRESH_PAIRS} pairs of new processes, one pair at a time, each process warmed up alone for ${WARMUP} s in turns of ${warmupTurnSeconds(WARMUP)} s and then loaded in ${SLICES} slices of ${SLICE_SECONDS} s, `
        + `"on" and "off" taking turns (A B B A ...), each slice paired with its neighbour; "on" leads (starts, warms up and runs first) in odd pairs, "off" in even ones. The medians of the pairs: ${pairMedians.map(pct).join(', ')}. `
        + `Telemetry on served **${pairsDrop}** fewer requests by the median pair`
        + `${pairsRange ? ` (${pairsRange}; pairs are independent, so this interval is the whole of the uncertainty)` : ''}; `
        + `${pct(medianOf(sliceRatios))} by the median of all ${sliceRatios.length} slice pairs; its CPU per request was ${sliceCpuRatio.toFixed(2)} times as much. `
        + `By order within a slice pair: ${pct(medianOf(onFirst))} where "on" ran first, ${pct(medianOf(offFirst))} where "off" ran first (medians of ${onFirst.length} and ${offFirst.length} slice pairs); `
        // Slice 0 left out, each configuration needs two more slices to have run both first and second.
        + (SLICES >= 3 ? `a process that ran second served ${pct(resumedPenalty(0))} fewer requests than in its slices run first with telemetry on, ${pct(resumedPenalty(1))} with it off (median pair). ` : '')
        + `Failed requests in the slices: ${sliceSum(0, (s) => s.failed)} on, ${sliceSum(1, (s) => s.failed)} off.`,
    ].join('\n');
  } finally {
    await Promise.all([...ons, ...offs].map((p) => p.stop()));
    await fleet.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
