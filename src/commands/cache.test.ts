import { describe, expect, it } from 'vitest';
import { parseSize } from './cache.js';

describe('cache prune --max-size', () => {
  it.each([
    ['0', 0], ['1048576', 1048576], ['5GiB', 5 * 1024 ** 3], ['500MB', 500e6], ['1.5 GiB', Math.floor(1.5 * 1024 ** 3)], ['10k', 10_000], ['2tib', 2 * 1024 ** 4],
  ])('%s → %i bytes', (text, bytes) => expect(parseSize(text)).toBe(bytes));
  it.each([['lots'], ['-1'], ['5 parsecs'], ['']])('%j is a usage error', (text) => expect(() => parseSize(text)).toThrow(/--max-size takes a size/));
});
