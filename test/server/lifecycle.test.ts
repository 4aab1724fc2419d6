import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { CLI } from '../helpers/cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../helpers/gateway.js';
import { startMocks, type MockFleet } from '../helpers/mocks.js';
import { demoRegistryFor, type TempRegistry } from '../helpers/registry.js';


describe('gateway lifecycle', () => {
  let mocks: MockFleet;
  let registry: TempRegistry;
  beforeAll(async () => {
    mocks = await startMocks({ users: 1, products: 1, reviews: 1, orders: 1 });
    registry = await demoRegistryFor(mocks);
  });
  afterAll(async () => {
    await mocks?.[Symbol.asyncDispose]();
    await registry?.[Symbol.asyncDispose]();
  });

  it('answers /healthz and /readyz, and reports not-ready while draining', async () => {
    const gw = await startGateway({ registry: registry.dir });
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
    mocks.users![0]!.setFault('slow', 300);
    const before = mocks.users![0]!.stats().requests;
    const inFlight = gw.query('{ user(id: "1") { name } }');
    // Close once the request is in flight upstream (a fixed sleep raced with a busy machine).
    while (mocks.users![0]!.stats().requests === before) await new Promise((r) => setTimeout(r, 5));
    const closing = gw.gateway.close();
    const draining = await gw.gateway.fetch('http://gateway/readyz');
    expect(draining.status).toBe(503);
    expect((await inFlight).body).toEqual({ data: { user: { name: 'Alice Liddell' } } });
    await closing;
    mocks.users![0]!.setFault('ok');
    await expect(fetch(`${gw.url}/healthz`)).rejects.toThrow();
  });

  it('`junction serve` finishes a request in flight on SIGTERM, then exits 0', async () => {
    const child = spawn(CLI[0]!, [...CLI.slice(1), 'serve', '--registry', registry.dir, '--port', '0', '--host', '127.0.0.1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, JUNCTION_CONFIG: '' },
    });
    try {
      const lines = createInterface({ input: child.stdout! });
      let url = '';
      for await (const line of lines) {
        const match = /GraphiQL: (http:\/\/\S+)\/graphql/.exec(line);
        if (match) {
          url = match[1]!;
          break;
        }
      }
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      mocks.products![0]!.setFault('slow', 500);
      const inFlight = fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ product(id: "2") { id } }' }) });
      await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGTERM');
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { product: { id: '2' } } });
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      mocks.products![0]!.setFault('ok');
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
