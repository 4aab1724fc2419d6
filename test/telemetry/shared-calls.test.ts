import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../helpers/gateway.js';
import { startDemoStack, type DemoStack } from '../helpers/demo-stack.js';
import type { MockFleet } from '../helpers/mocks.js';

const ADMIN = 'shared-calls-admin-token';

/** Count of upstream attempts to a service in /metrics (the histogram's _count series). */
async function upstreamCount(gw: RunningGateway, service: string): Promise<number> {
  const text = await (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('junction_upstream_request_duration_seconds_count') && l.includes(`service="${service}"`))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}

describe('in-flight sharing with telemetry on', () => {
  let mocks: MockFleet;
  let gw: RunningGateway;
  let stack: DemoStack | undefined;
  beforeAll(async () => {
    ({ mocks, gw } = stack = await startDemoStack({ balancing: { admin: { token: ADMIN } } }));
  });
  afterAll(() => stack?.[Symbol.asyncDispose]());

  it('shares one upstream call between identical concurrent requests although each has its own request id and trace', async () => {
    const users = mocks.users![0]!;
    users.setFault('slow', 200);
    users.resetStats();
    const before = gw.logs().length;
    const metricsBefore = await upstreamCount(gw, 'users');
    try {
      const answers = await Promise.all(['req-a', 'req-b', 'req-c'].map((id) => gw.query('{ user(id: "2") { name } }', undefined, { 'x-request-id': id })));
      for (const answer of answers) expect(answer.body).toEqual({ data: { user: { name: 'Bob Builder' } } });
    } finally {
      users.setFault('ok');
    }
    expect(users.stats().requests).toBe(1);
    // Every client request's log line lists the call; the ones that joined say so.
    const lines = gw.logs().slice(before).filter((l) => l['msg'] === 'request');
    expect(lines.map((l) => l['requestId']).sort()).toEqual(['req-a', 'req-b', 'req-c']);
    const calls = lines.map((l) => (l['upstream'] as Array<{ service: string; shared?: boolean }>).filter((u) => u.service === 'users'));
    expect(calls.map((c) => c.length)).toEqual([1, 1, 1]);
    expect(calls.flat().filter((c) => c.shared)).toHaveLength(2);
    // Metrics count what the service saw: one request.
    expect((await upstreamCount(gw, 'users')) - metricsBefore).toBe(1);
  });
});
