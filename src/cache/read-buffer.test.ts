import { describe, expect, it } from 'vitest';
import { readBuffer } from './read-buffer.js';

describe('readBuffer', () => {
  const key = Symbol.for('chartaudit.readBuffer');
  it.each<[string, boolean, number, 'shared' | 'own' | 'fresh']>([
    ['the code cache loader\'s, where it runs', true, 1000, 'shared'],
    ['one of its own, kept, without the loader', false, 1000, 'own'],
    ['a fresh one above 4 MiB', true, 5 * 1024 * 1024, 'fresh'],
  ])('%s', (_, withLoader, size, which) => {
    const loaderBuffer = Buffer.alloc(2 * 1024 * 1024);
    if (withLoader) Object.defineProperty(globalThis, key, { configurable: true, value: () => loaderBuffer });
    try {
      const a = readBuffer(size);
      expect(a.length).toBeGreaterThanOrEqual(size);
      if (which === 'shared') expect(a).toBe(loaderBuffer);
      if (which === 'own') expect(readBuffer(size)).toBe(a);
      if (which === 'fresh') expect(readBuffer(size) === a).toBe(false);
    } finally {
      delete (globalThis as Record<symbol, unknown>)[key];
    }
  });
});
