import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { FEDERATION_QUERY, N_PLUS_ONE_QUERY } from '../../services-mock/federation-bench/queries.js';
import { subgraphTypeDefs, type BenchSubgraph } from '../../services-mock/federation-bench/subgraphs.js';
import { measure, ratioTable, resultsTable, settingsLine, type Row, type Target } from '../lib/measure.js';
import { freePort, startNode, startProgram, type BenchProcess } from '../lib/processes.js';

const root = new URL('../..', import.meta.url).pathname;
const hiveDir = join(root, 'bench/hive');

/** Hive Gateway lives in bench/hive with its own lockfile: installed on first use, never a dependency of Junction. */
function hiveBin(): string {
  const packageDir = join(hiveDir, 'node_modules/@graphql-hive/gateway');
  if (!existsSync(packageDir)) {
    process.stdout.write('  installing Hive Gateway (npm ci --prefix bench/hive)\n');
    execFileSync('npm', ['ci', '--prefix', hiveDir, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  }
  const { bin, version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { bin: Record<string, string>; version: string };
  process.stdout.write(`  Hive Gateway ${version}\n`);
  return join(packageDir, bin['hive-gateway']!);
}

async function post(url: string, query: string): Promise<{ text: string; json: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const text = await response.text();
  return { text, json: JSON.parse(text) };
}

/**
 * The public federation benchmark's four subgraphs behind Junction (`serve --supergraph`) and Hive
 * Gateway, plus the same data in one process for reference, on two workloads. Each answer is checked
 * against the monolith's (computed from data.ts) before loading, and during loading every answer must
 * equal it byte for byte.
 */
export async function federationBenchmark(): Promise<string> {
  const hive = hiveBin();
  const names = Object.keys(subgraphTypeDefs) as BenchSubgraph[];
  const mocks = await Promise.all(names.map((name) => startNode(['services-mock/replica.ts', '--service', `fed-${name}`, '--port', '0'], { cpu: 0, label: `fed-${name}` })));
  const dir = await mkdtemp(join(tmpdir(), 'junction-fed-bench-'));
  const started: BenchProcess[] = [...mocks];
  try {
    const composed = composeServices(names.map((name, i) => ({ name, typeDefs: parse(subgraphTypeDefs[name]), url: `${mocks[i]!.url}/graphql` })));
    if (compositionHasErrors(composed)) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    const supergraph = join(dir, 'supergraph.graphql');
    await writeFile(supergraph, composed.supergraphSdl);
    await mkdir(join(dir, 'empty-registry'));
    const env = { NODE_ENV: 'production' };
    const junction = await startNode(['bin/junction.js', 'serve', '--supergraph', supergraph, '--registry', join(dir, 'empty-registry'), '--port', '0'], {
      cpu: 1, label: 'junction', env: { ...env, JUNCTION_CONFIG: '' },
    });
    started.push(junction);
    const hivePort = await freePort();
    const hiveGateway = await startProgram([process.execPath, hive, 'supergraph', supergraph, '--host', '127.0.0.1', '--port', String(hivePort), '--fork', '1'], {
      cpu: 1, label: 'hive-gateway', port: hivePort, readyPath: '/healthcheck', cwd: dir, env,
    });
    started.push(hiveGateway);
    const monolith = await startNode(['services-mock/federation-bench/monolith.ts', '--port', '0'], { cpu: 1, label: 'monolith' });
    started.push(monolith);
    const upstream = async () => {
      const stats = await Promise.all(mocks.map(async (m) => ((await (await fetch(`${m.url}/__mock/stats`)).json()) as { requests: number }).requests));
      return stats.reduce((a, b) => a + b, 0);
    };

    const sections: string[] = [];
    for (const [title, query] of [['Federation query (4 subgraphs, nested five deep)', FEDERATION_QUERY], ['N+1 query (100 products, fields from 2 other subgraphs)', N_PLUS_ONE_QUERY]] as const) {
      const expected = await post(`${monolith.url}/graphql`, query);
      const answers = { junction: await post(`${junction.url}/graphql`, query), hive: await post(`${hiveGateway.url}/graphql`, query) };
      for (const [name, answer] of Object.entries(answers)) {
        if (!isDeepStrictEqual(answer.json, expected.json)) throw new Error(`${name}'s answer to "${title}" differs from the expected JSON:\n${answer.text.slice(0, 500)}`);
      }
      const body = JSON.stringify({ query });
      const targets: Target[] = [
        { name: 'junction', process: junction, body, upstream, expectBody: answers.junction.text },
        { name: 'hive-gateway', process: hiveGateway, body, upstream, expectBody: answers.hive.text },
        { name: 'monolith', process: monolith, body, expectBody: expected.text },
      ];
      process.stdout.write(`  ${title}\n`);
      const rows = await measure(targets);
      sections.push(workloadSection(title, rows));
    }
    return [
      '## Federation: Junction vs Hive Gateway',
      '',
      `The four subgraphs of the public federation gateway benchmark (accounts, inventory, products, reviews; inventory computes`,
      `shippingEstimate from the fields @requires sends), one supergraph file served by \`junction serve --supergraph\` and by`,
      `\`hive-gateway supergraph\`, plus the same data in one yoga process. Answers checked equal to the monolith's before loading,`,
      `and every answer during loading compared byte for byte ("failed" counts any difference). ${settingsLine()}; servers pinned`,
      'to CPU 1, subgraphs and autocannon on CPU 0.',
      '',
      ...sections,
    ].join('\n');
  } finally {
    await Promise.all(started.map((p) => p.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

function workloadSection(title: string, rows: Row[]): string {
  const [junction, hive] = rows as [Row, Row, Row];
  return [`### ${title}`, '', resultsTable(rows), '', ratioTable(rows, hive), '', `Junction / Hive Gateway requests/s: **${(junction.rps / hive.rps).toFixed(2)}×**.`, ''].join('\n');
}
