import { describe, expect, it } from 'vitest';
import { baseWeightFor, pickerFor, pickLeastRequests, pickSmoothWeighted, slowStartFactor } from '../../src/balancing/index.js';
import type { BalancingAlgorithm } from '../../src/registry/index.js';

interface Candidate {
  name: string;
  weight: number;
  current: number;
  inFlight: number;
  latencyEwmaMs: number;
}

const candidates = (weights: number[], algorithm: BalancingAlgorithm = 'weighted'): Candidate[] =>
  weights.map((w, i) => ({ name: String.fromCharCode(97 + i), weight: baseWeightFor(algorithm, w), current: 0, inFlight: 0, latencyEwmaMs: 0 }));

/** A seeded generator (mulberry32) so random strategies are reproducible. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('smooth weighted round robin', () => {
  it.each([
    { weights: [3, 1] },
    { weights: [1, 1] },
    { weights: [5, 1, 1] },
    { weights: [2, 3, 5] },
    { weights: [7, 2] },
  ])('spreads 10,000 picks over weights $weights within ±3% of each share', ({ weights }) => {
    const pool = candidates(weights);
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const picked = pickSmoothWeighted(pool)!;
      counts.set(picked.name, (counts.get(picked.name) ?? 0) + 1);
    }
    const total = weights.reduce((a, b) => a + b, 0);
    pool.forEach((c, i) => {
      const share = (counts.get(c.name) ?? 0) / 10_000;
      expect(Math.abs(share - weights[i]! / total)).toBeLessThanOrEqual(0.03);
    });
  });

  it.each([
    { weights: [3, 1], sequence: 'aaba aaba' },
    { weights: [5, 1, 1], sequence: 'aabacaa aabacaa' },
    { weights: [1, 1, 1], sequence: 'abc abc' },
    { weights: [2, 1], sequence: 'aba aba' },
  ])('interleaves weights $weights as "$sequence" instead of bursting', ({ weights, sequence }) => {
    const pool = candidates(weights);
    const expected = sequence.replaceAll(' ', '');
    const picked = Array.from({ length: expected.length }, () => pickSmoothWeighted(pool)!.name).join('');
    expect(picked).toBe(expected);
  });

  it('never sends more than 3 requests in a row to the heavier of weights 3:1', () => {
    const pool = candidates([3, 1]);
    let run = 0;
    let longest = 0;
    for (let i = 0; i < 1000; i++) {
      run = pickSmoothWeighted(pool)!.name === 'a' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    expect(longest).toBe(3);
  });
});

describe('round robin', () => {
  it('ignores configured weights and rotates through every endpoint in turn', () => {
    const pool = candidates([3, 1, 5], 'round-robin');
    const pick = pickerFor('round-robin');
    expect(Array.from({ length: 9 }, () => pick(pool)!.name).join('')).toBe('abcabcabc');
  });
});

describe('least requests (power of two choices)', () => {
  it.each([
    { name: 'the idle endpoint over a busy one', inFlight: [5, 0], weights: [1, 1], latency: [1, 1], winner: 'b' },
    { name: 'fewer in-flight requests per unit of weight', inFlight: [4, 2], weights: [4, 1], latency: [1, 1], winner: 'a' },
    { name: 'the lower latency EWMA when in-flight requests tie', inFlight: [1, 1], weights: [1, 1], latency: [80, 5], winner: 'b' },
    { name: 'in-flight requests over latency', inFlight: [0, 1], weights: [1, 1], latency: [80, 5], winner: 'a' },
    { name: 'latency per unit of weight on a tie', inFlight: [0, 0], weights: [3, 1], latency: [9, 4], winner: 'a' },
  ])('prefers $name', ({ inFlight, weights, latency, winner }) => {
    const pool = candidates(weights, 'least-requests').map((c, i) => ({ ...c, inFlight: inFlight[i]!, latencyEwmaMs: latency[i]! }));
    const random = seeded(7);
    for (let i = 0; i < 50; i++) expect(pickLeastRequests(pool, random)!.name).toBe(winner);
  });

  it('compares two distinct random endpoints, so the busiest of three never wins and the idlest often does', () => {
    const pool = candidates([1, 1, 1], 'least-requests').map((c, i) => ({ ...c, inFlight: [9, 4, 0][i]! }));
    const random = seeded(42);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 3000; i++) counts[pickLeastRequests(pool, random)!.name]!++;
    expect(counts['a']).toBe(0);
    // c wins whenever it is drawn (2 of 3 pairs), b only in the pair (a, b).
    expect(counts['c']! / 3000).toBeGreaterThan(0.6);
    expect(counts['b']! / 3000).toBeGreaterThan(0.26);
  });

  it('splits evenly between identical idle endpoints (coin flip, not always the first)', () => {
    const pool = candidates([1, 1], 'least-requests');
    const random = seeded(3);
    let a = 0;
    for (let i = 0; i < 2000; i++) if (pickLeastRequests(pool, random)!.name === 'a') a++;
    expect(a / 2000).toBeGreaterThan(0.45);
    expect(a / 2000).toBeLessThan(0.55);
  });
});

describe('slow start', () => {
  it.each([
    { at: 0, factor: 0.1 },
    { at: 500, factor: 0.1 },
    { at: 2500, factor: 0.25 },
    { at: 5000, factor: 0.5 },
    { at: 9000, factor: 0.9 },
    { at: 10_000, factor: 1 },
    { at: 60_000, factor: 1 },
  ])('gives a re-admitted endpoint $factor of its weight $at ms into a 10 s window', ({ at, factor }) => {
    expect(slowStartFactor(1_000_000 + at, 1_000_000, 1_010_000)).toBeCloseTo(factor, 5);
  });

  it('makes smooth weighted round robin send a re-admitted endpoint a tenth of its share at first', () => {
    const pool = candidates([1, 1]);
    pool[1]!.weight = 1 * slowStartFactor(0, 0, 10_000);
    let b = 0;
    for (let i = 0; i < 1100; i++) if (pickSmoothWeighted(pool)!.name === 'b') b++;
    expect(b).toBe(100);
  });
});
