import { describe, expect, it } from 'vitest';
import { composeUpstreamHeaders } from '../../src/transports/index.js';

describe('composeUpstreamHeaders', () => {
  it('asks each hook once per client request, later hooks winning, and never mixes two requests', () => {
    const calls: string[] = [];
    const compose = composeUpstreamHeaders([
      (context) => (calls.push('identity'), { 'x-junction-user': (context as { user: string }).user, 'x-shared': 'identity' }),
      undefined,
      (context) => (calls.push('trace'), { 'x-request-id': (context as { id: string }).id, 'x-shared': 'trace' }),
    ])!;
    const alice = { user: 'alice', id: 'r1' };
    const bob = { user: 'bob', id: 'r2' };
    const first = compose(alice);
    expect(compose(alice)).toBe(first);
    expect(first).toEqual({ 'x-junction-user': 'alice', 'x-request-id': 'r1', 'x-shared': 'trace' });
    expect(Object.isFrozen(first)).toBe(true);
    expect(compose(bob)).toEqual({ 'x-junction-user': 'bob', 'x-request-id': 'r2', 'x-shared': 'trace' });
    expect(calls).toEqual(['identity', 'trace', 'identity', 'trace']);
  });

  it('answers calls made for no client request (no context) each time, and undefined when no hook adds anything', () => {
    let n = 0;
    const compose = composeUpstreamHeaders([() => (n++ % 2 ? { a: String(n) } : undefined)])!;
    expect(compose(undefined)).toBeUndefined();
    expect(compose(undefined)).toEqual({ a: '2' });
    expect(composeUpstreamHeaders([undefined, undefined])).toBeUndefined();
  });
});
