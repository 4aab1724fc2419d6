import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/telemetry/index.js';
import { JsonBytes } from '../../src/telemetry/json-bytes.js';
import { createRequestLog, LineBlock, lineParts, writeTime } from '../../src/telemetry/request-log.js';
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
    const fields = { requestId: 'a"b\nc', status: 200, durationMs: 1.5, upstream: [{ service: 'users' }], name: '\u001b[31mred' };
    const writer = createRequestLog(root, { flushIntervalMs: 1000 }).lines('access', 'request');
    const out = writer.begin()!;
    writeMembers(out, fields);
    writer.end();
    root.child({ module: 'access' }).info(fields, 'request');
    await new Promise((r) => setImmediate(r));
    const [ours, pinos] = chunks.join('').trim().split('\n');
    const withoutTime = (line: string | undefined) => line?.replace(/"time":"[^"]+"/, '"time":"T"');
    expect(withoutTime(ours)).toBe(withoutTime(pinos));
    expect(JSON.parse(ours!)).toMatchObject({ level: 'info', service: 'junction', module: 'access', requestId: 'a"b\nc', msg: 'request' });
  });

  it('writes the time as Date#toISOString does, across seconds, back and forth', () => {
    const second = Date.UTC(2026, 10, 27, 23, 59, 59);
    const times = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, second, second + 7, second + 999, second + 1000, second + 42, second + 120_000, second,
      Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), Date.now()];
    for (const t of times) {
      const out = new JsonBytes(8);
      writeTime(out, t);
      expect(out.toString()).toBe(new Date(t).toISOString());
    }
  });

  it('gives the same fields to a logger made elsewhere (an embedder\'s pino), through pino', async () => {
    const sink = new PassThrough();
    const chunks: string[] = [];
    sink.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const theirs = pino({ base: { app: 'embedder' } }, sink);
    const fields = { requestId: 'a"b\nc', status: 200, durationMs: 1.5, upstream: [{ service: 'users' }] };
    const writer = createRequestLog(theirs, { flushIntervalMs: 1000 }).lines('access', 'request');
    writeMembers(writer.begin()!, fields);
    writer.end();
    await new Promise((r) => setImmediate(r));
    const line = JSON.parse(chunks.join('').trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ app: 'embedder', module: 'access', msg: 'request', ...fields });
    expect(Object.keys(line)).not.toContain('');
  });

  it('writes blocks to the file descriptor, with the lines of other loggers in order, and drops a line whose writer threw', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'junction-line-block-'));
    dirs.push(dir);
    const file = join(dir, 'log');
    const fd = openSync(file, 'w');
    try {
      const root = createLogger({ destination: new PassThrough() });
      const block = new LineBlock(fd);
      const line = lineParts(root, 'access', 'request');
      writeMembers(block.begin(line), { n: 1 });
      block.end(line);
      block.write('{"msg":"field record"}\n');
      // A writer that threw half-way: its half line never reaches the file.
      writeMembers(block.begin(line), { n: 2 });
      writeMembers(block.begin(line), { n: 3 });
      block.end(line);
      writeMembers(block.begin(line), { n: 4 });
      expect(readFileSync(file, 'utf8')).toBe('');
      block.flush();
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l['n'] ?? l['msg'])).toEqual([1, 'field record', 3]);
      // Once about 64 KiB of lines are buffered, they go out without a flush; the rest stays buffered.
      for (let i = 0; i < 400; i++) {
        writeMembers(block.begin(line), { n: i, pad: 'x'.repeat(200) });
        block.end(line);
      }
      const written = readFileSync(file, 'utf8');
      const count = written.trim().split('\n').length - lines.length;
      expect(count).toBeGreaterThan(100);
      expect(count).toBeLessThan(400);
      expect(written.length).toBeGreaterThan(64 * 1024);
    } finally {
      closeSync(fd);
    }
  });
});

/** Appends `fields` as members (`,"name":value`), the way the access line does. */
function writeMembers(out: JsonBytes, fields: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(fields)) {
    out.text(`,${JSON.stringify(name)}:`);
    if (typeof value === 'string') out.string(value);
    else if (typeof value === 'number') out.number(value);
    else out.text(JSON.stringify(value));
  }
}
