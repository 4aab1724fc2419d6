import type { RedisClient } from '../../redis/index.js';
import { bucketExpiresIn } from './usage-keys.js';
import type { UsageStore } from './usage-store.js';

/**
 * Applies one chunk atomically and at most once: the chunk id is claimed with SET NX first, so a chunk
 * retried after a lost reply (Redis applied it, the gateway never heard back) is not counted twice.
 * KEYS[1] = the claim, KEYS[2..] = bucket hashes; ARGV = claim TTL, then per bucket: expire-at (unix s),
 * counter count, name/increment pairs.
 */
const APPLY = `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) == false then return 0 end
local a = 2
for k = 2, #KEYS do
  local at = ARGV[a]
  local n = tonumber(ARGV[a + 1])
  a = a + 2
  for i = 1, n do
    redis.call('HINCRBY', KEYS[k], ARGV[a], ARGV[a + 1])
    a = a + 2
  end
  redis.call('EXPIREAT', KEYS[k], at)
end
return 1
`;

const COMMAND = 'junctionUsageApply';
/** Long enough for any retry of a chunk; a chunk retried later than this would be counted again. */
const CLAIM_TTL_S = 86_400;

// Every key shares the hash tag {u}: one Lua call may touch all of them, also on Redis Cluster.
const bucketKey = (id: string) => `usage:{u}:${id}`;
const claimKey = (id: string) => `usage:{u}:claim:${id}`;

type WithApply = RedisClient & { [COMMAND](...args: Array<string | number>): Promise<number> };

/** Counters in Redis hashes, one per bucket, added up by every gateway instance that shares the Redis. */
export function createRedisUsageStore(redis: RedisClient): UsageStore {
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { lua: APPLY });
  const client = redis as WithApply;
  return {
    kind: 'redis',
    async write(chunks, now) {
      const pipeline = client.pipeline() as unknown as { [COMMAND](...args: Array<string | number>): void; exec(): Promise<Array<[Error | null, unknown]> | null> };
      for (const chunk of chunks) {
        const keys = [claimKey(chunk.id)];
        const args: Array<string | number> = [CLAIM_TTL_S];
        for (const [id, counters] of chunk.counters) {
          keys.push(bucketKey(id));
          args.push(Math.ceil((now + Math.max(bucketExpiresIn(id, now), 1_000)) / 1000), counters.size);
          for (const [name, value] of counters) args.push(name, value);
        }
        pipeline[COMMAND](keys.length, ...keys, ...args);
      }
      try {
        const results = await pipeline.exec();
        return chunks.map((_, i) => results?.[i]?.[0] === null);
      } catch {
        return chunks.map(() => false);
      }
    },
    async read(ids) {
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hgetall(bucketKey(id));
      const results = (await pipeline.exec()) ?? [];
      const sum = new Map<string, number>();
      for (const [error, hash] of results) {
        if (error) throw error;
        for (const [name, value] of Object.entries(hash as Record<string, string>)) sum.set(name, (sum.get(name) ?? 0) + Number(value));
      }
      return sum;
    },
  };
}
