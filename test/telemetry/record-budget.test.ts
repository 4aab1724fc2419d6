import { describe, expect, it } from 'vitest';
import { RecordBudget } from '../../src/telemetry/record-budget.js';

describe('RecordBudget', () => {
  it('allows a burst of perSecond records, then one per 1/perSecond of a second', () => {
    const budget = new RecordBudget(4, 0);
    expect([0, 0, 0, 0, 0].map((t) => budget.take(t))).toEqual([true, true, true, true, false]);
    expect(budget.take(100)).toBe(false); // 0.4 of a token
    expect(budget.take(250)).toBe(true); // 1.0
    expect(budget.take(260)).toBe(false);
  });

  it('never saves up more than one second of records', () => {
    const budget = new RecordBudget(2, 0);
    budget.take(0);
    budget.take(0);
    expect([60_000, 60_000, 60_000].map((t) => budget.take(t))).toEqual([true, true, false]);
  });
});
