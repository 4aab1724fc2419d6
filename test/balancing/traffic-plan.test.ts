import { describe, expect, it } from 'vitest';
import { orderRegions, pickLevel, planTraffic, regionShares } from '../../src/balancing/index.js';

interface E {
  region: string;
  up: boolean;
}

/** "eu:2/3" = region eu with 3 endpoints, 2 available. */
function endpoints(spec: string): E[] {
  return spec.split(' ').flatMap((part) => {
    const [region, counts] = part.split(':') as [string, string];
    const [up, total] = counts.split('/').map(Number) as [number, number];
    return Array.from({ length: total }, (_, i) => ({ region, up: i < up }));
  });
}

const options = { isAvailable: (e: E) => e.up, localRegion: 'eu', failoverOrder: ['us', 'ap'], overprovisioningFactor: 1.4, panicThresholdPercent: 0 };

describe('region order', () => {
  it('puts the local region first, then the failover order, then the others alphabetically', () => {
    expect(orderRegions(['zz', 'ap', 'us', 'eu', 'aa'], 'eu', ['us', 'ap'])).toEqual(['eu', 'us', 'ap', 'aa', 'zz']);
  });
});

describe('locality priority failover (Envoy overprovisioning 1.4)', () => {
  it.each([
    { name: 'all healthy: everything stays local', spec: 'eu:2/2 us:2/2', shares: { eu: 1 } },
    { name: '3 of 4 local (75% × 1.4 ≥ 100%): still all local', spec: 'eu:3/4 us:2/2', shares: { eu: 1 } },
    { name: '1 of 2 local: 70% local, 30% spills to the next region', spec: 'eu:1/2 us:2/2', shares: { eu: 0.7, us: 0.3 } },
    { name: 'local down: all to the next region in failover order', spec: 'eu:0/2 us:2/2 ap:2/2', shares: { us: 1 } },
    { name: 'local and first failover down: the second failover region', spec: 'eu:0/2 us:0/1 ap:1/1', shares: { ap: 1 } },
    { name: 'local and next both degraded: spill continues down the order', spec: 'eu:1/4 us:1/4 ap:2/2', shares: { eu: 0.35, us: 0.35, ap: 0.3 } },
    { name: 'every region degraded: shares scaled to only available endpoints', spec: 'eu:1/4 us:1/8', shares: { eu: 0.667, us: 0.333 } },
    { name: 'no endpoint in the local region: the failover order decides', spec: 'ap:1/1 us:1/1', shares: { us: 1 } },
  ])('$name', ({ spec, shares }) => {
    const plan = planTraffic(endpoints(spec), options);
    expect(plan.panic).toBe(false);
    expect(regionShares(plan)).toEqual(shares);
  });

  it('returns traffic to the local region once it recovers', () => {
    const pool = endpoints('eu:0/2 us:2/2');
    expect(regionShares(planTraffic(pool, options))).toEqual({ us: 1 });
    for (const e of pool) e.up = true;
    expect(regionShares(planTraffic(pool, options))).toEqual({ eu: 1 });
  });

  it('picks regions in proportion to their shares', () => {
    const plan = planTraffic(endpoints('eu:1/2 us:2/2'), options);
    let seed = 0;
    const random = () => ((seed = (seed * 9301 + 49297) % 233280) / 233280);
    let eu = 0;
    for (let i = 0; i < 10_000; i++) if (pickLevel(plan, random)!.region === 'eu') eu++;
    expect(Math.abs(eu / 10_000 - 0.7)).toBeLessThan(0.03);
  });
});

describe('panic mode', () => {
  it.each([
    { name: 'when no endpoint is available', spec: 'eu:0/2 us:0/1', threshold: 0, panic: true },
    { name: 'not while one endpoint is available', spec: 'eu:0/2 us:1/1', threshold: 0, panic: false },
    { name: 'below the configured threshold (1 of 4 < 50%)', spec: 'eu:1/4', threshold: 50, panic: true },
    { name: 'not at the threshold (2 of 4 = 50%)', spec: 'eu:2/4', threshold: 50, panic: false },
  ])('is on $name', ({ spec, threshold, panic }) => {
    const plan = planTraffic(endpoints(spec), { ...options, panicThresholdPercent: threshold });
    expect(plan.panic).toBe(panic);
    if (panic) expect(plan.all).toHaveLength(endpoints(spec).length);
  });

  it('reports the traffic spread over every endpoint in panic mode', () => {
    expect(regionShares(planTraffic(endpoints('eu:0/3 us:0/1'), options))).toEqual({ eu: 0.75, us: 0.25 });
  });
});
