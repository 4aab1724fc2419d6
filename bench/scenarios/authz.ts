import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startMockFleet } from '../lib/fleet.js';
import { measure, ratioTable, resultsTable, settingsLine, type Row, type Target } from '../lib/measure.js';
import { startNode, type BenchProcess } from '../lib/processes.js';
import { formatNumber } from '../lib/table.js';

/** Config for scenarios that measure something else on the demo registry (its directives would deny their anonymous queries). */
export const WITHOUT_AUTHZ_CONFIG = new URL('./authz-off.yaml', import.meta.url).pathname;

const DEMO_QUERY = readFileSync(new URL('../../services-mock/demo-query.graphql', import.meta.url), 'utf8');
/** Every protected field of the demo registry, for 20 users: two policies per user, decided per object. */
const PROTECTED_QUERY = '{ users(first: 20) { name email orders { id total } } }';
const POLICIES = new URL('../../services-mock/demo-policies.ts', import.meta.url).pathname;

/**
 * The demo registry's directives, enforced vs not, for a viewer who is denied nothing (alice, an
 * admin): what authorization costs when it only says yes. Two gateways with the same signing key, so
 * one token serves both; answers checked equal before loading. Target: < 5% of throughput.
 */
export async function authzOverhead(): Promise<string> {
  const fleet = await startMockFleet({ users: 2, products: 2, reviews: 1, orders: 1, auth: 1 }, 0);
  const dir = await mkdtemp(join(tmpdir(), 'junction-bench-authz-'));
  const keyFile = join(dir, 'signing-key.pem');
  await writeFile(keyFile, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const authUrl = fleet.replicas.find((r) => r.service === 'auth')!.url;
  const base = {
    registry: fleet.registryDir,
    logging: { level: 'warn' },
    auth: { authService: { url: authUrl }, tokens: { accessTokenTtlSeconds: 3600 }, jwt: { keys: [{ kid: 'bench', privateKeyFile: keyFile }] } },
  };
  const configs = { on: join(dir, 'on.yaml'), off: join(dir, 'off.yaml') };
  await writeFile(configs.on, stringify({ ...base, authz: { policies: POLICIES } }));
  await writeFile(configs.off, stringify({ ...base, authz: { enabled: false } }));
  const start = (name: keyof typeof configs) =>
    startNode(['bin/junction.js', 'serve', '--config', configs[name], '--port', '0'], { cpu: 1, label: `gateway (authz ${name})`, env: { JUNCTION_CONFIG: '' } });
  const gateways: BenchProcess[] = [];
  try {
    gateways.push(await start('on'), await start('off'));
    const [on, off] = gateways as [BenchProcess, BenchProcess];
    const token = await login(on.url);
    const headers = { authorization: `Bearer ${token}` };
    const bodies = { demo: JSON.stringify({ query: DEMO_QUERY }), protected: JSON.stringify({ query: PROTECTED_QUERY }) };
    for (const body of Object.values(bodies)) {
      const withAuthz = await post(`${on.url}/graphql`, body, headers);
      const without = await post(`${off.url}/graphql`, body, headers);
      if (withAuthz !== without || withAuthz.includes('"errors"')) throw new Error(`answers differ or carry errors:\non:  ${withAuthz.slice(0, 400)}\noff: ${without.slice(0, 400)}`);
    }
    const upstream = () => fleet.upstreamRequests();
    const targets: Target[] = [
      { name: 'demo query, authz off', process: off, body: bodies.demo, headers, upstream },
      { name: 'demo query, authz on', process: on, body: bodies.demo, headers, upstream },
      { name: 'protected fields, authz off', process: off, body: bodies.protected, headers, upstream },
      { name: 'protected fields, authz on', process: on, body: bodies.protected, headers, upstream },
    ];
    const rows = await measure(targets);
    const [demoOff, demoOn, protOff, protOn] = rows as [Row, Row, Row, Row];
    const cost = (withAuthz: Row, without: Row) =>
      `${formatNumber((1 - withAuthz.rps / without.rps) * 100)}% throughput, ${formatNumber((withAuthz.cpuMsPerRequest - without.cpuMsPerRequest) * 1000)} µs CPU per request`;
    return [
      '## Authorization: the demo directives enforced vs not, nothing denied',
      '',
      `Two gateways (same registry, same signing key) on CPU 1; alice (admin) queries both with one JWT; answers checked equal and error-free before loading. ${settingsLine()}.`,
      '',
      resultsTable(rows),
      '',
      ratioTable([demoOn, demoOff], demoOff),
      '',
      ratioTable([protOn, protOff], protOff),
      '',
      `- Demo query (${'`'}User.orders${'`'} guarded by a policy): ${cost(demoOn, demoOff)} (target: < 5% throughput).`,
      `- \`${PROTECTED_QUERY}\`: ${cost(protOn, protOff)}. Upstream requests per request ${formatNumber(protOn.upstreamPerRequest)} vs ${formatNumber(protOff.upstreamPerRequest)}: ` +
        "a field guarded by a policy that reads its parent (User.email) is fetched after the parent, once the policy allowed it, in one batched request of its own, so its service never answers for a viewer the policy refuses.",
    ].join('\n');
  } finally {
    await Promise.all(gateways.map((g) => g.stop()));
    await fleet.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function login(gatewayUrl: string): Promise<string> {
  const res = await fetch(`${gatewayUrl}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: 'alice', password: 'wonderland' }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return res.text();
}
