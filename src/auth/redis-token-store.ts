import { createHash } from 'node:crypto';
import type { RedisClient } from '../redis/index.js';
import type { Logger } from '../telemetry/index.js';
import { StoreUnavailableError } from './auth-errors.js';
import { createRedisDenyList } from './redis-deny-list.js';
import { withAuthCommands } from './redis-scripts.js';
import {
  patchClaims, type AccessHandle, type ActiveToken, type RefreshHandle, type RotateResult, type SessionRecord, type TokenStore,
} from './token-store.js';

export interface RedisTokenStoreOptions {
  redis: RedisClient;
  /** Prefix of the pub/sub channel (the key prefix itself is applied by ioredis). */
  channelPrefix: string;
  logger: Logger;
  now: () => number;
}

/** A session's tokens share one hash, tagged so Redis Cluster keeps it in one slot: `auth:s:{<session id>}`. */
const sessionKey = (id: string) => `auth:s:{${id}}`;
const subjectKey = (subject: string) => `auth:u:${createHash('sha256').update(subject).digest('base64url')}`;
/** Session entries outlive their last token by a minute, so logical expiry (checked on read) always comes first. */
const SLACK_MS = 60_000;

/**
 * Token state in Redis, shared by every gateway instance. An opaque-token check is one HMGET; every
 * write that must be atomic is one single-key Lua script. While Redis is unreachable every method
 * throws `StoreUnavailableError` (commands fail fast: the shared client has no offline queue).
 */
export function createRedisTokenStore({ redis: client, channelPrefix, logger, now }: RedisTokenStoreOptions): TokenStore {
  const redis = withAuthCommands(client);
  const log = logger.child({ module: 'token-store' });
  const denyList = createRedisDenyList({ redis, key: 'auth:denied', channel: `${channelPrefix}auth:revoked`, logger: log, now });

  async function run<T>(what: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      const detail = (error as Error).message;
      log.warn({ err: { message: detail }, op: what }, 'token store command failed');
      throw new StoreUnavailableError(detail);
    }
  }

  const parseSession = (json: string | null | undefined): SessionRecord | undefined => (json ? (JSON.parse(json) as SessionRecord) : undefined);

  async function denyRevoked(flat: readonly string[]) {
    const entries = [];
    for (let i = 0; i < flat.length; i += 2) entries.push({ jti: flat[i]!, expiresAt: Number(flat[i + 1]) });
    await denyList.deny(entries);
  }

  async function revokeSession(id: string): Promise<SessionRecord | undefined> {
    const [json, ...jwts] = await run('revokeSession', () => redis.junctionAuthRevokeSession(sessionKey(id)));
    if (!json) return undefined;
    await run('deny', () => denyRevoked(jwts));
    return parseSession(json);
  }

  const store: TokenStore = {
    kind: 'redis',
    async createSession(record: SessionRecord, access: AccessHandle, refresh?: RefreshHandle) {
      const fields: Record<string, string> = { c: JSON.stringify(record), e: String(record.expiresAt) };
      if (access.kind === 'opaque') fields[`a:${access.hash}`] = String(access.expiresAt);
      else fields[`j:${access.jti}`] = String(access.expiresAt);
      if (refresh) fields[`r:${refresh.hash}`] = `${refresh.expiresAt}:c`;
      const last = Math.max(access.expiresAt, refresh?.expiresAt ?? 0);
      const ttl = String(last - now() + SLACK_MS);
      const key = sessionKey(record.id);
      const subject = record.claims.subject;
      await run('createSession', async () => {
        const results = await redis.multi().hset(key, fields).pexpire(key, ttl).exec();
        const failed = results?.find(([error]) => error);
        if (!results || failed) throw failed?.[0] ?? new Error('transaction aborted');
        if (subject !== undefined) await redis.junctionAuthIndexAdd(subjectKey(subject), record.id, String(record.expiresAt - now() + SLACK_MS));
      });
    },
    async findAccess(id, hash): Promise<ActiveToken | undefined> {
      const [exp, json] = await run('findAccess', () => redis.hmget(sessionKey(id), `a:${hash}`, 'c'));
      const expiresAt = Number(exp);
      const session = parseSession(json);
      if (!exp || !session || expiresAt <= now() || session.expiresAt <= now()) return undefined;
      return { session, expiresAt };
    },
    async findRefresh(id, hash) {
      const [value, json] = await run('findRefresh', () => redis.hmget(sessionKey(id), `r:${hash}`, 'c'));
      const session = parseSession(json);
      if (!value || !session || !value.endsWith(':c')) return undefined;
      const expiresAt = Number(value.slice(0, -2));
      return expiresAt > now() && session.expiresAt > now() ? { session, expiresAt } : undefined;
    },
    async rotateRefresh(id, hash, next): Promise<RotateResult> {
      const accessField = next.access.kind === 'opaque' ? `a:${next.access.hash}` : `j:${next.access.jti}`;
      const reply = await run('rotateRefresh', () =>
        redis.junctionAuthRotate(sessionKey(id), `r:${hash}`, String(now()), accessField, String(next.accessTtlMs), `r:${next.refreshHash}`, String(next.refreshTtlMs)),
      );
      const [status, json, ...rest] = reply;
      if (status === 'rotated') return { status, session: parseSession(json)!, accessExpiresAt: Number(rest[0]), refreshExpiresAt: Number(rest[1]) };
      if (status === 'reused') {
        await run('deny', () => denyRevoked(rest));
        return { status, session: parseSession(json)! };
      }
      return { status: 'invalid' };
    },
    async revokeAccess(id, hash) {
      return (await run('revokeAccess', () => redis.hdel(sessionKey(id), `a:${hash}`))) > 0;
    },
    revokeSession,
    async denyJwt(jti, expiresAt) {
      await run('deny', () => denyList.deny([{ jti, expiresAt }]));
    },
    isJwtDenied: (jti) => denyList.has(jti),
    async updateSubject(subject, patch) {
      const ids = await run('updateSubject', () => redis.smembers(subjectKey(subject)));
      let n = 0;
      for (const id of ids) {
        const session = parseSession(await run('updateSubject', () => redis.hget(sessionKey(id), 'c')));
        if (!session || session.expiresAt <= now()) {
          await run('updateSubject', () => redis.srem(subjectKey(subject), id));
          continue;
        }
        const claims = JSON.stringify({ ...session, claims: patchClaims(session.claims, patch) });
        n += await run('updateSubject', () => redis.junctionAuthUpdateClaims(sessionKey(id), claims));
      }
      return n;
    },
    async revokeSubject(subject) {
      const ids = await run('revokeSubject', () => redis.smembers(subjectKey(subject)));
      let n = 0;
      for (const id of ids) if (await revokeSession(id)) n++;
      await run('revokeSubject', () => redis.del(subjectKey(subject)));
      return n;
    },
    async close() {
      denyList.close();
    },
    [Symbol.asyncDispose]: () => store.close(),
  };
  return store;
}
