import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTerminal } from './terminal.js';

describe('isTerminal', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'chartaudit-terminal-')), 'out');
  writeFileSync(file, '');
  it.each<[string, () => number, boolean]>([
    ['a regular file', () => openSync(file, 'r'), false],
    // a character device that is not a terminal
    ['/dev/null', () => openSync('/dev/null', 'r'), false],
    // a pseudo-terminal's master side is a terminal
    ['/dev/ptmx', () => openSync('/dev/ptmx', 'r+'), true],
  ])('%s', (_, open, expected) => {
    const fd = open();
    try {
      expect(isTerminal(fd)).toBe(expected);
    } finally {
      closeSync(fd);
    }
  });
  it('a closed descriptor is not a terminal', () => {
    const fd = openSync(file, 'r');
    closeSync(fd);
    expect(isTerminal(fd)).toBe(false);
  });
});
