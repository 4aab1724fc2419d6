import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import { startMockFleet } from '../lib/fleet.js';
import { measure, ratioTable, resultsTable, settingsLine, type Target } from '../lib/measure.js';
import { startNode } from '../lib/processes.js';
import { post } from './stitched-vs-monolith.js';

const DEMO_QUERY = readFileSync(new URL('../../services-mock/demo-query.graphql', import.meta.url), 'utf8');

/**
 * The demo query through two gateways on the same services: default telemetry (access log line per
 * request, aggregated field counts and timings, provisional field detail for slow/failed operations,
 * metrics, in-memory metering) against `telemetry.enabled: false`. Target: under 10% fewer req/s.
 */
export async function telemetryOnVsOff(): Promise<string> {
  const fleet = await startMockFleet({ users: 2, products: 2, reviews: 1, orders: 1 }, 0);
  const dir = await mkdtemp(join(tmpdir(), 'junction-bench-telemetry-'));
  const onConfig = join(dir, 'on.yaml');
  const offConfig = join(dir, 'off.yaml');
  // Authorization off: anonymously, the demo query's orders are denied, and an operation with an
  // error gets a full field record (telemetry.fields: slow and failed ones); this measures the
  // everyday case, an operation that succeeds.
  const common = `registry: ${JSON.stringify(fleet.registryDir)}\nauthz:\n  enabled: false\n`;
  await writeFile(onConfig, common);
  await writeFile(offConfig, `${common}telemetry:\n  enabled: false\n`);
  const serve = (config: string, label: string) =>
    startNode(['bin/junction.js', 'serve', '--config', config, '--port', '0'], { cpu: 1, label, env: { JUNCTION_CONFIG: '' } });
  const on = await serve(onConfig, 'gateway (telemetry on)');
  const off = await serve(offConfig, 'gateway (telemetry off)');
  try {
    const body = JSON.stringify({ query: DEMO_QUERY });
    const [withTelemetry, without] = [await post(`${on.url}/graphql`, body), await post(`${off.url}/graphql`, body)];
    if (!isDeepStrictEqual(withTelemetry, without)) throw new Error('the two gateways answer the demo query differently');
    const targets: Target[] = [
      { name: 'telemetry on (defaults)', process: on, body, upstream: () => fleet.upstreamRequests() },
      { name: 'telemetry off', process: off, body, upstream: () => fleet.upstreamRequests() },
    ];
    const rows = await measure(targets);
    const drop = 1 - rows[0]!.rps / rows[1]!.rps;
    return [
      '## Telemetry on vs off (demo query)',
      '',
      `Same services, same query (authorization off, so it succeeds); default telemetry (access log, field counts and timings, metrics, in-memory metering) against \`telemetry.enabled: false\`. ${settingsLine()}; gateways pinned to CPU 1, mocks and autocannon on CPU 0.`,
      '',
      resultsTable(rows),
      '',
      ratioTable(rows, rows[1]!),
      '',
      `Throughput drop with telemetry on: ${(drop * 100).toFixed(1)}% (target: under 10%).`,
    ].join('\n');
  } finally {
    await Promise.all([on.stop(), off.stop()]);
    await fleet.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
