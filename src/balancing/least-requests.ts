/**
 * Least requests by the power of two random choices: take two distinct candidates at random and
 * send to the one with fewer requests in flight per unit of weight. Ties (e.g. both idle) go to the
 * lower latency EWMA per unit of weight, then to a coin flip. Two random choices avoid the herd
 * effect of always picking the global minimum, which every gateway instance would pick at once.
 */
export interface LeastRequestsCandidate {
  /** Effective weight now (slow start lowers it). */
  weight: number;
  inFlight: number;
  /** Exponentially weighted latency of answered calls; 0 when unknown. */
  latencyEwmaMs: number;
}

export function pickLeastRequests<T extends LeastRequestsCandidate>(candidates: readonly T[], random: () => number = Math.random): T | undefined {
  const n = candidates.length;
  if (n <= 1) return candidates[0];
  const i = Math.floor(random() * n);
  let j = Math.floor(random() * (n - 1));
  if (j >= i) j++;
  const a = candidates[i]!;
  const b = candidates[j]!;
  const loadA = a.inFlight / a.weight;
  const loadB = b.inFlight / b.weight;
  if (loadA !== loadB) return loadA < loadB ? a : b;
  const costA = a.latencyEwmaMs / a.weight;
  const costB = b.latencyEwmaMs / b.weight;
  if (costA !== costB) return costA < costB ? a : b;
  return random() < 0.5 ? a : b;
}
