/**
 * Smooth weighted round robin, as nginx does it: every pick adds each candidate's weight to its
 * running score, takes the highest, and subtracts the total from the winner. Weights 3:1 give
 * A A B A (interleaved), never A A A B bursts. Equal weights give plain round robin, which is how
 * the `round-robin` algorithm runs (so slow start can still scale a re-admitted endpoint down).
 */
export interface WeightedCandidate {
  /** Effective weight now; may be fractional (slow start). */
  weight: number;
  /** Running score; owned by the picker. */
  current: number;
}

export function pickSmoothWeighted<T extends WeightedCandidate>(candidates: readonly T[]): T | undefined {
  if (candidates.length === 1) return candidates[0];
  let total = 0;
  let best: T | undefined;
  for (const candidate of candidates) {
    candidate.current += candidate.weight;
    total += candidate.weight;
    if (!best || candidate.current > best.current) best = candidate;
  }
  if (best) best.current -= total;
  return best;
}
