/**
 * Locality priorities and panic mode, as Envoy computes them. Regions are ordered: the gateway's own
 * first, then the configured failover order, then the rest alphabetically. A region's "health" is
 * min(1, overprovisioningFactor × available / total); the first region takes as much of the traffic
 * as its health, the next one takes as much of the rest as its health, and so on. With a factor of
 * 1.4 the local region keeps all traffic while at least ~72% of its endpoints are available, and the
 * spill to the next region grows smoothly as it degrades. When the regions' healths add up to less
 * than 1 the shares are scaled up, so traffic still goes only to available endpoints. When too few
 * endpoints are available (none, by default), panic mode sends traffic to all of them instead.
 */

export interface PlanOptions<T> {
  isAvailable(endpoint: T): boolean;
  /** The gateway's region. */
  localRegion: string;
  /** Regions to fail over to, in order, after the local one. */
  failoverOrder: readonly string[];
  overprovisioningFactor: number;
  /** Panic when the available share of endpoints is below this percentage (and always at zero). */
  panicThresholdPercent: number;
}

export interface RegionLevel<T> {
  region: string;
  /** Available endpoints of the region. */
  endpoints: T[];
  /** Share of new requests this region gets (0..1). */
  share: number;
}

export interface TrafficPlan<T> {
  /** Every region that has available endpoints, in priority order (some may get a 0 share). */
  levels: Array<RegionLevel<T>>;
  /** Every endpoint of the pool; used in panic mode. */
  all: readonly T[];
  panic: boolean;
  available: number;
  total: number;
}

export function orderRegions(regions: Iterable<string>, localRegion: string, failoverOrder: readonly string[]): string[] {
  const rank = new Map<string, number>([[localRegion, 0]]);
  failoverOrder.forEach((region, i) => {
    if (!rank.has(region)) rank.set(region, i + 1);
  });
  return [...new Set(regions)].sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || a.localeCompare(b));
}

export function planTraffic<T extends { region: string }>(all: readonly T[], options: PlanOptions<T>): TrafficPlan<T> {
  const regions = orderRegions(all.map((e) => e.region), options.localRegion, options.failoverOrder);
  const levels: Array<RegionLevel<T>> = [];
  let available = 0;
  let remaining = 1;
  for (const region of regions) {
    const members = all.filter((e) => e.region === region);
    const up = members.filter((e) => options.isAvailable(e));
    if (up.length === 0) continue;
    available += up.length;
    const health = Math.min(1, (options.overprovisioningFactor * up.length) / members.length);
    const share = Math.min(remaining, health);
    remaining -= share;
    levels.push({ region, endpoints: up, share });
  }
  // Degraded everywhere: scale the shares up to 1 (Envoy's normalized total health).
  if (remaining > 1e-9 && remaining < 1) for (const level of levels) level.share /= 1 - remaining;
  const total = all.length;
  const panic = available === 0 || (available / total) * 100 < options.panicThresholdPercent;
  return { levels, all, panic, available, total };
}

/** Picks the region level of one request; `random` in [0, 1). */
export function pickLevel<T>(plan: TrafficPlan<T>, random: () => number): RegionLevel<T> | undefined {
  const { levels } = plan;
  if (levels.length <= 1 || levels[0]!.share >= 1) return levels[0];
  let roll = random();
  for (const level of levels) {
    if (roll < level.share) return level;
    roll -= level.share;
  }
  // Rounding left the roll past the last share: the last region that takes traffic gets it.
  for (let i = levels.length - 1; i >= 0; i--) if (levels[i]!.share > 0) return levels[i];
  return levels[0];
}

/** Share of new requests per region, for logs and /admin/upstreams. */
export function regionShares<T extends { region: string }>(plan: TrafficPlan<T>): Record<string, number> {
  if (plan.panic) {
    const shares: Record<string, number> = {};
    for (const e of plan.all) shares[e.region] = (shares[e.region] ?? 0) + 1 / plan.all.length;
    return roundShares(shares);
  }
  return roundShares(Object.fromEntries(plan.levels.filter((l) => l.share > 0).map((l) => [l.region, l.share])));
}

function roundShares(shares: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(shares).map(([region, share]) => [region, Math.round(share * 1000) / 1000]));
}
