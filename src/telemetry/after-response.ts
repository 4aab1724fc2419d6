/**
 * Work on finished requests (access line, metering, spans), done just after their responses are
 * handed to the socket instead of before, as nginx and Envoy write their access logs once a request
 * is done: it never delays the answer it describes. Everything finished since is done in the event
 * loop's next check phase, one setImmediate for all of it. `drain()` does what is pending at once
 * (shutdown, exit).
 */
export class AfterResponse<T> {
  private pending: T[] = [];
  private scheduled = false;

  constructor(
    private readonly finish: (item: T) => void,
    /** A finisher that threw: the other requests are still finished. */
    private readonly onError: (error: unknown) => void,
  ) {}

  add(item: T): void {
    this.pending.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.drain);
  }

  readonly drain = (): void => {
    this.scheduled = false;
    const items = this.pending;
    if (items.length === 0) return;
    this.pending = [];
    for (const item of items) {
      try {
        this.finish(item);
      } catch (error) {
        this.onError(error);
      }
    }
  };
}
