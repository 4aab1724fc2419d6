import { CLI } from '../helpers/cli.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { loadRegistry } from '../../src/registry/index.js';
import { JunctionError, type Problem } from '../../src/shared/errors.js';
import { DEMO_REGISTRY, tempRegistry } from '../helpers/registry.js';

const run = promisify(execFile);
const USERS_SDL = 'type User { id: ID! name: String! }\ntype Query {\n  user(id: ID!): User\n}\n';

const manifest = (extra: string, endpoints = '  - url: http://127.0.0.1:1/graphql\n  - url: http://127.0.0.1:2/graphql\n', kind = 'graphql') =>
  `name: users\nkind: ${kind}\nendpoints:\n${endpoints}${extra}`;

async function problemsOf(yaml: string): Promise<Problem[]> {
  await using registry = await tempRegistry();
  await registry.write('users/service.yaml', yaml);
  await registry.write('users/schema.graphql', USERS_SDL);
  try {
    await loadRegistry(registry.dir);
  } catch (error) {
    if (error instanceof JunctionError) return error.problems.map((p) => ({ ...p, file: p.file.replaceAll(registry.dir + '/', '') }));
    throw error;
  }
  return [];
}

describe('service.yaml balancing settings', () => {
  it('accepts the demo registry, whose services use every balancing feature', async () => {
    const services = await loadRegistry(DEMO_REGISTRY);
    const products = services.find((s) => s.name === 'products')!;
    expect(products.balancing.algorithm).toBe('weighted');
    expect(products.balancing.routing.rules.map((r) => r.subset)).toEqual(['canary', 'canary']);
    expect(services.find((s) => s.name === 'reviews')!.balancing.algorithm).toBe('least-requests');
  });

  it('fills in defaults: weighted, passive outlier detection on, no active checks, 20% retry budget', async () => {
    await using registry = await tempRegistry();
    await registry.write('users/service.yaml', manifest(''));
    await registry.write('users/schema.graphql', USERS_SDL);
    const [users] = await loadRegistry(registry.dir);
    expect(users!.balancing).toEqual({
      algorithm: 'weighted',
      slowStartMs: 10_000,
      panicThresholdPercent: 0,
      outlierDetection: { enabled: true, consecutiveFailures: 5, baseEjectionMs: 30_000, maxEjectionMs: 300_000, maxEjectionPercent: 50 },
      retries: { maxRetries: 2, budgetPercent: 20, minRetriesPerSecond: 5 },
      routing: { rules: [] },
    });
    expect(users!.endpoints[0]).toEqual({ url: 'http://127.0.0.1:1/graphql', weight: 1, region: 'default', subsets: [] });
  });

  it.each([
    { name: 'an unknown algorithm', yaml: manifest('balancing:\n  algorithm: random\n'), line: 7, message: /balancing\.algorithm: unknown algorithm; expected one of: round-robin, weighted, least-requests/ },
    { name: 'a negative weight', yaml: manifest('', '  - url: http://127.0.0.1:1/graphql\n    weight: -1\n'), line: 5, message: /endpoints\.0\.weight: must be a positive integer/ },
    { name: 'a zero weight', yaml: manifest('', '  - url: http://127.0.0.1:1/graphql\n    weight: 0\n'), line: 5, message: /endpoints\.0\.weight: must be a positive integer/ },
    { name: 'a bad URL', yaml: manifest('', '  - url: ftp://x\n'), line: 4, message: /endpoints\.0\.url: must be an absolute http/ },
    { name: 'the same URL twice', yaml: manifest('', '  - url: http://127.0.0.1:1/graphql\n  - url: http://127.0.0.1:1/graphql\n'), line: 5, message: /endpoints\.1\.url: duplicate of endpoints\.0\.url/ },
    { name: 'an unhealthy threshold of zero', yaml: manifest('balancing:\n  healthCheck:\n    unhealthyThreshold: 0\n'), line: 8, message: /balancing\.healthCheck\.unhealthyThreshold: must be a positive integer/ },
    { name: 'a healthy threshold of zero', yaml: manifest('balancing:\n  healthCheck:\n    healthyThreshold: 0\n'), line: 8, message: /balancing\.healthCheck\.healthyThreshold: must be a positive integer/ },
    { name: 'a zero health check interval', yaml: manifest('balancing:\n  healthCheck:\n    intervalMs: 0\n'), line: 8, message: /balancing\.healthCheck\.intervalMs: must be a positive integer/ },
    { name: 'zero consecutive failures', yaml: manifest('balancing:\n  outlierDetection:\n    consecutiveFailures: 0\n'), line: 8, message: /balancing\.outlierDetection\.consecutiveFailures: must be a positive integer/ },
    { name: 'a max ejection percent over 100', yaml: manifest('balancing:\n  outlierDetection:\n    maxEjectionPercent: 150\n'), line: 8, message: /maxEjectionPercent: must be between 0 and 100/ },
    { name: 'a max ejection time below the base time', yaml: manifest('balancing:\n  outlierDetection:\n    baseEjectionMs: 5000\n    maxEjectionMs: 1000\n'), line: 9, message: /maxEjectionMs: must be at least baseEjectionMs \(5000\)/ },
    { name: 'a total timeout below the attempt timeout', yaml: manifest('timeoutMs: 3000\ntotalTimeoutMs: 1000\n'), line: 7, message: /totalTimeoutMs: must be at least timeoutMs \(3000\)/ },
    { name: 'a negative retry count', yaml: manifest('balancing:\n  retries:\n    maxRetries: -1\n'), line: 8, message: /balancing\.retries\.maxRetries: must be 0 or more/ },
    { name: 'a REST health check without a path', yaml: manifest('balancing:\n  healthCheck:\n    intervalMs: 1000\n', '  - url: http://127.0.0.1:1\n', 'rest'), line: 7, message: /balancing\.healthCheck\.path: REST services need a health check path/ },
    { name: 'a health check path without a leading slash', yaml: manifest('balancing:\n  healthCheck:\n    path: healthz\n'), line: 8, message: /balancing\.healthCheck\.path: must start with "\/"/ },
    { name: 'a rule routing to a subset no endpoint is in', yaml: manifest('balancing:\n  routing:\n    rules:\n      - header: { name: x-canary }\n        subset: canary\n'), line: 10, message: /balancing\.routing\.rules\.0\.subset: no endpoint is in subset "canary"/ },
    { name: 'a rule without a condition', yaml: manifest('balancing:\n  routing:\n    rules:\n      - subset: canary\n', '  - url: http://127.0.0.1:1/graphql\n  - url: http://127.0.0.1:2/graphql\n    subsets: [canary]\n'), line: 10, message: /rules\.0: a rule needs at least one of header, clientIds, percentage/ },
    { name: 'a percentage over 100', yaml: manifest('balancing:\n  routing:\n    rules:\n      - percentage: 120\n        subset: canary\n', '  - url: http://127.0.0.1:1/graphql\n  - url: http://127.0.0.1:2/graphql\n    subsets: [canary]\n'), line: 10, message: /rules\.0\.percentage: must be between 0 and 100/ },
    { name: 'rules that leave unmatched requests no endpoint', yaml: manifest('balancing:\n  routing:\n    rules:\n      - header: { name: x-canary }\n        subset: canary\n', '  - url: http://127.0.0.1:1/graphql\n    subsets: [canary]\n'), line: 8, message: /balancing\.routing: requests that match no rule have no endpoint/ },
    { name: 'an unknown key in the balancing block', yaml: manifest('balancing:\n  algoritm: weighted\n'), line: 7, message: /Unrecognized key: "algoritm"/ },
  ])('rejects $name, naming the field and its line', async ({ yaml, line, message }) => {
    const problems = await problemsOf(yaml);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toBe('users/service.yaml');
    expect(problems[0]!.message).toMatch(message);
    expect(problems[0]!.line).toBe(line);
  });

  it('makes `junction check` exit 1 with every balancing problem of a service.yaml', async () => {
    await using registry = await tempRegistry();
    await registry.write('users/schema.graphql', USERS_SDL);
    await registry.write(
      'users/service.yaml',
      manifest('balancing:\n  algorithm: fastest\n  healthCheck:\n    healthyThreshold: 0\n', '  - url: http://127.0.0.1:1/graphql\n    weight: -3\n'),
    );
    const result = await run(CLI[0]!, [...CLI.slice(1), 'check', '--registry', registry.dir]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    const stderr = result.stderr.replaceAll(registry.dir + '/', '');
    expect(stderr).toContain('error JNC_REGISTRY_INVALID');
    expect(stderr).toContain('users/service.yaml:5: endpoints.0.weight: must be a positive integer');
    expect(stderr).toContain('users/service.yaml:7: balancing.algorithm: unknown algorithm; expected one of: round-robin, weighted, least-requests');
    expect(stderr).toContain('users/service.yaml:9: balancing.healthCheck.healthyThreshold: must be a positive integer');
  });
});

describe('gateway balancing config', () => {
  it('defaults to region "default", no failover order, factor 1.4 and a closed admin route', () => {
    expect(resolveConfig({}).balancing).toEqual({ region: 'default', failoverOrder: [], overprovisioningFactor: 1.4, connectionsPerEndpoint: 64, admin: {} });
  });

  it.each([
    { name: 'an empty region', input: { region: '' }, message: /balancing\.region/ },
    { name: 'an overprovisioning factor below 1', input: { overprovisioningFactor: 0.5 }, message: /balancing\.overprovisioningFactor: must be at least 1/ },
    { name: 'a short admin token', input: { admin: { token: 'short' } }, message: /balancing\.admin\.token: must be at least 16 characters/ },
    { name: 'an unknown key', input: { regoin: 'eu' }, message: /Unrecognized key: "regoin"/ },
  ])('rejects $name', ({ input, message }) => {
    expect(() => resolveConfig({ balancing: input as never })).toThrow(message);
  });
});
