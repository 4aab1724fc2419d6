import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../helpers/gateway.js';
import { startRedis, type RunningRedis } from '../helpers/redis.js';
import { basic, postForm, startAuthFleet, type AuthFleet } from './auth-helpers.js';

const LIMITS = { maxAttemptsPerUsername: 3, maxAttemptsPerIp: 6, windowSeconds: 60 };

describe('password grant brute-force protection', () => {
  let fleet: AuthFleet;
  let redis: RunningRedis;
  beforeAll(async () => {
    [fleet, redis] = await Promise.all([startAuthFleet(), startRedis()]);
  });
  afterAll(async () => {
    await fleet?.[Symbol.asyncDispose]();
    await redis?.[Symbol.asyncDispose]();
  });
  const gateway = (store: 'memory' | 'redis', extra: Record<string, unknown> = {}) =>
    startGateway({
      registry: fleet.registry.dir,
      ...(store === 'redis' ? { redis: { url: redis.url, keyPrefix: `rl-${Math.random()}:` } } : {}),
      auth: { authService: { url: fleet.authUrl }, passwordGrantLimits: { ...LIMITS, ...extra } },
    });
  const attempt = (url: string, username: string, password: string, headers: Record<string, string> = {}) =>
    postForm(`${url}/auth/token`, { grant_type: 'password', username, password }, headers);

  it.each(['memory', 'redis'] as const)('limits attempts per username, then per IP, with 429 and Retry-After (%s)', async (store) => {
    await using gw = await gateway(store);
    for (let i = 0; i < 3; i++) expect((await attempt(gw.url, 'alice', `guess-${i}`)).body.error).toBe('invalid_grant');
    const blocked = await attempt(gw.url, 'Alice', 'wonderland');
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({ error: 'slow_down', error_description: expect.stringMatching(/^Too many attempts; retry in \d+ s$/) });
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another user from the same address: allowed until the address has used its 6 attempts.
    expect((await attempt(gw.url, 'bob', 'builder')).status).toBe(200);
    expect((await attempt(gw.url, 'bob', 'builder')).status).toBe(200);
    expect((await attempt(gw.url, 'bob', 'builder')).status).toBe(429);
  });

  it('resets the username count after a successful login', async () => {
    await using gw = await gateway('memory', { maxAttemptsPerIp: 100 });
    for (const password of ['x', 'y', 'wonderland', 'x', 'y']) await attempt(gw.url, 'alice', password);
    expect((await attempt(gw.url, 'alice', 'wonderland')).status).toBe(200);
  });

  it('counts per forwarded client address only when trustProxy is set', async () => {
    await using trusting = await gateway('memory', { trustProxy: true, maxAttemptsPerUsername: 100, maxAttemptsPerIp: 2 });
    const from = (ip: string) => ({ 'x-forwarded-for': `203.0.113.99, ${ip}` });
    for (let i = 0; i < 2; i++) await attempt(trusting.url, 'alice', 'x', from('198.51.100.1'));
    expect((await attempt(trusting.url, 'alice', 'x', from('198.51.100.1'))).status).toBe(429);
    expect((await attempt(trusting.url, 'alice', 'x', from('198.51.100.2'))).status).toBe(400);
  });

  it('throttles client secret guessing like password guessing', async () => {
    await using gw = await gateway('memory');
    const guess = (secret: string) => postForm(`${gw.url}/auth/token`, { grant_type: 'client_credentials' }, { authorization: basic('inventory-service', secret) });
    for (let i = 0; i < 3; i++) expect((await guess(`nope-${i}`)).status).toBe(401);
    expect((await guess('inventory-secret')).status).toBe(429);
  });

  it('shares the counts between gateway instances through Redis', async () => {
    const keyPrefix = `rl-shared-${Date.now()}:`;
    const shared = () => startGateway({ registry: fleet.registry.dir, redis: { url: redis.url, keyPrefix }, auth: { authService: { url: fleet.authUrl }, passwordGrantLimits: LIMITS } });
    await using a = await shared();
    await using b = await shared();
    await attempt(a.url, 'bob', 'x');
    await attempt(b.url, 'bob', 'y');
    await attempt(a.url, 'bob', 'z');
    expect((await attempt(b.url, 'bob', 'builder')).status).toBe(429);
  });
});
