import type { BenchProcess } from './processes.js';

export interface IdleOptions {
  /** How long each look at a process's CPU time lasts. */
  windowMs?: number;
  /** CPU time within one window that still counts as idle (one clock tick: a timer's wake-up, not a request). */
  idleCpuMs?: number;
  /** Gives up after this long (a process busy on its own must not hang the bench). */
  maxWaitMs?: number;
}

/**
 * Resolves once every process has gone idle: no more than `idleCpuMs` of CPU time over one window,
 * and its main thread asleep at the window's end. Little CPU time alone is not enough: a process kept
 * off the CPU by others (a busy machine, parallel tests) gets little of it while it still has work,
 * and then it is runnable, where an idle one sleeps.
 *
 * A load generator that stops after its duration leaves requests in flight (up to one per
 * connection), and the gateway goes on serving them. A process paused (SIGSTOP) right then freezes
 * them for as long as its partner runs: resumed, it finishes them at the start of its next slice, and
 * each then took seconds. That is the instrument measuring itself: the leftover work lands in a slice
 * whose answers it is not part of, and with telemetry on every one of those operations is "slow"
 * (over `telemetry.fields.slowMs`) and gets a full field record that no real request would cause
 * (64 connections, 5 slices: 202 such records without this wait, none with it).
 */
export async function untilIdle(processes: readonly BenchProcess[], { windowMs = 100, idleCpuMs = 10, maxWaitMs = 5_000 }: IdleOptions = {}): Promise<void> {
  const deadline = Date.now() + maxWaitMs;
  let busy = [...processes];
  while (busy.length > 0 && Date.now() < deadline) {
    const before = busy.map((p) => p.cpuMs());
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    busy = busy.filter((p, i) => p.cpuMs() - before[i]! > idleCpuMs || p.runnable());
  }
}
