/**
 * A retry budget, as Finagle and Linkerd keep one: over a sliding window (10 one-second buckets),
 * retries may be at most `percent` of calls, plus `minPerSecond` × window seconds so a quiet service
 * can still retry. When a service is sick every call fails, and retrying each of them would multiply
 * its load exactly when it can least take it; the budget keeps the extra load bounded.
 */
export interface RetryBudgetOptions {
  percent: number;
  minPerSecond: number;
  /** @default 10000 */
  windowMs?: number;
  now?: () => number;
}

export interface RetryBudget {
  /** Counts one call (not its retries). */
  recordRequest(): void;
  /** True, and counts the retry, when the budget allows one more. */
  tryRetry(): boolean;
  snapshot(): { requests: number; retries: number; allowed: number };
}

const BUCKETS = 10;

export function createRetryBudget({ percent, minPerSecond, windowMs = 10_000, now = Date.now }: RetryBudgetOptions): RetryBudget {
  const bucketMs = windowMs / BUCKETS;
  const requests = new Array<number>(BUCKETS).fill(0);
  const retries = new Array<number>(BUCKETS).fill(0);
  let head = Math.floor(now() / bucketMs);
  const reserve = minPerSecond * (windowMs / 1000);

  /** Moves the window to now, clearing buckets that fell out of it. */
  const advance = (): number => {
    const tick = Math.floor(now() / bucketMs);
    for (let t = Math.max(head + 1, tick - BUCKETS + 1); t <= tick; t++) {
      requests[t % BUCKETS] = 0;
      retries[t % BUCKETS] = 0;
    }
    if (tick > head) head = tick;
    return head % BUCKETS;
  };
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const allowed = () => Math.floor((percent / 100) * sum(requests) + reserve) - sum(retries);

  return {
    recordRequest() {
      requests[advance()]!++;
    },
    tryRetry() {
      const slot = advance();
      if (allowed() < 1) return false;
      retries[slot]!++;
      return true;
    },
    snapshot() {
      advance();
      return { requests: sum(requests), retries: sum(retries), allowed: Math.max(0, allowed()) };
    },
  };
}
