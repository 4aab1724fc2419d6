import type { RedisClient } from '../redis/index.js';

/*
 * Lua scripts of the Redis token store. Each touches exactly one key (a session hash, or one counter),
 * so they are atomic and also run on Redis Cluster. Expiry values are ms since the epoch, kept as
 * strings: Lua numbers are doubles, and formatting one with tostring() would give "1.7e+12".
 *
 * Session hash fields: c = session JSON, e = session end (ms), a:<hash> = opaque access expiry,
 * r:<hash> = "<expiry>:c" (current) or "<expiry>:u" (rotated), j:<jti> = JWT expiry.
 */

/** Prunes expired token fields and stretches the key's TTL to the last expiry left (plus a minute). */
const PRUNE_AND_EXPIRE = `
local function prune_and_expire(key, now, keep)
  local all = redis.call('HGETALL', key)
  for i = 1, #all, 2 do
    local p = string.sub(all[i], 1, 2)
    if p == 'a:' or p == 'j:' or p == 'r:' then
      local x = tonumber(string.match(all[i + 1], '^%d+'))
      if x <= now then redis.call('HDEL', key, all[i]) elseif x > keep then keep = x end
    end
  end
  redis.call('PEXPIRE', key, string.format('%.0f', keep - now + 60000))
end
local function jwt_ids(key, out)
  local all = redis.call('HGETALL', key)
  for i = 1, #all, 2 do
    if string.sub(all[i], 1, 2) == 'j:' then
      out[#out + 1] = string.sub(all[i], 3)
      out[#out + 1] = all[i + 1]
    end
  end
  return out
end
`;

/** ARGV: old refresh field, now, new access field, access ttl ms, new refresh field, refresh ttl ms. */
const ROTATE = `${PRUNE_AND_EXPIRE}
local key = KEYS[1]
local now = tonumber(ARGV[2])
local c = redis.call('HGET', key, 'c')
local e = tonumber(redis.call('HGET', key, 'e') or '0')
local v = redis.call('HGET', key, ARGV[1])
if (not c) or (not v) or e <= now then return {'invalid'} end
local sep = string.find(v, ':', 1, true)
local exp = string.sub(v, 1, sep - 1)
if tonumber(exp) <= now then return {'invalid'} end
if string.sub(v, sep + 1) ~= 'c' then
  local out = jwt_ids(key, {'reused', c})
  redis.call('DEL', key)
  return out
end
local access_exp = string.format('%.0f', math.min(now + tonumber(ARGV[4]), e))
local refresh_exp = string.format('%.0f', math.min(now + tonumber(ARGV[6]), e))
redis.call('HSET', key, ARGV[1], exp .. ':u', ARGV[3], access_exp, ARGV[5], refresh_exp .. ':c')
prune_and_expire(key, now, tonumber(refresh_exp))
return {'rotated', c, access_exp, refresh_exp}
`;

/** Returns {session JSON, jti, exp, jti, exp, ...} and deletes the session; {} when there is none. */
const REVOKE_SESSION = `${PRUNE_AND_EXPIRE}
local c = redis.call('HGET', KEYS[1], 'c')
if not c then return {} end
local out = jwt_ids(KEYS[1], {c})
redis.call('DEL', KEYS[1])
return out
`;

/** Replaces the claims of a live session; never recreates a deleted one. */
const UPDATE_CLAIMS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'c', ARGV[1])
return 1
`;

/** Adds a session id to a subject's index and keeps the index alive at least `ttl` ms. */
const INDEX_ADD = `
redis.call('SADD', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`;

/** Fixed-window counter: {count after this hit, ms until the window ends}. */
const HIT = `
local n = redis.call('INCR', KEYS[1])
local t = redis.call('PTTL', KEYS[1])
if t < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  t = tonumber(ARGV[1])
end
return {n, t}
`;

export interface AuthRedisCommands {
  junctionAuthRotate(key: string, ...args: string[]): Promise<string[]>;
  junctionAuthRevokeSession(key: string): Promise<string[]>;
  junctionAuthUpdateClaims(key: string, claims: string): Promise<number>;
  junctionAuthIndexAdd(key: string, member: string, ttlMs: string): Promise<number>;
  junctionAuthHit(key: string, windowMs: string): Promise<[number, number]>;
}

/** Registers the scripts on the shared client (EVALSHA with automatic fallback to EVAL). */
export function withAuthCommands(redis: RedisClient): RedisClient & AuthRedisCommands {
  const define = (name: keyof AuthRedisCommands, lua: string) => {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
  };
  define('junctionAuthRotate', ROTATE);
  define('junctionAuthRevokeSession', REVOKE_SESSION);
  define('junctionAuthUpdateClaims', UPDATE_CLAIMS);
  define('junctionAuthIndexAdd', INDEX_ADD);
  define('junctionAuthHit', HIT);
  return redis as RedisClient & AuthRedisCommands;
}
