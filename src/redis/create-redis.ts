import { Cluster, Redis } from 'ioredis';
import type { RedisConfig } from '../config/index.js';
import type { Logger } from '../telemetry/index.js';

export type RedisClient = Redis | Cluster;

/**
 * The one Redis connection of a gateway process, shared by every store (tokens, deny-list, rate
 * limits, usage). Returns undefined when no Redis is configured: stores then use their in-memory
 * implementation. ioredis reconnects by itself; commands fail fast while it is away (no offline
 * queue), so stores can fail closed or buffer instead of hanging requests.
 */
export function createRedis(config: RedisConfig, logger: Logger): RedisClient | undefined {
  const common = {
    keyPrefix: config.keyPrefix,
    commandTimeout: config.commandTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times: number) => Math.min(50 * 2 ** times, 2_000),
  };
  let client: RedisClient;
  if (config.cluster) {
    client = new Cluster(config.cluster.nodes, {
      redisOptions: { password: config.cluster.password, commandTimeout: config.commandTimeoutMs, maxRetriesPerRequest: 0 },
      keyPrefix: config.keyPrefix,
      enableOfflineQueue: false,
      clusterRetryStrategy: common.retryStrategy,
    });
  } else if (config.sentinel) {
    client = new Redis({ ...common, sentinels: config.sentinel.sentinels, name: config.sentinel.name, password: config.sentinel.password });
  } else if (config.url) {
    client = new Redis(config.url, common);
  } else {
    return undefined;
  }
  const log = logger.child({ module: 'redis' });
  let down = false;
  client.on('ready', () => {
    if (down) log.info('redis connection restored');
    down = false;
  });
  client.on('error', (error: Error) => {
    if (!down) log.error({ err: { message: error.message } }, 'redis unavailable; stores fall back per their documented behaviour');
    down = true;
  });
  return client;
}

/** Closes the connection without waiting for a Redis that may be gone. */
export async function closeRedis(client: RedisClient | undefined): Promise<void> {
  if (!client) return;
  try {
    // quit() rejects at once while Redis is down (no offline queue); closing must still succeed.
    await Promise.race([client.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 500))]);
  } finally {
    client.disconnect();
  }
}

/** Resolves true once the client is ready, false after `timeoutMs` (the gateway starts either way). */
export async function waitForRedis(client: RedisClient, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once('ready', onReady);
  });
}
