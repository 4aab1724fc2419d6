import { untilIdle } from './idle.js';
import { runLoad, type LoadResult } from './load.js';
import type { BenchProcess } from './processes.js';
import { formatNumber, markdownTable } from './table.js';

export const DURATION = Number(process.env['BENCH_DURATION'] ?? 8);
export const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
export const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 16);
/** Slices per process pair and their length in `measureAlternating`. */
export const SLICES = Number(process.env['BENCH_SLICES'] ?? 10);
export const SLICE_SECONDS = Number(process.env['BENCH_SLICE_SECONDS'] ?? 2);
/**
 * Seconds of load on each target before its first measured round. V8 keeps optimizing a gateway's
 * code for its first ten thousand or so requests (measured with --trace-opt on the demo query: about
 * 750 functions optimized in the first 5 000 requests, 70-140 in the next 5 000, 10-20 in the 5 000
 * after, then a handful): with a short warm-up the first rounds also measure the compiler, and more of
 * it for a server with more code on its path. 15 s is about 20 000 demo requests.
 */
export const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 15);

export interface Target {
  name: string;
  process: BenchProcess;
  /** GraphQL endpoint; `${process.url}/graphql` by default. */
  url?: string;
  /** Request body; a scenario may give each target its own. */
  body: string;
  headers?: Record<string, string>;
  /** Counts upstream requests so far (gateway targets). */
  upstream?: () => Promise<number>;
  /** Every answer must equal this body byte for byte; others are counted as failed. */
  expectBody?: string;
}

export interface Row {
  name: string;
  rps: number;
  /** req/s of each round, in order (rounds are interleaved across targets). */
  roundRps: number[];
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  upstreamPerRequest: number;
  peakRssMiB: number;
  failed: number;
}

/**
 * Loads every target for DURATION seconds, ROUNDS times, interleaved (A B A B) so that all of them
 * see the same machine conditions; a warm-up of WARMUP seconds each first. While one target is
 * loaded, the processes of the others are paused (SIGSTOP): they share its CPU, and their timers would
 * interrupt it (an idle gateway with metrics on wakes about 100 times a second for prom-client's
 * event-loop monitor, and two processes of one build measured 12% apart with such neighbours).
 */
export async function measure(targets: readonly Target[], log = (line: string) => process.stdout.write(`${line}\n`)): Promise<Row[]> {
  const rounds = targets.map(() => [] as Array<LoadResult & { cpuMs: number; upstream: number }>);
  const processes = [...new Set(targets.map((t) => t.process))];
  const alone = <T>(t: Target, run: () => Promise<T>) => withOthersPaused(processes, [t.process], run);
  for (const t of targets) await alone(t, () => loadTarget(t, WARMUP, false));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, t] of targets.entries()) {
      const upBefore = (await t.upstream?.()) ?? 0;
      const { load, cpuMs } = await alone(t, async () => {
        const cpuBefore = t.process.cpuMs();
        const load = await loadTarget(t, DURATION);
        return { load, cpuMs: t.process.cpuMs() - cpuBefore };
      });
      const upAfter = (await t.upstream?.()) ?? 0;
      rounds[i]!.push({ ...load, cpuMs, upstream: upAfter - upBefore });
      log(`  round ${round + 1}/${ROUNDS} ${t.name}: ${formatNumber(load.rps)} req/s`);
    }
  }
  return targets.map((t, i) => {
    const rs = rounds[i]!;
    const sum = (f: (r: (typeof rs)[number]) => number) => rs.reduce((a, r) => a + f(r), 0);
    const requests = sum((r) => r.requests);
    return {
      name: t.name,
      rps: sum((r) => r.rps) / rs.length,
      roundRps: rs.map((r) => r.rps),
      p50: sum((r) => r.p50) / rs.length,
      p99: sum((r) => r.p99) / rs.length,
      cpuMsPerRequest: sum((r) => r.cpuMs) / requests,
      upstreamPerRequest: t.upstream ? sum((r) => r.upstream) / requests : NaN,
      peakRssMiB: t.process.peakRssMiB(),
      failed: sum((r) => r.non2xx + r.errors + r.mismatches),
    };
  });
}

/** One target's figures for one load: its share of a round in which two were loaded at once, or a slice. */
export interface LoadFigures {
  rps: number;
  requests: number;
  cpuMs: number;
  failed: number;
}

function figuresOf(load: LoadResult, cpuMs: number, rps = load.rps): LoadFigures {
  return { rps, requests: load.requests, cpuMs, failed: load.non2xx + load.errors + load.mismatches };
}

/**
 * Loads the two targets of each pair at the same time, ROUNDS times (after `measure`'s warm-up). Both
 * servers share one CPU and serve in proportion to their share of it and their CPU per request.
 * Whatever the machine does during a round (the drift of 10-20% between rounds, another tenant's
 * load) it does to both, which sequential rounds cannot offer. It is the harsher view: the shares are
 * not always even (one that waits on its upstreams leaves the other more), and the two evict each
 * other's caches, which raises CPU per request more for the one with more code and data. The
 * processes of other pairs are paused meanwhile.
 */
export async function measureTogether(
  pairs: ReadonlyArray<readonly [Target, Target]>, log = (line: string) => process.stdout.write(`${line}\n`),
): Promise<Array<Array<[LoadFigures, LoadFigures]>>> {
  const processes = [...new Set(pairs.flatMap(([a, b]) => [a.process, b.process]))];
  const results = pairs.map(() => [] as Array<[LoadFigures, LoadFigures]>);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, pair] of pairs.entries()) {
      const shares = await withOthersPaused(processes, pair.map((t) => t.process), async () => {
        const cpuBefore = pair.map((t) => t.process.cpuMs());
        const loads = await Promise.all(pair.map((t) => loadTarget(t, DURATION)));
        return loads.map((load, k) => figuresOf(load, pair[k]!.process.cpuMs() - cpuBefore[k]!));
      });
      results[i]!.push([shares[0]!, shares[1]!]);
      log(`  together ${round + 1}/${ROUNDS}: ${pair[0].name} ${formatNumber(shares[0]!.rps)} req/s, ${pair[1].name} ${formatNumber(shares[1]!.rps)} req/s`);
    }
  }
  return results;
}

/**
 * For each pair, SLICES short loads of SLICE_SECONDS on each of its two targets, alternating
 * A B B A A B ..., each alone on its CPU (the other and every other process paused), after `warmupS`
 * seconds of load on each, in turns (0 for processes `measure` has warmed up); target `lead` of each pair
 * warms up first and runs first in slice 0. Slices come back in the pair's own order, whichever leads. The machine's throughput drifts
 * by 10-20% over seconds, and a pair of slices a couple of seconds apart sees nearly the same machine:
 * many short pairs estimate a pair's ratio far more tightly than a few long rounds cycled through
 * every process. Slices of one pair still share that pair's state (each process settles at its own
 * speed), so the pair, not the slice, is the independent unit: read the results per pair.
 */
export async function measureAlternating(
  pairs: ReadonlyArray<readonly [Target, Target]>,
  { warmupS = 0, lead = 0, log = (line: string) => process.stdout.write(`${line}\n`) }: { warmupS?: number; lead?: 0 | 1; log?: (line: string) => void } = {},
): Promise<Array<Array<[LoadFigures, LoadFigures]>>> {
  const processes = [...new Set(pairs.flatMap(([a, b]) => [a.process, b.process]))];
  const results: Array<Array<[LoadFigures, LoadFigures]>> = [];
  for (const pair of pairs) {
    // Warmed up in turns, a slice's length at a time: a process left paused through its partner's whole
    // warm-up opened its slices slower (an A/A run, two processes of one configuration, 64 connections:
    // the first one's first slice at 0.53-1.23 of its partner's req/s, median 0.82 over 12 pairs; later slices about 1.0).
    const turn = warmupTurnSeconds(warmupS);
    for (let done = 0; done < warmupS; done += turn) {
      for (const j of [lead, 1 - lead]) {
        const t = pair[j]!;
        await withOthersPaused(processes, [t.process], () => loadTarget(t, Math.min(turn, warmupS - done), false));
      }
    }
    const slices: Array<[LoadFigures, LoadFigures]> = [];
    for (let k = 0; k < SLICES; k++) {
      const second = secondInSlice(k, lead);
      const order = [1 - second, second];
      const measured: LoadFigures[] = [];
      for (const j of order) {
        const t = pair[j]!;
        measured[j] = await withOthersPaused(processes, [t.process], async () => {
          const cpuBefore = t.process.cpuMs();
          const load = await loadTarget(t, SLICE_SECONDS);
          // Requests over the slice, not autocannon's mean of per-second samples (two samples in a 2 s slice).
          return figuresOf(load, t.process.cpuMs() - cpuBefore, load.requests / SLICE_SECONDS);
        });
      }
      slices.push([measured[0]!, measured[1]!]);
    }
    results.push(slices);
    log(`  alternating: ${pair[0].name} / ${pair[1].name} (${pair[lead].name} leads): ${slices.map(([a, b]) => formatNumber(a.rps / b.rps)).join(' ')}`);
  }
  return results;
}

/** The length of one warm-up turn of `measureAlternating`: a slice's, or the whole warm-up when slices have no length. */
export function warmupTurnSeconds(warmupS: number): number {
  return SLICE_SECONDS > 0 ? SLICE_SECONDS : warmupS;
}

/**
 * Which target of a pair `measureAlternating` loads second in slice `k` (A B B A ..., target `lead`
 * first in slice 0): the one that sat paused while its partner ran. The first one goes on from its own
 * previous slice.
 */
export function secondInSlice(k: number, lead: 0 | 1 = 0): 0 | 1 {
  return k % 2 === 0 ? ((1 - lead) as 0 | 1) : lead;
}

/** One load of a target for `durationS` seconds; answers are checked against its expected body unless `check` is false (warm-up). */
function loadTarget(t: Target, durationS: number, check = true): Promise<LoadResult> {
  return runLoad({ url: t.url ?? `${t.process.url}/graphql`, body: t.body, headers: t.headers, durationS, connections: CONNECTIONS, expectBody: check ? t.expectBody : undefined });
}

/**
 * Runs `run` with every process of `all` but the `running` ones paused (SIGSTOP), resumed afterwards.
 * The running ones finish what is still in flight (untilIdle) before anything else runs: measured
 * figures are taken inside `run`, so that work counts nowhere, as its answers count nowhere.
 */
async function withOthersPaused<T>(all: readonly BenchProcess[], running: readonly BenchProcess[], run: () => Promise<T>): Promise<T> {
  const others = all.filter((p) => !running.includes(p));
  signal(others, 'SIGSTOP');
  try {
    const result = await run();
    await untilIdle(running);
    return result;
  } finally {
    signal(others, 'SIGCONT');
  }
}

// Processes paused right now: an interrupted bench resumes them, else they would stay stopped (a
// stopped process acts on the terminal's SIGINT only once continued).
const paused = new Set<BenchProcess>();
const resumeAll = () => signal([...paused], 'SIGCONT');

function signal(processes: readonly BenchProcess[], name: 'SIGSTOP' | 'SIGCONT'): void {
  if (name === 'SIGSTOP' && paused.size === 0) {
    process.once('SIGINT', onInterrupt).once('SIGTERM', onInterrupt);
  }
  for (const p of processes) {
    try {
      process.kill(p.pid, name);
      if (name === 'SIGSTOP') paused.add(p);
      else paused.delete(p);
    } catch {
      // Already gone: its own stop() reports that.
      paused.delete(p);
    }
  }
  if (name === 'SIGCONT' && paused.size === 0) {
    process.off('SIGINT', onInterrupt).off('SIGTERM', onInterrupt);
  }
}

function onInterrupt(name: NodeJS.Signals): void {
  resumeAll();
  process.kill(process.pid, name);
}

export function resultsTable(rows: readonly Row[]): string {
  return markdownTable(
    ['server', 'req/s', 'p50 ms', 'p99 ms', 'CPU ms/req', 'upstream req/req', 'peak RSS MiB', 'failed'],
    rows.map((r) => [r.name, r.rps, r.p50, r.p99, r.cpuMsPerRequest, Number.isNaN(r.upstreamPerRequest) ? '-' : formatNumber(r.upstreamPerRequest), r.peakRssMiB, r.failed]),
  );
}

/** Each row against `baseline`: the figures a reader should compare. */
export function ratioTable(rows: readonly Row[], baseline: Row): string {
  return markdownTable(
    [`ratio to ${baseline.name}`, 'req/s', 'p99', 'CPU per request', 'peak RSS'],
    rows.filter((r) => r !== baseline).map((r) => [r.name, r.rps / baseline.rps, r.p99 / baseline.p99, r.cpuMsPerRequest / baseline.cpuMsPerRequest, r.peakRssMiB / baseline.peakRssMiB]),
  );
}

export function settingsLine(): string {
  return `${ROUNDS} interleaved rounds of ${DURATION} s after ${WARMUP} s of warm-up, ${CONNECTIONS} connections`;
}
