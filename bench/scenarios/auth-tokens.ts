import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { createAuth, type Authenticator } from '../../src/auth/index.js';
import { resolveConfig, type GatewayConfigInput } from '../../src/config/index.js';
import { createRedis, closeRedis, waitForRedis } from '../../src/redis/index.js';
import { createLogger } from '../../src/telemetry/index.js';
import { startRedis } from '../../test/helpers/redis.js';
import { startMockFleet } from '../lib/fleet.js';
import { measure, ratioTable, resultsTable, settingsLine, type Target } from '../lib/measure.js';
import { startNode } from '../lib/processes.js';
import { formatNumber } from '../lib/table.js';
import { post } from './stitched-vs-monolith.js';

const DEMO_QUERY = readFileSync(new URL('../../services-mock/demo-query.graphql', import.meta.url), 'utf8');
const PROBE_REQUESTS = 300;

/**
 * The demo query through one gateway (Redis token store), anonymous vs with a JWT vs with an opaque
 * token. Targets: JWT validation costs < 5% of throughput; an opaque token costs ≤ 1 Redis round trip.
 */
export async function authTokens(): Promise<string> {
  const fleet = await startMockFleet({ users: 2, products: 2, reviews: 1, orders: 1, auth: 1 }, 0);
  const redis = await startRedis();
  const dir = await mkdtemp(join(tmpdir(), 'junction-bench-auth-'));
  const configFile = join(dir, 'junction.yaml');
  const authUrl = fleet.replicas.find((r) => r.service === 'auth')!.url;
  const keyFile = join(dir, 'signing-key.pem');
  await writeFile(keyFile, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const auth = { authService: { url: authUrl }, tokens: { accessTokenTtlSeconds: 3600 }, jwt: { keys: [{ kid: 'bench', privateKeyFile: keyFile }] } };
  // Usage metering stays in memory here: its batched flushes (Lua scripts every 5 s) would otherwise
  // be counted below as if requests paid for them.
  const telemetry = { metering: { store: 'memory' } };
  await writeFile(configFile, stringify({ registry: fleet.registryDir, logging: { level: 'warn' }, auth, authz: { enabled: false }, telemetry }));
  const gateway = await startNode(['src/cli.ts', 'serve', '--config', configFile, '--port', '0'], { cpu: 1, label: 'gateway', env: { REDIS_URL: redis.url, JUNCTION_CONFIG: '' } });
  const probe = new Redis(redis.url);
  try {
    const login = async (format: string) => {
      const res = await fetch(`${gateway.url}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username: 'alice', password: 'wonderland', token_format: format }),
      });
      if (!res.ok) throw new Error(`login (${format}) failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const bearer = { jwt: { authorization: `Bearer ${await login('jwt')}` }, opaque: { authorization: `Bearer ${await login('opaque')}` } };
    const body = JSON.stringify({ query: DEMO_QUERY });
    const url = `${gateway.url}/graphql`;
    const expected = await post(url, body);
    for (const headers of Object.values(bearer)) {
      const actual = await post(url, body, headers);
      if (!isDeepStrictEqual(actual, expected)) throw new Error(`an authenticated answer differs from the anonymous one:\n${JSON.stringify(actual).slice(0, 500)}`);
    }

    // Redis commands per request, counted by Redis itself over sequential requests. Not counted: this
    // probe's INFO and the deny-list's background re-read (two sorted-set commands a minute).
    const background = new Set(['info', 'zrangebyscore', 'zremrangebyscore', 'subscribe']);
    const commands = async () => {
      const info = await probe.info('commandstats');
      return [...info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].filter(([, name]) => !background.has(name!)).reduce((n, m) => n + Number(m[2]), 0);
    };
    const perRequest = async (headers: Record<string, string>) => {
      const before = await commands();
      for (let i = 0; i < PROBE_REQUESTS; i++) await post(url, body, headers);
      return ((await commands()) - before) / PROBE_REQUESTS;
    };
    const redisPerRequest = { anonymous: await perRequest({}), jwt: await perRequest(bearer.jwt), opaque: await perRequest(bearer.opaque) };
    const micro = await validationMicros(auth, redis.url, bearer);

    const upstream = () => fleet.upstreamRequests();
    const targets: Target[] = [
      { name: 'anonymous', process: gateway, body, upstream },
      { name: 'JWT (ES256)', process: gateway, body, headers: bearer.jwt, upstream },
      { name: 'opaque (Redis)', process: gateway, body, headers: bearer.opaque, upstream },
    ];
    const rows = await measure(targets);
    const [anonymous, jwt, opaque] = rows as [(typeof rows)[number], (typeof rows)[number], (typeof rows)[number]];
    const cost = (row: typeof jwt) => `${formatNumber((1 - row.rps / anonymous.rps) * 100)}% throughput, ${formatNumber((row.cpuMsPerRequest - anonymous.cpuMsPerRequest) * 1000)} µs CPU per request`;
    return [
      '## Authentication: the demo query anonymous, with a JWT, with an opaque token',
      '',
      `One gateway (Redis token store, ES256 development key, usage metering in memory) on CPU 1; answers checked equal before loading. ${settingsLine()}.`,
      '',
      resultsTable(rows),
      '',
      ratioTable(rows, anonymous),
      '',
      `- JWT validation cost: ${cost(jwt)} (target: < 5% throughput).`,
      `- Opaque validation cost: ${cost(opaque)}.`,
      `- Validation alone, in-process (${MICRO_OPS} calls each, same keys and Redis): JWT first sight (signature check) ${formatNumber(micro.jwtUncached)} µs, ` +
        `JWT seen before (verified-token cache) ${formatNumber(micro.jwtCached)} µs, opaque (one Redis round trip, wall time) ${formatNumber(micro.opaque)} µs; ` +
        `that is ${formatNumber((micro.jwtUncached / (anonymous.cpuMsPerRequest * 1000)) * 100)}% / ${formatNumber((micro.jwtCached / (anonymous.cpuMsPerRequest * 1000)) * 100)}% of the CPU an anonymous demo query costs.`,
      `- Redis commands per request (${PROBE_REQUESTS} sequential requests each, counted by Redis): anonymous ${formatNumber(redisPerRequest.anonymous)}, ` +
        `JWT ${formatNumber(redisPerRequest.jwt)}, opaque ${formatNumber(redisPerRequest.opaque)} (target: ≤ 1 round trip for opaque).`,
    ].join('\n');
  } finally {
    probe.disconnect();
    await gateway.stop();
    await fleet.stop();
    await redis[Symbol.asyncDispose]();
    await rm(dir, { recursive: true, force: true });
  }
}

const MICRO_OPS = 2000;

/** Times the authenticator alone, away from HTTP and load-generator noise: the cost a request pays for its token. */
async function validationMicros(auth: NonNullable<GatewayConfigInput['auth']>, redisUrl: string, bearer: { jwt: Record<string, string>; opaque: Record<string, string> }) {
  const logger = createLogger({ level: 'silent' });
  const redis = createRedis(resolveConfig({ redis: { url: redisUrl } }).redis, logger)!;
  await waitForRedis(redis, 5_000);
  const make = (jwtCacheSize: number) => createAuth({ config: resolveConfig({ auth: { ...auth, tokens: { ...auth.tokens, jwtCacheSize } } }).auth, redis, logger });
  const [uncached, cached] = await Promise.all([make(0), make(10_000)]);
  const time = async (authenticator: Authenticator, headers: Record<string, string>) => {
    await authenticator.authenticate(headers['authorization']);
    const started = performance.now();
    for (let i = 0; i < MICRO_OPS; i++) await authenticator.authenticate(headers['authorization']);
    return ((performance.now() - started) * 1000) / MICRO_OPS;
  };
  try {
    return {
      jwtUncached: await time(uncached.authenticator!, bearer.jwt),
      jwtCached: await time(cached.authenticator!, bearer.jwt),
      opaque: await time(cached.authenticator!, bearer.opaque),
    };
  } finally {
    await Promise.all([uncached.close(), cached.close()]);
    await closeRedis(redis);
  }
}
