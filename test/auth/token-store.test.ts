import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenStore, StoreUnavailableError, type SessionRecord, type TokenStore } from '../../src/auth/index.js';
import { resolveConfig } from '../../src/config/index.js';
import { closeRedis, createRedis, waitForRedis, type RedisClient } from '../../src/redis/index.js';
import { createLogger } from '../../src/telemetry/index.js';
import { startRedis, type RunningRedis } from '../helpers/redis.js';

const logger = createLogger({ level: 'silent' });
const T0 = 1_800_000_000_000;
const MIN = 60_000;

function session(id: string, subject = 'u1', expiresAt = T0 + 60 * MIN): SessionRecord {
  return { id, claims: { subject, name: 'Alice', roles: ['admin'], scopes: ['orders:read'], clientId: 'web' }, grant: 'password', authTime: T0, expiresAt };
}

let redisServer: RunningRedis;
const clients: RedisClient[] = [];
async function redisClient(): Promise<RedisClient> {
  const client = createRedis(resolveConfig({ redis: { url: redisServer.url, commandTimeoutMs: 300 } }).redis, logger)!;
  clients.push(client);
  if (!(await waitForRedis(client, 5_000))) throw new Error('redis not ready');
  return client;
}

beforeAll(async () => {
  redisServer = await startRedis();
});
afterAll(async () => {
  try {
    await Promise.all(clients.map((c) => closeRedis(c)));
  } finally {
    await redisServer?.[Symbol.asyncDispose]();
  }
});

describe.each(['memory', 'redis'] as const)('token store (%s)', (kind) => {
  let now = T0;
  let store: TokenStore;
  const clock = () => now;
  beforeAll(async () => {
    store = createTokenStore({ redis: kind === 'redis' ? await redisClient() : undefined, logger, now: clock });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('finds an opaque access token until it expires, then never again', async () => {
    now = T0;
    await store.createSession(session('s-find'), { kind: 'opaque', hash: 'h1', expiresAt: T0 + 15 * MIN }, { hash: 'r1', expiresAt: T0 + 30 * MIN });
    expect(await store.findAccess('s-find', 'h1')).toMatchObject({ expiresAt: T0 + 15 * MIN, session: { claims: { subject: 'u1', roles: ['admin'] } } });
    expect(await store.findAccess('s-find', 'other')).toBeUndefined();
    expect(await store.findAccess('s-unknown', 'h1')).toBeUndefined();
    expect(await store.findRefresh('s-find', 'r1')).toMatchObject({ expiresAt: T0 + 30 * MIN });
    now = T0 + 15 * MIN;
    expect(await store.findAccess('s-find', 'h1')).toBeUndefined();
    expect(await store.findRefresh('s-find', 'r1')).toBeDefined();
  });

  it('rotates a refresh token once; its reuse revokes the session and denies its JWTs until they expire', async () => {
    now = T0;
    await store.createSession(session('s-rot'), { kind: 'jwt', jti: 'j1', expiresAt: T0 + 15 * MIN }, { hash: 'r1', expiresAt: T0 + 30 * MIN });
    now = T0 + MIN;
    const rotated = await store.rotateRefresh('s-rot', 'r1', { access: { kind: 'opaque', hash: 'a2' }, refreshHash: 'r2', accessTtlMs: 15 * MIN, refreshTtlMs: 30 * MIN });
    expect(rotated).toMatchObject({ status: 'rotated', accessExpiresAt: T0 + 16 * MIN, refreshExpiresAt: T0 + 31 * MIN, session: { id: 's-rot' } });
    expect(await store.findRefresh('s-rot', 'r1')).toBeUndefined();
    expect(await store.findAccess('s-rot', 'a2')).toBeDefined();
    expect(store.isJwtDenied('j1')).toBe(false);

    const reused = await store.rotateRefresh('s-rot', 'r1', { access: { kind: 'jwt', jti: 'j3' }, refreshHash: 'r3', accessTtlMs: 15 * MIN, refreshTtlMs: 30 * MIN });
    expect(reused).toMatchObject({ status: 'reused', session: { id: 's-rot' } });
    expect(store.isJwtDenied('j1')).toBe(true);
    expect(await store.findAccess('s-rot', 'a2')).toBeUndefined();
    expect((await store.rotateRefresh('s-rot', 'r2', { access: { kind: 'jwt', jti: 'j4' }, refreshHash: 'r4', accessTtlMs: 1, refreshTtlMs: 1 })).status).toBe('invalid');
    now = T0 + 15 * MIN;
    expect(store.isJwtDenied('j1')).toBe(false);
  });

  it('caps rotated tokens at the session end and refuses expired refresh tokens', async () => {
    now = T0;
    await store.createSession(session('s-cap', 'u1', T0 + 20 * MIN), { kind: 'opaque', hash: 'a1', expiresAt: T0 + 15 * MIN }, { hash: 'r1', expiresAt: T0 + 20 * MIN });
    now = T0 + 10 * MIN;
    const rotated = await store.rotateRefresh('s-cap', 'r1', { access: { kind: 'opaque', hash: 'a2' }, refreshHash: 'r2', accessTtlMs: 15 * MIN, refreshTtlMs: 30 * MIN });
    expect(rotated).toMatchObject({ status: 'rotated', accessExpiresAt: T0 + 20 * MIN, refreshExpiresAt: T0 + 20 * MIN });
    now = T0 + 20 * MIN;
    expect((await store.rotateRefresh('s-cap', 'r2', { access: { kind: 'opaque', hash: 'a3' }, refreshHash: 'r3', accessTtlMs: MIN, refreshTtlMs: MIN })).status).toBe('invalid');
  });

  it('revokes single access tokens, whole sessions, and every session of a subject', async () => {
    now = T0;
    await store.createSession(session('s-a', 'u2'), { kind: 'opaque', hash: 'a1', expiresAt: T0 + 15 * MIN }, { hash: 'r1', expiresAt: T0 + 30 * MIN });
    await store.createSession(session('s-b', 'u2'), { kind: 'jwt', jti: 'jb', expiresAt: T0 + 15 * MIN }, { hash: 'r1', expiresAt: T0 + 30 * MIN });
    await store.createSession(session('s-c', 'u3'), { kind: 'opaque', hash: 'a1', expiresAt: T0 + 15 * MIN });
    expect(await store.revokeAccess('s-a', 'a1')).toBe(true);
    expect(await store.revokeAccess('s-a', 'a1')).toBe(false);
    expect(await store.findRefresh('s-a', 'r1')).toBeDefined();
    expect(await store.revokeSession('s-c')).toMatchObject({ id: 's-c' });
    expect(await store.findAccess('s-c', 'a1')).toBeUndefined();
    expect(await store.revokeSubject('u2')).toBe(2);
    expect(await store.findRefresh('s-a', 'r1')).toBeUndefined();
    expect(store.isJwtDenied('jb')).toBe(true);
  });

  it('changes the claims of every live session of a subject, seen by the next lookup', async () => {
    now = T0;
    await store.createSession(session('s-u1', 'u4'), { kind: 'opaque', hash: 'a1', expiresAt: T0 + 15 * MIN });
    await store.createSession(session('s-u2', 'u4'), { kind: 'opaque', hash: 'a1', expiresAt: T0 + 15 * MIN });
    expect(await store.updateSubject('u4', { scopes: ['orders:read', 'orders:write'], roles: [] })).toBe(2);
    expect((await store.findAccess('s-u2', 'a1'))!.session.claims).toEqual({ subject: 'u4', name: 'Alice', roles: [], scopes: ['orders:read', 'orders:write'], clientId: 'web' });
    expect(await store.updateSubject('nobody', { roles: ['x'] })).toBe(0);
  });
});

describe('Redis token store', () => {
  it('looks up an opaque token with exactly one Redis command per lookup', async () => {
    const store = createTokenStore({ redis: await redisClient(), logger });
    const probe = new Redis(redisServer.url);
    try {
      await store.createSession(session('s-rtt', 'u9', Date.now() + MIN), { kind: 'opaque', hash: 'a1', expiresAt: Date.now() + MIN });
      const calls = async () => {
        const info = await probe.info('commandstats');
        return [...info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].filter(([, name]) => name !== 'info').reduce((n, m) => n + Number(m[2]), 0);
      };
      // Let the deny-list subscriber finish its first full read, which is not part of a lookup.
      await new Promise((r) => setTimeout(r, 300));
      const before = await calls();
      for (let i = 0; i < 20; i++) expect(await store.findAccess('s-rtt', 'a1')).toBeDefined();
      expect((await calls()) - before).toBe(20);
    } finally {
      probe.disconnect();
      await store.close();
    }
  });

  it('replicates the deny-list to other instances at once, and writes it back after Redis restarts empty', async () => {
    const a = createTokenStore({ redis: await redisClient(), logger });
    const b = createTokenStore({ redis: await redisClient(), logger });
    try {
      await new Promise((r) => setTimeout(r, 100)); // both subscribers connected
      await a.denyJwt('shared-jti', Date.now() + 10 * MIN);
      await expect.poll(() => b.isJwtDenied('shared-jti'), { timeout: 5_000, interval: 5 }).toBe(true);

      await redisServer.restart(); // no persistence: Redis comes back empty
      expect(a.isJwtDenied('shared-jti')).toBe(true); // the local copy keeps denying during the outage
      const probe = new Redis(redisServer.url);
      try {
        await expect.poll(() => probe.zscore('junction:auth:denied', 'shared-jti'), { timeout: 10_000, interval: 50 }).not.toBeNull();
      } finally {
        probe.disconnect();
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps the deny-list subscribed, and the process up, when its connection drops the moment it is ready', async () => {
    // Seen in CI: Redis went away just as the subscriber reconnected, and a re-subscription that
    // nobody awaited rejected unhandled, which kills a Node process by default.
    const client = await redisClient();
    const duplicate = (client as Redis).duplicate.bind(client);
    let subscriber: Redis | undefined;
    (client as Redis).duplicate = (override) => (subscriber = duplicate(override));
    const a = createTokenStore({ redis: client, logger });
    const b = createTokenStore({ redis: await redisClient(), logger });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect.poll(() => subscriber?.status, { timeout: 5_000, interval: 5 }).toBe('ready');
      await b.denyJwt('before-drop', Date.now() + 10 * MIN);
      await expect.poll(() => a.isJwtDenied('before-drop'), { timeout: 5_000, interval: 5 }).toBe(true);

      // Drop the subscriber's connection, then the next one the moment Redis answers its ready check:
      // the connection turns ready with a socket that is closing, and every command sent then (the
      // re-subscription first) fails.
      let droppedWhenReady = false;
      subscriber!.prependOnceListener('connect', () => {
        const socket = subscriber!.stream;
        socket.prependListener('data', function endOnInfoReply(chunk: Buffer) {
          if (!chunk.includes('redis_version')) return;
          socket.off('data', endOnInfoReply);
          socket.end();
        });
      });
      subscriber!.prependListener('ready', () => {
        if (subscriber!.stream.writableEnded) droppedWhenReady = true;
      });
      subscriber!.stream.destroy();
      await expect.poll(() => droppedWhenReady, { timeout: 5_000, interval: 5 }).toBe(true);

      // It reconnects and subscribes again, so a revocation made elsewhere still arrives at once.
      await expect.poll(async () => {
        await b.denyJwt('after-drop', Date.now() + 10 * MIN);
        return a.isJwtDenied('after-drop');
      }, { timeout: 10_000, interval: 100 }).toBe(true);
      await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await a.close();
      await b.close();
    }
  });

  it('fails every call with StoreUnavailableError while Redis is down, and works again when it returns', async () => {
    const client = await redisClient();
    const store = createTokenStore({ redis: client, logger });
    try {
      await redisServer.stop();
      await expect(store.findAccess('s', 'h')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.createSession(session('s-down'), { kind: 'opaque', hash: 'h', expiresAt: Date.now() + MIN })).rejects.toBeInstanceOf(StoreUnavailableError);
      await redisServer.start();
      expect(await waitForRedis(client, 5_000)).toBe(true);
      await store.createSession(session('s-up', 'u1', Date.now() + MIN), { kind: 'opaque', hash: 'h', expiresAt: Date.now() + MIN });
      expect(await store.findAccess('s-up', 'h')).toBeDefined();
    } finally {
      await store.close();
    }
  });
});
