import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { FaultMode, MockStats } from '../../services-mock/mock-server.js';

const root = new URL('../..', import.meta.url).pathname;

/** One demo service replica running as its own process (services-mock/replica.ts). */
export interface ReplicaProcess extends AsyncDisposable {
  service: string;
  /** Base URL, e.g. http://127.0.0.1:43121 (GraphQL services answer on `${url}/graphql`). */
  url: string;
  port: number;
  pid: number;
  /** SIGKILL: the process dies without closing anything, as a crashed host would. Resolves once it is gone. */
  kill(): Promise<void>;
  /** Starts the replica again on the same port (after `kill`). */
  restart(): Promise<void>;
  stats(): Promise<MockStats>;
  setFault(mode: FaultMode, ms?: number): Promise<void>;
  reset(): Promise<void>;
}

function spawnReplica(service: string, port: number): Promise<{ child: ChildProcess; url: string; port: number; pid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services-mock/replica.ts', '--service', service, '--port', String(port)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      const { url, pid } = JSON.parse(line) as { url: string; pid: number };
      resolve({ child, url, port: Number(new URL(url).port), pid });
    });
    child.once('exit', (code) => reject(new Error(`replica ${service} exited (${code}) before it was ready:\n${stderr}`)));
  });
}

/** Starts a replica process on a free port (or `port`) and waits until it listens. */
export async function startReplica(service: string, port = 0): Promise<ReplicaProcess> {
  let current = await spawnReplica(service, port);
  const control = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${replica.url}${path}`, init);
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return res.json();
  };
  const kill = () =>
    new Promise<void>((resolve) => {
      const { child } = current;
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      process.kill(current.pid, 'SIGKILL');
    });
  const replica: ReplicaProcess = {
    service,
    url: current.url,
    port: current.port,
    pid: current.pid,
    kill,
    async restart() {
      await kill();
      current = await spawnReplica(service, replica.port);
      replica.pid = current.pid;
    },
    stats: () => control('/__mock/stats') as Promise<MockStats>,
    setFault: async (mode, ms = 0) => {
      await control('/__mock/fault', { method: 'POST', body: JSON.stringify({ mode, ms }) });
    },
    reset: async () => {
      await control('/__mock/reset', { method: 'POST' });
    },
    [Symbol.asyncDispose]: kill,
  };
  return replica;
}

/** Starts several replicas in parallel; disposing the result kills them all. */
export async function startReplicas(service: string, count: number): Promise<ReplicaProcess[] & AsyncDisposable> {
  const settled = await Promise.allSettled(Array.from({ length: count }, () => startReplica(service)));
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((r) => r.kill()));
    throw failed.reason;
  }
  return Object.assign(started, { [Symbol.asyncDispose]: async () => void (await Promise.all(started.map((r) => r.kill()))) });
}

/** Polls `condition` every 20 ms until it holds; fails after `timeoutMs` naming what it waited for. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
