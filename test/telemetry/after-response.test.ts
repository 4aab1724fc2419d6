import { describe, expect, it } from 'vitest';
import { AfterResponse } from '../../src/telemetry/after-response.js';

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('work on finished requests (AfterResponse)', () => {
  it('does nothing while the response is handed on, then everything finished in that turn at once', async () => {
    const done: number[][] = [];
    let batch: number[] = [];
    const queue = new AfterResponse<number>((n) => batch.push(n), () => {});
    queue.add(1);
    queue.add(2);
    await Promise.resolve();
    queue.add(3);
    expect(batch).toEqual([]);
    await nextTurn();
    done.push(batch);
    batch = [];
    queue.add(4);
    await nextTurn();
    done.push(batch);
    expect(done).toEqual([[1, 2, 3], [4]]);
  });

  it('finishes the other requests when one finisher throws, and reports the error', async () => {
    const finished: number[] = [];
    const errors: unknown[] = [];
    const queue = new AfterResponse<number>((n) => {
      if (n === 2) throw new Error('broken record');
      finished.push(n);
    }, (error) => errors.push(error));
    for (const n of [1, 2, 3]) queue.add(n);
    await nextTurn();
    expect(finished).toEqual([1, 3]);
    expect(errors).toEqual([new Error('broken record')]);
  });

  it('does what is pending at once on drain (shutdown), and nothing twice', async () => {
    const finished: number[] = [];
    const queue = new AfterResponse<number>((n) => finished.push(n), () => {});
    queue.add(1);
    queue.add(2);
    queue.drain();
    expect(finished).toEqual([1, 2]);
    await nextTurn();
    expect(finished).toEqual([1, 2]);
    queue.add(3);
    await nextTurn();
    expect(finished).toEqual([1, 2, 3]);
  });
});
