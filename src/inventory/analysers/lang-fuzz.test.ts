/**
 * Seeded mutation fuzzing of the language analysers (bitnami, npm, python, gem, dotnet,
 * composer) on the real fixtures of ../shared/testdata/images (read in place). Every mutated file
 * must give packages or gaps with a reason of the analyser's own: a gap "could not be read: …"
 * means a parser threw, which is a bug even though the per-file loop contains it. Every package
 * must have a plain name and version and a purl that the project's purl reader reads back.
 *
 * Reproduce or go further: FUZZ_SEED=<n> FUZZ_SCALE=<x> npx vitest run src/inventory/analysers/lang-fuzz.test.ts
 */
import { describe, expect, it } from 'vitest';
import { fixtureFile, fixturesUnder, madeFile } from '../../../test/helpers/image-content-fixtures.js';
import { parsePurl } from '../../mitigations/purl.js';
import type { Analyser } from '../../model/stages.js';
import { isPlainToken } from '../lang/per-file.js';
import { bitnamiAnalyser } from './bitnami.js';
import { composerAnalyser } from './composer.js';
import { dotnetAnalyser } from './dotnet.js';
import { gemAnalyser } from './gem.js';
import { npmAnalyser } from './npm.js';
import { pythonAnalyser } from './python.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_205);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const CASES_PER_FIXTURE = Math.max(1, Math.round(150 * SCALE));
const MAX_CASE_MS = 2_000;

class Rng {
  constructor(private s: number) {}
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** Characters that matter to the formats read here: JSON structure, Ruby literals, header syntax. */
const STRUCTURAL = Buffer.from('{}[]":,\n\r\t \\#%q<>()\'.=@/-|\u0000\u00ff0123456789');

function mutate(input: Buffer, rng: Rng): Buffer {
  let b = Buffer.from(input);
  const rounds = rng.next() < 0.7 ? 1 : 2 + rng.int(3);
  for (let r = 0; r < rounds; r++) {
    const at = rng.int(b.length + 1);
    switch (rng.int(6)) {
      case 0: // truncate
        b = b.subarray(0, at);
        break;
      case 1: { // delete a range
        const len = 1 + rng.int(64);
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + len)]);
        break;
      }
      case 2: { // duplicate a range many times (counts, repeated keys)
        const len = 1 + rng.int(128);
        const piece = b.subarray(at, at + len);
        b = Buffer.concat([b.subarray(0, at), ...Array(1 + rng.int(50)).fill(piece), b.subarray(at)]);
        break;
      }
      case 3: { // insert structural characters
        const ins = Buffer.from(Array.from({ length: 1 + rng.int(8) }, () => STRUCTURAL[rng.int(STRUCTURAL.length)]!));
        b = Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]);
        break;
      }
      case 4: // flip a byte
        if (b.length > 0) b[at % b.length] = rng.int(256);
        break;
      default: { // swap two ranges' order
        const mid = rng.int(b.length + 1);
        b = Buffer.concat([b.subarray(mid), b.subarray(0, mid)]);
      }
    }
  }
  return b;
}

const TARGETS: { analyser: Analyser; dir: string; imagePath: (fixturePath: string, root?: string) => string }[] = [
  { analyser: bitnamiAnalyser, dir: 'bitnami-spdx', imagePath: (p, root) => p.slice(root!.length) },
  { analyser: npmAnalyser, dir: 'node', imagePath: () => '/app/node_modules/x/package.json' },
  { analyser: pythonAnalyser, dir: 'python', imagePath: () => '/usr/lib/python3/site-packages/x-1.dist-info/METADATA' },
  { analyser: gemAnalyser, dir: 'ruby', imagePath: () => '/usr/local/bundle/specifications/x.gemspec' },
  { analyser: dotnetAnalyser, dir: 'dotnet', imagePath: () => '/app/x.deps.json' },
  { analyser: composerAnalyser, dir: 'php', imagePath: (p, root) => p.slice(root!.length) },
];

describe(`language analysers under seeded mutation (seed ${SEED}, ${CASES_PER_FIXTURE} cases per fixture)`, () => {
  for (const { analyser, dir, imagePath } of TARGETS) {
    it(`${analyser.id}: every mutated fixture of ${dir}/ gives packages or the analyser's own gaps`, () => {
      const rng = new Rng(SEED ^ analyser.id.length * 7919);
      let cases = 0;
      let withPackages = 0;
      for (const fixture of fixturesUnder(dir)) {
        const path = imagePath(fixture.path, fixture.root);
        const seed = fixtureFile(fixture, path).content;
        for (let i = 0; i < CASES_PER_FIXTURE; i++) {
          const content = mutate(seed, rng);
          const t0 = performance.now();
          const r = analyser.analyse([madeFile(path, content)]);
          const ms = performance.now() - t0;
          cases++;
          const context = `${fixture.path} case ${i} (${content.length} bytes)`;
          expect(ms, context).toBeLessThan(MAX_CASE_MS);
          for (const g of r.gaps) {
            expect(g.reason, context).not.toMatch(/^could not be read:/);
            expect(g.reason, context).not.toMatch(/[\u0000-\u001f]/);
          }
          if (r.packages.length > 0) withPackages++;
          for (const p of r.packages) {
            expect(isPlainToken(p.name) || p.name.includes('/'), context).toBe(true);
            expect(isPlainToken(p.version), context).toBe(true);
            const back = parsePurl(p.purl!);
            expect(back?.type, context).toBe(p.type);
          }
        }
      }
      expect(cases).toBeGreaterThan(0);
      // Enough mutated files must stay readable, or the test would only exercise error paths
      // (JSON rarely survives a mutation; text formats often do).
      expect(withPackages).toBeGreaterThan(cases / 25);
    });
  }
});
