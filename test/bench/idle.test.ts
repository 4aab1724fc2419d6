import { afterEach, describe, expect, it } from 'vitest';
import { untilIdle } from '../../bench/lib/idle.js';
import { pinningAvailable, startNode, type BenchProcess } from '../../bench/lib/processes.js';

// A real process that prints a URL (as startNode expects), uses `busyMs` of CPU time, then idles. The
// work starts right after the URL, so it is under way when startNode returns; it is counted in CPU
// time, not wall time, so a busy machine only makes it last longer.
// `nice` lowers its own priority first; `cpu` pins it (taskset).
const worker = (busyMs: number, { nice = 0, cpu }: { nice?: number; cpu?: number } = {}) =>
  startNode(
    ['-e', `console.log('http://127.0.0.1:1'); require('node:os').setPriority(${nice}); const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; while (cpu() < ${busyMs}); setInterval(() => {}, 1000);`],
    { label: 'busy worker', cpu },
  );

describe('untilIdle', () => {
  const started: BenchProcess[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => p.stop()));
  });

  it('waits while a process is still working, and returns once it has stopped', async () => {
    const p = await worker(600);
    started.push(p);
    const begun = Date.now();
    // Time enough for the work on a loaded machine (the limit has a test of its own below).
    await untilIdle([p], { windowMs: 50, maxWaitMs: 15_000 });
    expect(Date.now() - begun).toBeGreaterThanOrEqual(300);
    // Its work is done: a later window sees no more CPU time.
    const cpu = p.cpuMs();
    expect(cpu).toBeGreaterThanOrEqual(500);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(p.cpuMs() - cpu).toBeLessThanOrEqual(10);
  });

  it('returns at once for an idle process', async () => {
    const p = await worker(0);
    started.push(p);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const begun = Date.now();
    await untilIdle([p], { windowMs: 50 });
    expect(Date.now() - begun).toBeLessThan(300);
  });

  it('keeps waiting for a process that has work but is kept off the CPU', async () => {
    expect(pinningAvailable, 'taskset is missing: apt-get install util-linux').toBe(true);
    // A busy process at normal priority and the worker at the lowest, on one CPU: the worker gets
    // about 1.5% of it, far under idleCpuMs a window, and is runnable all the while.
    const hog = await worker(60_000, { cpu: 0 });
    started.push(hog);
    const starved = await worker(2_000, { nice: 19, cpu: 0 });
    started.push(starved);
    const begun = Date.now();
    await untilIdle([starved], { windowMs: 50, maxWaitMs: 800 });
    expect(Date.now() - begun).toBeGreaterThanOrEqual(800);
    expect(starved.cpuMs()).toBeLessThan(2_000);
    expect(starved.runnable()).toBe(true);
  });

  it('gives up after maxWaitMs on a process that never stops working', async () => {
    const p = await worker(60_000);
    started.push(p);
    const begun = Date.now();
    await untilIdle([p], { windowMs: 50, maxWaitMs: 400 });
    const waited = Date.now() - begun;
    expect(waited).toBeGreaterThanOrEqual(400);
    expect(waited).toBeLessThan(1_500);
  });
});
