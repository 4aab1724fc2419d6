import { describe, expect, it } from 'vitest';
import { secondInSlice } from '../../bench/lib/measure.js';

describe('secondInSlice', () => {
  it('alternates A B B A, so that each target runs second in every other slice and goes on from its own slice in the others', () => {
    const order = [0, 1, 2, 3, 4].map((k) => (secondInSlice(k) === 1 ? 'AB' : 'BA')).join(' ');
    expect(order).toBe('AB BA AB BA AB');
  });
});
