import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

const HINT = 'redis-server and redis-cli are required: apt-get install -y redis-server';

export interface RedisTopology extends AsyncDisposable {
  nodes: Array<{ host: string; port: number }>;
}

async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port whose cluster bus port (+10000) is free as well. */
async function clusterPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if ((await isFree(port)) && (await isFree(port + 10_000))) return port;
  }
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function answers(port: number, ...command: string[]): Promise<string> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined); // a node still starting refuses the connection: the caller polls
  try {
    await client.connect();
    return String(await client.call(command[0]!, ...command.slice(1)));
  } finally {
    client.disconnect();
  }
}

function stopAll(children: ChildProcess[]): Promise<void> {
  return Promise.all(
    children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    })),
  ).then(() => undefined);
}

/** Three masters, no replicas, on loopback: a real Redis Cluster. */
export async function startRedisCluster(): Promise<RedisTopology> {
  if (spawnSync('redis-cli', ['--version']).error) throw new Error(HINT);
  const dir = await mkdtemp(join(tmpdir(), 'junction-cluster-'));
  const ports = [await clusterPort(), await clusterPort(), await clusterPort()];
  const children = ports.map((port) =>
    spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`,
      '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' }),
  );
  try {
    for (const port of ports) await until(async () => (await answers(port, 'PING')) === 'PONG', `cluster node ${port}`);
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    for (const port of ports) await until(async () => (await answers(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'), `cluster state on ${port}`);
  } catch (error) {
    await stopAll(children);
    throw error;
  }
  return {
    nodes: ports.map((port) => ({ host: '127.0.0.1', port })),
    [Symbol.asyncDispose]: async () => {
      await stopAll(children);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** One master watched by one Sentinel; `nodes` are the sentinels. */
export async function startRedisSentinel(name: string): Promise<RedisTopology> {
  const dir = await mkdtemp(join(tmpdir(), 'junction-sentinel-'));
  const [master, sentinel] = [await clusterPort(), await clusterPort()];
  const conf = join(dir, 'sentinel.conf');
  await writeFile(conf, `port ${sentinel}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor ${name} 127.0.0.1 ${master} 1\n`);
  const children = [
    spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(master), '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' }),
    spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' }),
  ];
  try {
    await until(async () => (await answers(master, 'PING')) === 'PONG', 'sentinel master');
    await until(async () => (await answers(sentinel, 'SENTINEL', 'get-master-addr-by-name', name)).includes(String(master)), 'sentinel');
  } catch (error) {
    await stopAll(children);
    throw error;
  }
  return {
    nodes: [{ host: '127.0.0.1', port: sentinel }],
    [Symbol.asyncDispose]: async () => {
      await stopAll(children);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
