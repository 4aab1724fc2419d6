import { describe, expect, it } from 'vitest';
import { medianInterval, medianOf } from '../../bench/lib/stats.js';

const ascending = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** P(B < k) for B ~ Binomial(n, 1/2), summed term by term from the binomial coefficients. */
function binomialBelow(n: number, k: number): number {
  let sum = 0;
  let coefficient = 1;
  for (let i = 0; i < k; i++) {
    sum += coefficient;
    coefficient = (coefficient * (n - i)) / (i + 1);
  }
  return sum / 2 ** n;
}

describe('bench statistics', () => {
  it('medianOf takes the middle value, or the mean of the two middle ones', () => {
    expect(medianOf([1, 2, 9])).toBe(2);
    expect(medianOf([1, 2, 4, 9])).toBe(3);
  });

  it('medianInterval has no interval when too few values can reach the level', () => {
    expect(medianInterval(ascending(5))).toBeUndefined();
    expect(medianInterval(ascending(6))).toEqual({ low: 1, high: 6, coverage: 1 - 2 * binomialBelow(6, 1) });
  });

  it('medianInterval picks the tightest order statistics whose coverage reaches the level (published table values)', () => {
    // Distribution-free 95% intervals for the median: n = 9 -> (x2, x8), n = 16 -> (x4, x13), n = 36 -> (x12, x25).
    expect(medianInterval(ascending(9))).toMatchObject({ low: 2, high: 8 });
    expect(medianInterval(ascending(16))).toMatchObject({ low: 4, high: 13 });
    expect(medianInterval(ascending(36))).toMatchObject({ low: 12, high: 25 });
  });

  it('medianInterval coverage is at least the level, and one step tighter would fall below it', () => {
    for (const n of [6, 9, 16, 24, 36, 48, 100]) {
      const interval = medianInterval(ascending(n))!;
      const k = interval.low;
      expect(interval.coverage).toBeCloseTo(1 - 2 * binomialBelow(n, k), 12);
      expect(interval.coverage).toBeGreaterThanOrEqual(0.95);
      expect(1 - 2 * binomialBelow(n, k + 1)).toBeLessThan(0.95);
    }
  });

  it('medianInterval reads the sorted values it is given, not their ranks', () => {
    const values = [0.8, 0.85, 0.9, 0.92, 0.95, 0.97, 1.0, 1.1, 1.3];
    expect(medianInterval(values)).toMatchObject({ low: 0.85, high: 1.1 });
  });
});
