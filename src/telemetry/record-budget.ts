/**
 * At most `perSecond` detailed field records a second, with bursts of as many (a token bucket). A
 * detailed record costs far more than the operation's counters (every resolution listed, then
 * serialized), and the operations that qualify come in floods exactly when things go wrong: a
 * service down fails every operation, an overloaded gateway makes every operation slow. Without a
 * bound, logging would add the most work at the worst moment.
 */
export class RecordBudget {
  private tokens: number;
  private refilled: number;

  constructor(
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = perSecond;
    this.refilled = now;
  }

  /** True when a record may be written at `now` (a performance.now() reading). */
  take(now: number): boolean {
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.refilled) / 1000) * this.perSecond);
    this.refilled = now;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
}
