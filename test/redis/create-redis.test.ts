import { describe, expect, it } from 'vitest';
import { closeRedis, createRedis, waitForRedis } from '../../src/redis/index.js';
import { resolveConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/telemetry/index.js';
import { startRedis } from '../helpers/redis.js';

describe('shared Redis connection', () => {
  it('is absent when nothing is configured, so stores stay in memory', () => {
    expect(createRedis(resolveConfig({}).redis, createLogger({ level: 'silent' }))).toBeUndefined();
  });

  it('fails commands fast while Redis is down and reconnects by itself when it returns', async () => {
    await using redis = await startRedis();
    const client = createRedis(resolveConfig({ redis: { url: redis.url, commandTimeoutMs: 300 } }).redis, createLogger({ level: 'silent' }))!;
    try {
      expect(await waitForRedis(client, 2_000)).toBe(true);
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      await redis.stop();
      const started = Date.now();
      await expect(client.get('k')).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(1_000);
      await redis.start();
      expect(await waitForRedis(client, 5_000)).toBe(true);
      await client.set('k', 'again');
      expect(await client.get('k')).toBe('again');
    } finally {
      await closeRedis(client);
    }
  });

  it('rejects a configuration naming two kinds of Redis at once', () => {
    expect(() => resolveConfig({ redis: { url: 'redis://a:1', cluster: { nodes: [{ host: 'b', port: 2 }] } } })).toThrow(/set only one of url, sentinel, cluster/);
  });
});
