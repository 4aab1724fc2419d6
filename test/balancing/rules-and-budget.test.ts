import { describe, expect, it } from 'vitest';
import { createRetryBudget, createRuleMatcher } from '../../src/balancing/index.js';
import type { RoutingSettings } from '../../src/registry/index.js';
import { ANONYMOUS_VIEWER, type Viewer } from '../../src/shared/viewer.js';

const context = (headers: Record<string, string> = {}, viewer: Partial<Viewer> = {}) => ({
  request: new Request('http://gateway.test/graphql', { headers }),
  viewer: { ...ANONYMOUS_VIEWER, ...viewer },
});

const rules = (list: Array<Record<string, unknown>>): RoutingSettings =>
  ({ rules: list.map((r) => ({ fallback: true, ...r })) }) as RoutingSettings;

describe('routing rules', () => {
  const matcher = createRuleMatcher(
    rules([
      { name: 'header', header: { name: 'x-canary', value: '1' }, subset: 'canary' },
      { name: 'any-value', header: { name: 'x-blue' }, subset: 'blue' },
      { name: 'client', clientIds: ['mobile-beta', 'web-beta'], subset: 'beta' },
      { name: 'both', header: { name: 'x-both', value: 'yes' }, clientIds: ['partner'], subset: 'partner' },
    ]),
  );
  it.each([
    { name: 'a header with the expected value', ctx: context({ 'x-canary': '1' }), subset: 'canary' },
    { name: 'nothing for a header with another value', ctx: context({ 'x-canary': '0' }), subset: undefined },
    { name: 'a header with any value when the rule names none', ctx: context({ 'x-blue': 'whatever' }), subset: 'blue' },
    { name: 'the viewer\'s client id', ctx: context({}, { clientId: 'web-beta' }), subset: 'beta' },
    { name: 'nothing for another client id', ctx: context({}, { clientId: 'web' }), subset: undefined },
    { name: 'a rule only when all its conditions hold', ctx: context({ 'x-both': 'yes' }, { clientId: 'partner' }), subset: 'partner' },
    { name: 'nothing when one condition of a rule fails', ctx: context({ 'x-both': 'yes' }, { clientId: 'other' }), subset: undefined },
    { name: 'the first matching rule', ctx: context({ 'x-canary': '1', 'x-blue': '1' }), subset: 'canary' },
    { name: 'nothing without a context (health checks, internal calls)', ctx: undefined, subset: undefined },
  ])('matches $name', ({ ctx, subset }) => {
    expect(matcher(ctx)?.subset).toBe(subset);
  });

  it('sends a percentage of signed-in users to the subset, always the same users', () => {
    const matcher = createRuleMatcher(rules([{ percentage: 10, subset: 'canary' }]));
    const users = Array.from({ length: 5000 }, (_, i) => context({}, { authenticated: true, subject: `user-${i}` }));
    const first = users.map((u) => matcher(u)?.subset === 'canary');
    const share = first.filter(Boolean).length / users.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
    // Sticky: the same user lands on the same side on every request.
    expect(users.map((u) => matcher({ ...u, request: new Request('http://x/') })?.subset === 'canary')).toEqual(first);
  });

  it('rolls once per client request for anonymous viewers, so all upstream calls of a request agree', () => {
    let calls = 0;
    const matcher = createRuleMatcher(rules([{ percentage: 50, subset: 'canary' }]), { random: () => (calls++ % 2 === 0 ? 0.1 : 0.9) });
    const a = context();
    const b = context();
    expect([matcher(a)?.subset, matcher(a)?.subset, matcher(a)?.subset]).toEqual(['canary', 'canary', 'canary']);
    expect([matcher(b)?.subset, matcher(b)?.subset]).toEqual([undefined, undefined]);
  });

  it.each([
    { percentage: 0, matches: 0 },
    { percentage: 100, matches: 200 },
  ])('matches $matches of 200 requests at $percentage%', ({ percentage, matches }) => {
    const matcher = createRuleMatcher(rules([{ percentage, subset: 'canary' }]));
    expect(Array.from({ length: 200 }, () => matcher(context())).filter(Boolean)).toHaveLength(matches);
  });
});

describe('retry budget', () => {
  const clock = () => {
    let t = 1_000_000;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it.each([
    { percent: 20, min: 0, requests: 100, allowed: 20 },
    { percent: 20, min: 0, requests: 4, allowed: 0 },
    { percent: 10, min: 0, requests: 55, allowed: 5 },
    { percent: 20, min: 1, requests: 0, allowed: 10 },
    { percent: 0, min: 0, requests: 1000, allowed: 0 },
  ])('allows $allowed retries after $requests calls at $percent% plus $min per second', ({ percent, min, requests, allowed }) => {
    const { now } = clock();
    const budget = createRetryBudget({ percent, minPerSecond: min, now });
    for (let i = 0; i < requests; i++) budget.recordRequest();
    let granted = 0;
    while (budget.tryRetry()) granted++;
    expect(granted).toBe(allowed);
    expect(budget.snapshot()).toEqual({ requests, retries: allowed, allowed: 0 });
  });

  it('forgets calls and retries older than its 10 s window', () => {
    const { now, advance } = clock();
    const budget = createRetryBudget({ percent: 50, minPerSecond: 0, now });
    for (let i = 0; i < 10; i++) budget.recordRequest();
    for (let i = 0; i < 5; i++) expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    advance(5_000);
    for (let i = 0; i < 4; i++) budget.recordRequest();
    expect(budget.tryRetry()).toBe(true); // 14 calls -> 7 retries allowed, 5 used
    advance(6_000); // the first 10 calls and 5 retries fall out of the window
    expect(budget.snapshot()).toEqual({ requests: 4, retries: 1, allowed: 1 });
    advance(60_000);
    expect(budget.snapshot()).toEqual({ requests: 0, retries: 0, allowed: 0 });
  });
});
