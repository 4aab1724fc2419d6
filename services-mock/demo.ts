/**
 * `npm start`: runs every demo service replica named in the service.yaml files under schemas/ (plus the auth
 * service) as its own process, then the gateway, and stops them all on Ctrl-C.
 * PORT moves the gateway; the mock ports are the ones the registry names.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const registry = join(root, 'schemas');
const AUTH_PORT = 4501;
const children: ChildProcess[] = [];

/** Starts a child and resolves once it prints a line matching `ready` (its first line by default). */
function start(args: string[], label: string, ready: (line: string) => boolean = () => true): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    let started = false;
    lines.on('line', (line) => {
      process.stdout.write(started ? `${line}\n` : `  ${label}: ${line}\n`);
      if (!started && ready(line)) {
        started = true;
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`${label} exited with code ${code} before it was ready`)));
  });
}

async function replicasFromRegistry(): Promise<Array<{ service: string; port: number }>> {
  const replicas = [];
  for (const service of (await readdir(registry, { withFileTypes: true })).filter((e) => e.isDirectory())) {
    const manifest = parse(await readFile(join(registry, service.name, 'service.yaml'), 'utf8')) as { endpoints: Array<{ url: string }> };
    for (const endpoint of manifest.endpoints) replicas.push({ service: service.name, port: Number(new URL(endpoint.url).port) });
  }
  return replicas;
}

function stopAll(code: number): never {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exit(code);
}
process.once('SIGINT', () => stopAll(0));
process.once('SIGTERM', () => stopAll(0));

try {
  process.stdout.write('Starting demo services:\n');
  const replicas = [...(await replicasFromRegistry()), { service: 'auth', port: AUTH_PORT }];
  await Promise.all(replicas.map((r) => start(['services-mock/replica.ts', '--service', r.service, '--port', String(r.port)], `${r.service}:${r.port}`)));
  process.stdout.write('Starting the gateway:\n');
  await start(['src/cli.ts', 'serve', '--config', 'services-mock/demo.config.yaml'], 'gateway', (line) => line.includes('GraphiQL:'));
  process.stdout.write('\nOpen the GraphiQL URL above in a browser for GraphiQL (the demo query is preloaded). Ctrl-C stops everything.\n');
} catch (error) {
  process.stderr.write(`demo failed to start: ${(error as Error).message}\n`);
  stopAll(1);
}
