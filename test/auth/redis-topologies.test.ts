import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayConfigInput } from '../../src/config/index.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { basic, keyDir, login, postForm, startAuthFleet, WHOAMI, type AuthFleet, type KeyDir } from './auth-helpers.js';
import { startRedisCluster, startRedisSentinel } from './redis-topologies.js';

describe('token store on Redis Cluster and Sentinel', () => {
  let fleet: AuthFleet;
  let keys: KeyDir;
  let keyFile: string;
  beforeAll(async () => {
    [fleet, keys] = await Promise.all([startAuthFleet(), keyDir()]);
    keyFile = (await keys.key('shared')).privateFile;
  });
  afterAll(async () => {
    await fleet?.[Symbol.asyncDispose]();
    await keys?.[Symbol.asyncDispose]();
  });
  const gateway = (redis: GatewayConfigInput['redis']) =>
    startGateway({ registry: fleet.registry.dir, redis, auth: { authService: { url: fleet.authUrl }, jwt: { keys: [{ kid: 'shared', privateKeyFile: keyFile }] } } });
  const whoami = (gw: RunningGateway, token: string) => gw.query(WHOAMI, undefined, { authorization: `Bearer ${token}` });

  it('runs every token operation on a 3-node Redis Cluster, and replicates the deny-list between instances', async () => {
    await using cluster = await startRedisCluster();
    await using a = await gateway({ cluster: { nodes: cluster.nodes } });
    await using b = await gateway({ cluster: { nodes: cluster.nodes } });
    // Sessions of several users land in different slots; each session stays in one.
    const [aliceJwt, aliceOpaque, , bobOpaque] = await Promise.all(
      [['alice', 'wonderland', 'jwt'], ['alice', 'wonderland', 'opaque'], ['bob', 'builder', 'jwt'], ['bob', 'builder', 'opaque']].map(([user, password, format]) =>
        login(a.url, user, password, { token_format: format! })),
    );
    for (const s of [aliceJwt!, aliceOpaque!, bobOpaque!]) expect((await whoami(b, s.access_token)).status).toBe(200);

    const rotated = await postForm(`${b.url}/auth/token`, { grant_type: 'refresh_token', refresh_token: bobOpaque!.refresh_token, token_format: 'opaque' });
    expect(rotated.status).toBe(200);
    const reuse = await postForm(`${a.url}/auth/token`, { grant_type: 'refresh_token', refresh_token: bobOpaque!.refresh_token });
    expect(reuse.body.error).toBe('invalid_grant');
    expect((await whoami(b, rotated.body.access_token)).status).toBe(401);

    const admin = { authorization: basic('backoffice', 'backoffice-secret') };
    expect((await postForm(`${a.url}/auth/sessions/update`, { subject: '1', scope: 'orders:read' }, admin)).body.updated).toBe(2);
    expect((await whoami(b, aliceOpaque!.access_token)).body.data.whoami.scopes).toBe('orders:read');

    await postForm(`${a.url}/auth/revoke`, { token: aliceJwt!.access_token });
    await expect.poll(async () => (await whoami(b, aliceJwt!.access_token)).status, { timeout: 2_000, interval: 10 }).toBe(401);
    for (let i = 0; i < 10; i++) await postForm(`${a.url}/auth/token`, { grant_type: 'password', username: 'carol', password: 'x' });
    expect((await postForm(`${b.url}/auth/token`, { grant_type: 'password', username: 'carol', password: 'x' })).status).toBe(429);
  });

  it('finds the master through Redis Sentinel', async () => {
    await using sentinel = await startRedisSentinel('tokens');
    await using gw = await gateway({ sentinel: { sentinels: sentinel.nodes, name: 'tokens' } });
    const opaque = await login(gw.url, 'bob', 'builder', { token_format: 'opaque' });
    expect((await whoami(gw, opaque.access_token)).body.data.whoami.tokenKind).toBe('opaque');
    await postForm(`${gw.url}/auth/revoke`, { token: opaque.refresh_token });
    expect((await whoami(gw, opaque.access_token)).status).toBe(401);
  });
});
