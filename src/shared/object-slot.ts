/**
 * A value kept on an object under a symbol: per-request data on the hot path (telemetry's request
 * state, a request's upstream headers). A property rather than a WeakMap entry: each new request
 * would add a young key to an old table, which takes V8's ephemeron write barrier on its slow path and
 * makes every young-generation collection process the table (both showed up in perf profiles of the
 * gateway). An object that refuses the property (frozen) gets a WeakMap entry instead. A value is
 * cleared by writing undefined, never deleted: a delete turns the object's properties into a dictionary.
 * Only the object's own property counts, as with a WeakMap: an object made with Object.create(another)
 * (yoga's context of each batched operation) must never read the value of the object it inherits from.
 */
export class ObjectSlot<T> {
  private readonly fallback = new WeakMap<object, T>();

  constructor(readonly key: symbol) {}

  get(target: object): T | undefined {
    return this.own(target) ?? this.fallback.get(target);
  }

  set(target: object, value: T): void {
    try {
      (target as Record<symbol, T | undefined>)[this.key] = value;
    } catch {
      this.fallback.set(target, value);
    }
  }

  delete(target: object): void {
    if (this.own(target) !== undefined) (target as Record<symbol, T | undefined>)[this.key] = undefined;
    else this.fallback.delete(target);
  }

  private own(target: object): T | undefined {
    return Object.hasOwn(target, this.key) ? (target as Record<symbol, T | undefined>)[this.key] : undefined;
  }
}
