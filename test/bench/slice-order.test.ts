import { describe, expect, it } from 'vitest';
import { secondInSlice } from '../../bench/lib/measure.js';

describe('secondInSlice', () => {
  it('alternates A B B A, so that each target runs second in every other slice and goes on from its own slice in the others', () => {
    const order = [0, 1, 2, 3, 4].map((k) => (secondInSlice(k) === 1 ? 'AB' : 'BA')).join(' ');
    expect(order).toBe('AB BA AB BA AB');
  });

  it('starts with the lead when the second target leads', () => {
    const order = [0, 1, 2, 3, 4].map((k) => (secondInSlice(k, 1) === 1 ? 'AB' : 'BA')).join(' ');
    expect(order).toBe('BA AB BA AB BA');
  });
});

describe('leadsPair', () => {
  it('gives the lead of the telemetry bench\'s fresh pairs to "on" and "off" in turns, so that what leading costs cancels across pairs', async () => {
    const { leadsPair } = await import('../../bench/scenarios/telemetry.js');
    expect([1, 2, 3, 4, 5, 6].map(leadsPair)).toEqual(['on', 'off', 'on', 'off', 'on', 'off']);
  });
});
