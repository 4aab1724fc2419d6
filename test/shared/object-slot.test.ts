import { describe, expect, it } from 'vitest';
import { ObjectSlot } from '../../src/shared/object-slot.js';

describe('ObjectSlot', () => {
  it('keeps a value on the object under its key, and clears it without deleting the property', () => {
    const slot = new ObjectSlot<string>(Symbol('test'));
    const target = {};
    expect(slot.get(target)).toBeUndefined();
    slot.set(target, 'a');
    expect(slot.get(target)).toBe('a');
    expect((target as Record<symbol, unknown>)[slot.key]).toBe('a');
    slot.delete(target);
    expect(slot.get(target)).toBeUndefined();
    expect(Object.getOwnPropertySymbols(target)).toEqual([slot.key]);
  });

  it('keeps a value for a frozen object in a WeakMap instead, and forgets it there', () => {
    const slot = new ObjectSlot<number>(Symbol('test'));
    const frozen = Object.freeze({});
    slot.set(frozen, 7);
    expect(slot.get(frozen)).toBe(7);
    expect(Object.getOwnPropertySymbols(frozen)).toEqual([]);
    slot.delete(frozen);
    expect(slot.get(frozen)).toBeUndefined();
  });

  it('keeps values of two slots with different keys apart on one object', () => {
    const a = new ObjectSlot<string>(Symbol('a'));
    const b = new ObjectSlot<string>(Symbol('b'));
    const target = {};
    a.set(target, 'x');
    b.set(target, 'y');
    expect([a.get(target), b.get(target)]).toEqual(['x', 'y']);
  });
});

describe('ObjectSlot and inheritance', () => {
  it('does not hand an object the value of the object it inherits from, as a WeakMap would not', () => {
    const slot = new ObjectSlot<string>(Symbol('test'));
    const parent = {};
    slot.set(parent, 'parent');
    const child = Object.create(parent) as object;
    expect(slot.get(child)).toBeUndefined();
    slot.set(child, 'child');
    expect([slot.get(parent), slot.get(child)]).toEqual(['parent', 'child']);
    slot.delete(child);
    expect([slot.get(parent), slot.get(child)]).toEqual(['parent', undefined]);
  });
});
