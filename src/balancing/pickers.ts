import type { BalancingAlgorithm } from '../registry/index.js';
import { pickLeastRequests, type LeastRequestsCandidate } from './least-requests.js';
import { pickSmoothWeighted, type WeightedCandidate } from './smooth-weighted.js';

export type PickerCandidate = WeightedCandidate & LeastRequestsCandidate;
export type Picker = <T extends PickerCandidate>(candidates: readonly T[]) => T | undefined;

/** The strategy of an algorithm; strategies are pure apart from their candidates' running scores. */
export function pickerFor(algorithm: BalancingAlgorithm, random: () => number = Math.random): Picker {
  if (algorithm === 'least-requests') return (candidates) => pickLeastRequests(candidates, random);
  // round-robin runs as smooth weighted round robin over unit weights (see baseWeightFor).
  return pickSmoothWeighted;
}

/** The weight an endpoint balances with before slow start: round robin ignores configured weights. */
export function baseWeightFor(algorithm: BalancingAlgorithm, configured: number): number {
  return algorithm === 'round-robin' ? 1 : configured;
}

/** Share of its weight a re-admitted endpoint gets: from 10% up to 100% linearly over the window. */
export function slowStartFactor(now: number, since: number, until: number): number {
  if (now >= until) return 1;
  const progress = (now - since) / (until - since);
  return Math.max(MIN_SLOW_START_FACTOR, Math.min(1, progress));
}

export const MIN_SLOW_START_FACTOR = 0.1;
