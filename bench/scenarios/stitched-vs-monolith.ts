import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { startMockFleet } from '../lib/fleet.js';
import { measure, ratioTable, resultsTable, settingsLine, type Target } from '../lib/measure.js';
import { startNode } from '../lib/processes.js';
import { WITHOUT_AUTHZ_CONFIG } from './authz.js';

const DEMO_QUERY = readFileSync(new URL('../../services-mock/demo-query.graphql', import.meta.url), 'utf8');

export async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return res.json();
}

/** The demo query through Junction (4 services, 6 processes) vs the same graph in one yoga process. */
export async function stitchedVsMonolith(): Promise<string> {
  const fleet = await startMockFleet({ users: 2, products: 2, reviews: 1, orders: 1 }, 0);
  const gateway = await startNode(['bin/junction.js', 'serve', '--registry', fleet.registryDir, '--port', '0'], { cpu: 1, label: 'gateway', env: { JUNCTION_CONFIG: WITHOUT_AUTHZ_CONFIG } });
  const monolith = await startNode(['services-mock/monolith.ts', '--port', '0'], { cpu: 1, label: 'monolith' });
  try {
    const body = JSON.stringify({ query: DEMO_QUERY });
    const expected = await post(`${monolith.url}/graphql`, body);
    const actual = await post(`${gateway.url}/graphql`, body);
    if (!isDeepStrictEqual(actual, expected)) throw new Error(`the gateway's answer differs from the monolith's:\n${JSON.stringify(actual).slice(0, 500)}`);
    const targets: Target[] = [
      { name: 'junction (4 services)', process: gateway, body, upstream: () => fleet.upstreamRequests() },
      { name: 'monolith', process: monolith, body },
    ];
    const rows = await measure(targets);
    return [
      '## Demo query: Junction vs a monolith',
      '',
      `Answers checked equal before loading. ${settingsLine()}; servers pinned to CPU 1, mocks and autocannon on CPU 0.`,
      '',
      resultsTable(rows),
      '',
      ratioTable(rows, rows[1]!),
    ].join('\n');
  } finally {
    await Promise.all([gateway.stop(), monolith.stop()]);
    await fleet.stop();
  }
}
