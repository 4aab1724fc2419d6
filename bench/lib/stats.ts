/** The median of ascending values. */
export function medianOf(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A confidence interval for a median: two of the sorted values, and the chance that they enclose it. */
export interface MedianInterval {
  low: number;
  high: number;
  /** Coverage, at least the level asked for (the interval's ends are sample values, so coverage steps). */
  coverage: number;
}

/**
 * The distribution-free interval for the median of ascending values (order statistics): the k-th lowest
 * and k-th highest value, with the largest k whose coverage is at least `level`. The count of values
 * below the true median is Binomial(n, 1/2), so [x(k), x(n+1-k)] misses it with probability
 * 2·P(B < k). Assumes independent values; undefined when n is too small for the level (n < 6 at 95%).
 */
export function medianInterval(sorted: readonly number[], level = 0.95): MedianInterval | undefined {
  const n = sorted.length;
  const tail = (1 - level) / 2;
  let probability = 2 ** -n; // P(B = 0)
  let below = 0; // P(B < k)
  let k = 0;
  while (k < n >> 1 && below + probability <= tail) {
    below += probability;
    probability *= (n - k) / (k + 1);
    k++;
  }
  if (k === 0) return undefined;
  return { low: sorted[k - 1]!, high: sorted[n - k]!, coverage: 1 - 2 * below };
}
