import type { RedisClient } from '../redis/index.js';
import { StoreUnavailableError } from './auth-errors.js';
import { withAuthCommands } from './redis-scripts.js';

/** Fixed-window attempt counters for rate limits, in memory or shared through Redis. */
export interface AttemptCounter {
  /** Counts one attempt; returns the count in the current window (this one included) and ms until it ends. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  reset(key: string): Promise<void>;
  close(): void;
}

export function createAttemptCounter({ redis, now }: { redis?: RedisClient; now: () => number }): AttemptCounter {
  return redis ? redisCounter(redis) : memoryCounter(now);
}

function memoryCounter(now: () => number): AttemptCounter {
  const windows = new Map<string, { count: number; endsAt: number }>();
  const timer = setInterval(() => {
    const t = now();
    for (const [key, w] of windows) if (w.endsAt <= t) windows.delete(key);
  }, 60_000).unref();
  return {
    async hit(key, windowMs) {
      const t = now();
      let w = windows.get(key);
      if (!w || w.endsAt <= t) windows.set(key, (w = { count: 0, endsAt: t + windowMs }));
      w.count++;
      return { count: w.count, resetInMs: w.endsAt - t };
    },
    async reset(key) {
      windows.delete(key);
    },
    close: () => clearInterval(timer),
  };
}

function redisCounter(client: RedisClient): AttemptCounter {
  const redis = withAuthCommands(client);
  const guard = async <T>(command: () => Promise<T>): Promise<T> => {
    try {
      return await command();
    } catch (error) {
      throw new StoreUnavailableError((error as Error).message);
    }
  };
  return {
    async hit(key, windowMs) {
      const [count, resetInMs] = await guard(() => redis.junctionAuthHit(`auth:rl:${key}`, String(windowMs)));
      return { count: Number(count), resetInMs: Number(resetInMs) };
    },
    async reset(key) {
      await guard(() => redis.del(`auth:rl:${key}`));
    },
    close: () => undefined,
  };
}
