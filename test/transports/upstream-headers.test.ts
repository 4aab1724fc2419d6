import { describe, expect, it } from 'vitest';
import { composeUpstreamHeaders } from '../../src/transports/index.js';

describe('composeUpstreamHeaders', () => {
  const identity = (context: unknown) => ({ 'x-junction-user': (context as { user: string }).user, 'x-shared': 'identity' });
  const trace = (context: unknown) => ({ 'x-request-id': (context as { id: string }).id, 'x-shared': 'trace' });

  it('asks each hook once per client request, later hooks winning, and never mixes two requests', () => {
    const calls: string[] = [];
    const compose = composeUpstreamHeaders({
      identifying: [(context) => (calls.push('identity'), identity(context)), undefined],
      tracing: [(context) => (calls.push('trace'), trace(context))],
    })!;
    const alice = { user: 'alice', id: 'r1' };
    const bob = { user: 'bob', id: 'r2' };
    const first = compose(alice)!;
    expect(compose(alice)).toBe(first);
    expect(first.added).toEqual({ 'x-junction-user': 'alice', 'x-request-id': 'r1', 'x-shared': 'trace' });
    expect(compose(bob)!.added).toEqual({ 'x-junction-user': 'bob', 'x-request-id': 'r2', 'x-shared': 'trace' });
    expect(calls).toEqual(['identity', 'trace', 'identity', 'trace']);
  });

  it('keys identity by the identifying headers only: equal for one user across requests, different between users', () => {
    const compose = composeUpstreamHeaders({ identifying: [identity], tracing: [trace] })!;
    const first = compose({ user: 'alice', id: 'r1' })!;
    expect(first.identity).toBe(compose({ user: 'alice', id: 'r2' })!.identity);
    expect(first.identity).not.toBe(compose({ user: 'bob', id: 'r1' })!.identity);
    expect(first.identity).not.toContain('r1');
    // Only trace context: nothing identifies the caller.
    expect(composeUpstreamHeaders({ tracing: [trace] })!({ id: 'r3' })!.identity).toBe('');
  });

  it("puts a transport's base headers first and merges them once per request and base", () => {
    const compose = composeUpstreamHeaders({ tracing: [trace] })!;
    const base = { accept: 'application/json', 'x-shared': 'base' };
    const headers = compose({ id: 'r1' })!;
    const merged = headers.over(base);
    expect(merged).toEqual({ accept: 'application/json', 'x-request-id': 'r1', 'x-shared': 'trace' });
    expect(headers.over(base)).toBe(merged);
    expect(headers.over({ accept: 'text/plain' })).toEqual({ accept: 'text/plain', 'x-request-id': 'r1', 'x-shared': 'trace' });
  });

  it('answers calls made for no client request (no context) each time, and undefined when no hook adds anything', () => {
    let n = 0;
    const compose = composeUpstreamHeaders({ identifying: [() => (n++ % 2 ? { a: String(n) } : undefined)] })!;
    expect(compose(undefined)).toBeUndefined();
    expect(compose(undefined)!.added).toEqual({ a: '2' });
    expect(composeUpstreamHeaders({ identifying: [undefined], tracing: [undefined] })).toBeUndefined();
  });
});
