import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import type { RunningGateway } from '../helpers/gateway.js';
import { startDemoStack, type DemoStack } from '../helpers/demo-stack.js';

const TOKEN = 'cli-admin-token-0123456789';
const run = promisify(execFile);

async function junction(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(CLI[0]!, [...CLI.slice(1), ...args], { env: { ...process.env, JUNCTION_CONFIG: '', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('junction usage', () => {
  let gw: RunningGateway;
  let stack: DemoStack | undefined;
  beforeAll(async () => {
    ({ gw } = stack = await startDemoStack({ authz: { enabled: false }, telemetry: { admin: { token: TOKEN } } }));
    for (let i = 0; i < 3; i++) await gw.query('query Catalog { topProducts(first: 2) { name price } }');
    await gw.query('query Profile { user(id: "1") { name orders { total } } }');
  });
  afterAll(() => stack?.[Symbol.asyncDispose]());

  it('prints top clients, operations and fields, slowest fields, service error rates and the fields nobody requested', async () => {
    const { code, stdout } = await junction(['usage', '--url', gw.url, '--since', '1h'], { JUNCTION_ADMIN_TOKEN: TOKEN });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^4 operations \(0 failed\), \d+ field resolutions, 5 upstream calls$/m);
    expect(stdout).toMatch(/^Top clients\n\s+client\s+operations\s+failed\s+avg ms\n\s+anonymous\s+4\s+0\s+[\d.]+$/m);
    expect(stdout).toMatch(/^\s+Catalog\s+3\s+0\s+[\d.]+\s+1$/m);
    expect(stdout).toMatch(/^\s+Product\.name\s+6\s+0$/m);
    expect(stdout).toMatch(/^Slowest fields \(all clients\)$/m);
    expect(stdout).toMatch(/^\s+orders\s+1\s+0\s+0\.0%\s+[\d.]+$/m);
    const unused = stdout.slice(stdout.indexOf('Fields nobody requested'));
    expect(unused).toMatch(/^Fields nobody requested \(\d+; candidates for deprecation\)$/m);
    expect(unused).toContain('User.email');
    expect(unused).not.toContain('Product.name');
  });

  it('filters by client and prints JSON with --json', async () => {
    const { code, stdout } = await junction(['usage', '--url', gw.url, '--client', 'nobody', '--json'], { JUNCTION_ADMIN_TOKEN: TOKEN });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ filter: { client: 'nobody' }, totals: { requests: 0 } });
  });

  it.each([
    { args: ['--since', '1h'], env: { JUNCTION_ADMIN_TOKEN: 'wrong-token-0123456789' }, code: 1, message: /answered 401.*JUNCTION_ADMIN_TOKEN/ },
    { args: ['--since', 'yesterday'], env: { JUNCTION_ADMIN_TOKEN: TOKEN }, code: 2, message: /--since: expected a duration like 15m, 1h or 7d/ },
  ])('exits $code with a clear message for $args.1 and that token', async ({ args, env, code, message }) => {
    const result = await junction(['usage', '--url', gw.url, ...args], env);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });
});
