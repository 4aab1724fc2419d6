import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { startRedis, type RunningRedis } from '../helpers/redis.js';
import { keyDir, login, postForm, startAuthFleet, WHOAMI, type AuthFleet, type KeyDir, type TestKey } from './auth-helpers.js';

describe('gateways sharing a Redis token store', () => {
  let fleet: AuthFleet;
  let redis: RunningRedis;
  let keys: KeyDir;
  let key: TestKey;
  const gateway = (auth: Record<string, unknown> = {}) =>
    startGateway({
      registry: fleet.registry.dir,
      redis: { url: redis.url, commandTimeoutMs: 300 },
      auth: { authService: { url: fleet.authUrl }, jwt: { keys: [{ kid: 'shared', privateKeyFile: key.privateFile }] }, ...auth },
    });
  const whoami = (gw: RunningGateway, token: string) => gw.query(WHOAMI, undefined, { authorization: `Bearer ${token}` });

  beforeAll(async () => {
    [fleet, redis, keys] = await Promise.all([startAuthFleet(), startRedis(), keyDir()]);
    key = await keys.key('shared');
  });
  afterAll(async () => {
    await fleet?.[Symbol.asyncDispose]();
    await redis?.[Symbol.asyncDispose]();
    await keys?.[Symbol.asyncDispose]();
  });

  it('fails opaque tokens closed (503) while Redis is down, keeps JWTs working, and recovers by itself when Redis restarts', async () => {
    await using gw = await gateway();
    const jwt = await login(gw.url, 'alice', 'wonderland');
    const opaque = await login(gw.url, 'bob', 'builder', { token_format: 'opaque' });
    const revoked = await login(gw.url, 'alice', 'wonderland');
    expect((await postForm(`${gw.url}/auth/revoke`, { token: revoked.access_token })).status).toBe(200);
    expect((await whoami(gw, opaque.access_token)).status).toBe(200);

    await redis.stop();
    const down = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${opaque.access_token}` },
      body: JSON.stringify({ query: WHOAMI }),
    });
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('1');
    expect(down.headers.get('www-authenticate')).toBeNull();
    expect((await down.json()).errors[0]).toEqual({
      message: 'The token store is unavailable; retry shortly',
      extensions: { code: 'AUTH_UNAVAILABLE', reason: 'store_unavailable' },
    });
    expect((await whoami(gw, jwt.access_token)).body.data.whoami.subject).toBe('1');
    expect((await whoami(gw, revoked.access_token)).body.errors[0].extensions.reason).toBe('revoked');
    const loginDown = await postForm(`${gw.url}/auth/token`, { grant_type: 'password', username: 'bob', password: 'builder' });
    expect([loginDown.status, loginDown.body.error]).toEqual([503, 'temporarily_unavailable']);
    const revokeDown = await postForm(`${gw.url}/auth/revoke`, { token: jwt.refresh_token });
    expect(revokeDown.status).toBe(503);
    expect((await gw.query('{ user(id: "1") { name } }')).body.data.user.name).toBe('Alice Liddell');

    // Redis returns empty (no persistence); the gateway reconnects without help.
    await redis.start();
    await expect.poll(async () => (await postForm(`${gw.url}/auth/token`, { grant_type: 'password', username: 'bob', password: 'builder', token_format: 'opaque' })).status, { timeout: 5_000, interval: 50 }).toBe(200);
    const fresh = await login(gw.url, 'bob', 'builder', { token_format: 'opaque' });
    expect((await whoami(gw, fresh.access_token)).body.data.whoami.tokenKind).toBe('opaque');
    expect((await whoami(gw, opaque.access_token)).body.errors[0].extensions.reason).toBe('inactive');
    expect((await whoami(gw, revoked.access_token)).body.errors[0].extensions.reason).toBe('revoked');
    expect((await whoami(gw, jwt.access_token)).status).toBe(200);
  });

  it('shares tokens between instances, and a revocation through one refuses the token on the other at once', async () => {
    await using a = await gateway();
    await using b = await gateway();
    const opaque = await login(a.url, 'bob', 'builder', { token_format: 'opaque' });
    const jwt = await login(a.url);
    expect((await whoami(b, opaque.access_token)).status).toBe(200);
    expect((await whoami(b, jwt.access_token)).status).toBe(200);
    const refreshed = await postForm(`${b.url}/auth/token`, { grant_type: 'refresh_token', refresh_token: opaque.refresh_token, token_format: 'opaque' });
    expect(refreshed.status).toBe(200);

    await postForm(`${a.url}/auth/revoke`, { token: refreshed.body.access_token });
    expect((await whoami(b, refreshed.body.access_token)).status).toBe(401);
    await postForm(`${a.url}/auth/revoke`, { token: jwt.access_token });
    // The deny-list reaches the other instance through pub/sub: milliseconds, not a request later.
    await expect.poll(async () => (await whoami(b, jwt.access_token)).status, { timeout: 1_000, interval: 5 }).toBe(401);
  });

  it('with opaqueCacheMs, a token revoked through another instance passes there for at most that long', async () => {
    await using a = await gateway();
    await using cached = await gateway({ tokens: { opaqueCacheMs: 1_000 } });
    const opaque = await login(a.url, 'bob', 'builder', { token_format: 'opaque' });
    expect((await whoami(cached, opaque.access_token)).status).toBe(200);
    const revokedAt = Date.now();
    await postForm(`${a.url}/auth/revoke`, { token: opaque.access_token });
    expect((await whoami(a, opaque.access_token)).status).toBe(401);
    expect((await whoami(cached, opaque.access_token)).status).toBe(200);
    await expect.poll(async () => (await whoami(cached, opaque.access_token)).status, { timeout: 3_000, interval: 50 }).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1_500);
  });
});
