/**
 * No import circles in src/ (issue 9 section 4): scripts/check-import-cycles.mjs over the real
 * tree, and the finder itself on small module trees written to a temp dir.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findImportCircles, importSpecifiers } from '../scripts/check-import-cycles.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Circles still being taken apart elsewhere, by their members. Remove an entry when its circle is
 * gone: the test fails while a listed circle no longer exists, so the list can only shrink.
 */
const KNOWN: string[][] = [];

describe('src/ has no import circles', () => {
  const circles = findImportCircles(join(root, 'src'));
  const key = (members: string[]) => [...members].sort().join(' ');
  const known = new Set(KNOWN.map(key));

  it('finds no circle other than the known ones', () => {
    const fresh = circles.filter((c) => !known.has(key(c.members))).map((c) => c.circle.join(' -> '));
    expect(fresh).toEqual([]);
  });

  it('lists as known only circles that still exist', () => {
    const present = new Set(circles.map((c) => key(c.members)));
    expect(KNOWN.map(key).filter((k) => !present.has(k))).toEqual([]);
  });
});

describe('findImportCircles', () => {
  const dirs: string[] = [];
  afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

  /** Writes the files into a fresh temp dir and returns the circles found there. */
  function circlesIn(files: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'import-circles-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return findImportCircles(dir);
  }

  const cases: { name: string; files: Record<string, string>; circles: string[][] }[] = [
    { name: 'a chain is not a circle',
      files: { 'a.ts': "import { b } from './b.js';", 'b.ts': "import { c } from './c.js';", 'c.ts': 'export const c = 1;' },
      circles: [] },
    { name: 'two modules importing each other',
      files: { 'a.ts': "import { b } from './b.js'; export const a = 1;", 'b.ts': "import { a } from './a.js'; export const b = 1;" },
      circles: [['a.ts', 'b.ts', 'a.ts']] },
    { name: 'a type-only import closes a circle too',
      files: { 'a.ts': "import type { B } from './b.js';", 'b.ts': "import { a } from './a.js';" },
      circles: [['a.ts', 'b.ts', 'a.ts']] },
    { name: 'a dynamic import() closes a circle',
      files: { 'a.ts': "export const load = () => import('./b.js');", 'b.ts': "import { load } from './a.js';" },
      circles: [['a.ts', 'b.ts', 'a.ts']] },
    { name: 're-exports across directories, through index.ts',
      files: {
        'x/index.ts': "export * from './y.js';",
        'x/y.ts': "import { z } from '../z.js';",
        'z.ts': "export type { Y } from './x/index.js'; export const z = 1;",
      },
      circles: [['x/index.ts', 'x/y.ts', 'z.ts', 'x/index.ts']] },
    { name: 'a module importing itself',
      files: { 'a.ts': "import * as self from './a.js';" },
      circles: [['a.ts', 'a.ts']] },
    { name: 'package imports and missing files are not edges',
      files: { 'a.ts': "import ts from 'typescript'; import { gone } from './gone.js'; import { b } from './b.js';", 'b.ts': "import 'node:fs';" },
      circles: [] },
    { name: 'one entry per group; the reported circle is a shortest one',
      files: {
        'a.ts': "import './b.js'; import './d.js';",
        'b.ts': "import './c.js';",
        'c.ts': "import './a.js';",
        'd.ts': "import './a.js';",
        'e.ts': "import './f.js';",
        'f.ts': "import './e.js';",
      },
      circles: [['a.ts', 'd.ts', 'a.ts'], ['e.ts', 'f.ts', 'e.ts']] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(circlesIn(c.files).map((x) => x.circle)).toEqual(c.circles);
    });
  }

  it('names every member of a group larger than the circle shown', () => {
    const [found] = circlesIn({ 'a.ts': "import './b.js'; import './d.js';", 'b.ts': "import './c.js';", 'c.ts': "import './a.js';", 'd.ts': "import './a.js';" });
    expect(found?.members).toEqual(['a.ts', 'b.ts', 'c.ts', 'd.ts']);
  });

  it('a chain of 20,000 modules does not overflow the stack', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20_000; i++) files[`m${i}.ts`] = i + 1 < 20_000 ? `import './m${i + 1}.js';` : "import './m0.js';";
    const found = circlesIn(files);
    expect(found).toHaveLength(1);
    expect(found[0]?.members).toHaveLength(20_000);
  }, 120_000);

  it('reads the line of each relative import, ignoring comments and strings', () => {
    const text = "// import './no.js'\nconst s = \"import './no2.js'\";\nimport { a } from './a.js';\nexport { b } from '../b.js';\n";
    expect(importSpecifiers('x.ts', text)).toEqual([{ specifier: './a.js', line: 3 }, { specifier: '../b.js', line: 4 }]);
  });
});
