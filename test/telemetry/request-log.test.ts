import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/telemetry/index.js';
import { createRequestLog } from '../../src/telemetry/logger.js';
import { CLI } from '../helpers/cli.js';
import { DEMO_REGISTRY } from '../helpers/registry.js';

interface Served {
  child: ChildProcess;
  url: string;
  /** Every stdout line so far, parsed. */
  lines(): Array<Record<string, unknown>>;
  exited: Promise<void>;
}

const started: Served[] = [];
const dirs: string[] = [];

/** `junction serve` as a user runs it, stdout piped to us (the gateway's services are down: not needed here). */
async function serve(flushIntervalMs: number): Promise<Served> {
  const dir = await mkdtemp(join(tmpdir(), 'junction-request-log-'));
  dirs.push(dir);
  const config = join(dir, 'junction.yaml');
  await writeFile(config, `registry: ${JSON.stringify(DEMO_REGISTRY)}\nreload:\n  enabled: false\ntelemetry:\n  accessLog:\n    flushIntervalMs: ${flushIntervalMs}\n`);
  const child = spawn(CLI[0]!, [...CLI.slice(1), 'serve', '--config', config, '--port', '0', '--host', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, JUNCTION_CONFIG: '' },
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /GraphiQL: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`junction serve exited early:\n${out}`)));
  });
  const served: Served = {
    child, url, exited,
    lines: () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
  };
  started.push(served);
  return served;
}

const accessLines = (s: Served) => s.lines().filter((l) => l['msg'] === 'request');

async function query(s: Served, id: string): Promise<void> {
  const response = await fetch(`${s.url}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(response.status).toBe(200);
  await response.text();
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

afterEach(async () => {
  for (const s of started.splice(0)) {
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await s.exited;
  }
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('buffered request log (stdout)', () => {
  it('writes access lines in blocks at the flush interval, not with a write per request', async () => {
    const s = await serve(1500);
    const before = s.lines().length;
    await query(s, 'buffered-1');
    await query(s, 'buffered-2');
    await new Promise((r) => setTimeout(r, 300));
    // Still buffered: a line per request would have been written at once.
    expect(accessLines(s)).toEqual([]);
    expect(s.lines().length).toBe(before);
    await until(() => accessLines(s).length === 2, 3000);
    expect(accessLines(s).map((l) => l['requestId'])).toEqual(['buffered-1', 'buffered-2']);
  });

  it('writes what is buffered when the gateway shuts down', async () => {
    const s = await serve(60_000);
    await query(s, 'at-shutdown-1');
    await query(s, 'at-shutdown-2');
    expect(accessLines(s)).toEqual([]);
    s.child.kill('SIGTERM');
    await s.exited;
    expect(accessLines(s).map((l) => l['requestId'])).toEqual(['at-shutdown-1', 'at-shutdown-2']);
    expect(s.lines().at(-1)).toMatchObject({ msg: 'stopped' });
  });

  it('writes a block as soon as about 64 KiB of lines are buffered, before the interval', async () => {
    const s = await serve(60_000);
    let sent = 0;
    // Each access line is a few hundred bytes: a block is written long before the minute is up.
    while (accessLines(s).length === 0 && sent < 2000) await query(s, `block-${++sent}`);
    const written = accessLines(s).map((l) => l['requestId']);
    expect(written.length).toBeGreaterThan(1);
    expect(written.length).toBeLessThan(sent + 1);
    expect(written).toEqual(Array.from({ length: written.length }, (_, i) => `block-${i + 1}`));
  });

  it('writes each line at once with flushIntervalMs: 0', async () => {
    const s = await serve(0);
    await query(s, 'unbuffered');
    await until(() => accessLines(s).length === 1, 1000);
    expect(accessLines(s)[0]).toMatchObject({ requestId: 'unbuffered', status: 200 });
  });
});

describe('access line writer', () => {
  it("writes the root logger's format, byte for byte what pino writes for the same fields", async () => {
    const sink = new PassThrough();
    const chunks: string[] = [];
    sink.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const root = createLogger({ destination: sink });
    const fields = { requestId: 'a"b\nc', status: 200, durationMs: 1.5, absent: undefined, upstream: [{ service: 'users', shared: undefined }], name: '\u001b[31mred' };
    createRequestLog(root, { flushIntervalMs: 1000 }).lines('access')(fields, 'request');
    root.child({ module: 'access' }).info(fields, 'request');
    await new Promise((r) => setImmediate(r));
    const [ours, pinos] = chunks.join('').trim().split('\n');
    const withoutTime = (line: string | undefined) => line?.replace(/"time":"[^"]+"/, '"time":"T"');
    expect(withoutTime(ours)).toBe(withoutTime(pinos));
    expect(JSON.parse(ours!)).toMatchObject({ level: 'info', service: 'junction', module: 'access', requestId: 'a"b\nc', msg: 'request' });
  });
});
