/**
 * Smooth weighted round robin, as nginx does it: every pick adds each candidate's weight to its
 * running score, takes the highest, and subtracts the total from the winner. Weights 3:1 give
 * A A B A (interleaved), never A A A B bursts.
 */
export interface WeightedCandidate {
  weight: number;
  /** Running score; owned by the picker. */
  current: number;
}

export function pickSmoothWeighted<T extends WeightedCandidate>(candidates: readonly T[]): T | undefined {
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
