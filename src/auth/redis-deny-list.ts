import { Redis } from 'ioredis';
import type { RedisClient } from '../redis/index.js';
import type { Logger } from '../telemetry/index.js';

export interface DenyList {
  /** Denies here at once, then records it in Redis and tells the other instances. Throws when Redis is down (after the local part). */
  deny(entries: ReadonlyArray<{ jti: string; expiresAt: number }>): Promise<void>;
  has(jti: string): boolean;
  close(): void;
}

export interface RedisDenyListOptions {
  redis: RedisClient;
  /** Sorted set key (jti scored by expiry); ioredis adds the key prefix. */
  key: string;
  /** Pub/sub channel, already prefixed (ioredis does not prefix channels). */
  channel: string;
  logger: Logger;
  now: () => number;
  /** Full re-read interval, a safety net for a lost pub/sub message. @default 60000 */
  resyncMs?: number;
}

/**
 * The JWT deny-list, replicated into this process. The truth is a sorted set in Redis; every
 * instance keeps a local copy, updated through pub/sub and re-read in full whenever the subscriber
 * or the shared connection (re)connects, and every minute. A JWT check is therefore a Map lookup,
 * and while Redis is down the copy keeps denying everything revoked before the outage. Local entries
 * Redis lacks (e.g. after a Redis restart without persistence) are written back, so a revocation is
 * not forgotten.
 */
export function createRedisDenyList({ redis, key, channel, logger, now, resyncMs = 60_000 }: RedisDenyListOptions): DenyList {
  const local = new Map<string, number>();
  // A subscribed connection can run nothing else, so pub/sub gets its own. Its 'ready' handler below
  // subscribes, so ioredis must not re-subscribe by itself after a reconnect: it does not handle a
  // failure, and a connection lost again in that moment would reject unhandled and end the process.
  // (A Cluster re-subscribes through its own connection, which handles failures.)
  const subscriber = redis instanceof Redis ? redis.duplicate({ autoResubscribe: false }) : redis.duplicate();
  let closed = false;

  const remember = (jti: string, expiresAt: number) => {
    if (expiresAt > now() && (local.get(jti) ?? 0) < expiresAt) local.set(jti, expiresAt);
  };

  async function resync() {
    if (closed) return;
    try {
      const t = now();
      await redis.zremrangebyscore(key, '-inf', t);
      const flat = await redis.zrangebyscore(key, `(${t}`, '+inf', 'WITHSCORES');
      const inRedis = new Set<string>();
      for (let i = 0; i < flat.length; i += 2) {
        inRedis.add(flat[i]!);
        remember(flat[i]!, Number(flat[i + 1]));
      }
      for (const [jti, exp] of local) if (exp <= t) local.delete(jti);
      const missing = [...local].filter(([jti]) => !inRedis.has(jti)).flatMap(([jti, exp]) => [exp, jti]);
      if (missing.length) await redis.zadd(key, ...missing);
    } catch (error) {
      logger.debug({ err: { message: (error as Error).message } }, 'deny-list resync failed; retrying on reconnect');
    }
  }

  subscriber.on('message', (ch: string, message: string) => {
    if (ch !== channel) return;
    const [jti, exp] = message.split(' ');
    if (jti && exp) remember(jti, Number(exp));
  });
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(resync, () => undefined);
  });
  // The two connections come back from an outage in either order, and the shared one fails commands
  // until it is ready (no offline queue): a resync started by the subscriber alone could fail and wait
  // a minute for the next, leaving a Redis that restarted empty without the revocations meanwhile.
  const onSharedReady = () => void resync();
  redis.on('ready', onSharedReady);
  // Errors are reported by the shared connection's own handler; without a listener ioredis would log them itself.
  subscriber.on('error', () => undefined);
  const timer = setInterval(() => void resync(), resyncMs).unref();

  return {
    async deny(entries) {
      for (const { jti, expiresAt } of entries) remember(jti, expiresAt);
      const live = entries.filter((e) => e.expiresAt > now());
      if (live.length === 0) return;
      await redis.zadd(key, ...live.flatMap((e) => [e.expiresAt, e.jti]));
      await Promise.all(live.map((e) => redis.publish(channel, `${e.jti} ${e.expiresAt}`)));
    },
    has(jti) {
      const exp = local.get(jti);
      return exp !== undefined && exp > now();
    },
    close() {
      closed = true;
      clearInterval(timer);
      redis.off('ready', onSharedReady);
      subscriber.disconnect();
    },
  };
}
