import { createRequire } from 'node:module';
import * as esm from '@whatwg-node/promise-helpers';
import { describe, expect, it } from 'vitest';

// patches/@whatwg-node+promise-helpers+1.3.2.patch (applied by `npm ci`'s postinstall) backports
// upstream's 2.x fake promises to the 1.3.2 that Node 20 needs: one class instead of an object literal
// with three fresh closures and computed keys per call. With the literal, a gateway process could
// settle where every call took a slow path (about 60 µs per demo request; see README, Telemetry overhead).
const cjs = createRequire(import.meta.url)('@whatwg-node/promise-helpers') as typeof esm;

describe.each([['ESM', esm], ['CommonJS', cjs]])('@whatwg-node/promise-helpers as patched (%s)', (_format, helpers) => {
  it('makes fake promises of one class: methods on a shared prototype, not own closures', () => {
    const a = helpers.fakePromise(1);
    const b = helpers.fakePromise({ some: 'object' });
    expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
    expect(Object.hasOwn(a, 'then')).toBe(false);
    const rejected = helpers.fakeRejectPromise(new Error('no'));
    expect(Object.hasOwn(rejected, 'then')).toBe(false);
  });

  it('keeps fake promises working as promises', async () => {
    await expect(helpers.fakePromise(2).then((v) => v * 3)).resolves.toBe(6);
    await expect(Promise.resolve(helpers.fakePromise('x'))).resolves.toBe('x');
    await expect(helpers.fakeRejectPromise(new Error('boom')).then(() => 'not called')).rejects.toThrow('boom');
    expect(Object.prototype.toString.call(helpers.fakePromise(1))).toBe('[object Promise]');
  });

  it('handleMaybePromise stays synchronous for synchronous values and routes errors as before', () => {
    expect(helpers.handleMaybePromise(() => 2, (v) => v + 1)).toBe(3);
    expect(helpers.handleMaybePromise(() => { throw new Error('input'); }, () => 'unused', (e) => `handled ${(e as Error).message}`)).toBe('handled input');
    // As with Promise#then(onSuccess, onError): a failing success callback is not sent to onError.
    expect(() => helpers.handleMaybePromise(() => 1, () => { throw new Error('success'); }, () => 'unused')).toThrow('success');
  });

  it('handleMaybePromise waits for real promises', async () => {
    const result = helpers.handleMaybePromise(() => Promise.resolve(4), (v) => v * 2);
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toBe(8);
    await expect(helpers.handleMaybePromise(() => Promise.reject(new Error('late')), () => 'unused', () => 'recovered')).resolves.toBe('recovered');
  });

  it('still exports mapMaybePromise, which yoga, envelop and graphql-tools import from 1.x', async () => {
    expect(helpers.mapMaybePromise(5, (v) => v + 1)).toBe(6);
    await expect(helpers.mapMaybePromise(Promise.resolve(5), (v) => v + 1)).resolves.toBe(6);
  });
});
