import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { FoundPackage, ImageFile } from '../../model/stages.js';
import { buildElf, buildMachO, buildPe, buildUniversal, type TestSection } from '../../../test/helpers/executables.js';
import { sharedPath } from '../../../test/helpers/shared.js';
import { parsePurl } from '../../mitigations/purl.js';
import { schemeForEcosystem } from '../../versioning/index.js';
import { CARGO_AUDITABLE_LIMITS, readCargoAuditable } from '../cargo/auditable.js';
import { cargoAuditableAnalyser, cargoPurl } from './cargo-auditable.js';

interface Expectation {
  from: { test: string };
  packages?: { name: string; version: string }[];
  error?: string | true;
}
interface Fixture {
  path: string;
  expectations: Expectation[];
}

const expected = JSON.parse(readFileSync(sharedPath('testdata', 'images', 'expected.json'), 'utf8')) as { fixtures: Fixture[] };
const rustFixtures = expected.fixtures.filter((f) => f.path.startsWith('rust/'));

function analyse(content: Buffer, path = '/usr/local/bin/app'): ReturnType<typeof cargoAuditableAnalyser.analyse> {
  const file: ImageFile = { path, layer: 'sha256:' + '0'.repeat(64), size: content.length, content };
  return cargoAuditableAnalyser.analyse([file]);
}

const pairs = (ps: FoundPackage[]): string[] => ps.map((p) => `${p.name}@${p.version}`).sort();

describe('cargo-auditable on the peers fixtures (expected.json)', () => {
  it('covers every Rust fixture', () => {
    expect(rustFixtures.map((f) => f.path).sort()).toEqual(['rust/dummy', 'rust/test.elf']);
  });

  for (const fx of rustFixtures) {
    for (const exp of fx.expectations) {
      it(`${fx.path}: ${exp.from.test}`, () => {
        const bytes = readFileSync(sharedPath('testdata', 'images', fx.path));
        if (exp.packages) {
          const r = analyse(bytes, `/app/${fx.path}`);
          expect(r.gaps).toEqual([]);
          expect(pairs(r.packages)).toEqual(exp.packages.map((p) => `${p.name}@${p.version}`).sort());
          for (const p of r.packages) {
            expect(p).toEqual({
              type: 'cargo',
              ecosystem: 'crates.io',
              name: p.name,
              version: p.version,
              purl: `pkg:cargo/${p.name}@${p.version}`,
              paths: [`/app/${fx.path}`],
              confidence: 'exact',
            });
          }
        }
        if (exp.error) {
          // Trivy: "unrecognized executable format"; here no packages and no gap.
          expect(readCargoAuditable(bytes).kind).toBe('not-executable');
          expect(analyse(bytes)).toEqual({ packages: [], gaps: [] });
        }
      });
    }
  }

  it("versions are ones the crates.io scheme compares, and purls read back with the project's parser", () => {
    const scheme = schemeForEcosystem('crates.io')!;
    for (const p of analyse(readFileSync(sharedPath('testdata', 'images', 'rust', 'test.elf'))).packages) {
      expect(scheme.isValid(p.version)).toBe(true);
      expect(parsePurl(p.purl!)).toMatchObject({ type: 'cargo', namespace: null, name: p.name, version: p.version });
    }
  });

  it('a Go binary has no .dep-v0 section: nothing', () => {
    expect(readCargoAuditable(readFileSync(sharedPath('testdata', 'images', 'go', 'test.elf'))).kind).toBe('no-audit-data');
  });
});

const DOC = {
  packages: [
    { name: 'app', version: '0.3.0', source: 'local', dependencies: [1, 2, 3], root: true },
    { name: 'serde', version: '1.0.190', source: 'crates.io', dependencies: [2] },
    { name: 'serde_derive', version: '1.0.190', source: 'crates.io', kind: 'build' },
    { name: 'tokio', version: '1.32.0', source: 'crates.io', kind: 'runtime' },
    { name: 'forked', version: '0.1.0', source: 'git' },
  ],
};
const WANT = ['app@0.3.0', 'forked@0.1.0', 'serde@1.0.190', 'tokio@1.32.0'];
const depv0 = (doc: unknown = DOC): Buffer => deflateSync(Buffer.from(JSON.stringify(doc)));
const sec = (data: Buffer, name = '.dep-v0', extra: Partial<TestSection> = {}): TestSection => ({ name, data, addr: 0x600000, ...extra });

describe('cargo-auditable layouts', () => {
  it.each<[string, Buffer]>([
    ['ELF64 LE', buildElf([sec(depv0())])],
    ['ELF32 BE', buildElf([sec(depv0())], { bits: 32, littleEndian: false })],
    ['PE32+ (raw data padded to the file alignment)', buildPe([sec(depv0())])],
    ['PE32', buildPe([sec(depv0())], { bits: 32 })],
    ['Mach-O 64 __DATA,.dep-v0', buildMachO([sec(depv0())])],
    ['Mach-O 32 BE', buildMachO([sec(depv0())], { bits: 32, littleEndian: false })],
    ['universal file', buildUniversal([buildMachO([sec(depv0())])])],
  ])('%s: runtime crates of every source, build-time crates left out', (_name, bytes) => {
    const r = analyse(bytes);
    expect(r.gaps).toEqual([]);
    expect(pairs(r.packages)).toEqual(WANT);
  });

  it('crates listed twice are reported once; a missing kind means runtime and a missing source crates.io', () => {
    const doc = { packages: [{ name: 'a', version: '1.0.0' }, { name: 'a', version: '1.0.0', kind: 'runtime' }] };
    const r = readCargoAuditable(buildElf([sec(depv0(doc))]));
    expect(r).toMatchObject({ kind: 'found', crates: [{ name: 'a', version: '1.0.0', source: 'crates.io', kind: 'runtime', root: false }, {}], malformed: 0 });
    expect(pairs(analyse(buildElf([sec(depv0(doc))])).packages)).toEqual(['a@1.0.0']);
  });

  it.each([
    ['serde', '1.0.190', 'pkg:cargo/serde@1.0.190'],
    ['x', '1.0.0+build.5', 'pkg:cargo/x@1.0.0%2Bbuild.5'],
  ])('purl of %s@%s', (name, version, purl) => {
    expect(cargoPurl(name, version)).toBe(purl);
  });

  it('executables without the section and non-executables give nothing', () => {
    for (const b of [buildElf([sec(Buffer.alloc(64), '.data')]), buildPe([sec(Buffer.alloc(64), '.rdata')]), Buffer.from('#!/bin/sh\n'), Buffer.alloc(3)]) {
      expect(analyse(b)).toEqual({ packages: [], gaps: [] });
    }
  });
});

describe('cargo-auditable on hostile data', () => {
  const gap = (bytes: Buffer): string => {
    const r = analyse(bytes);
    expect(r.gaps).toHaveLength(1);
    return r.gaps[0]!.reason;
  };

  it('a zlib bomb stops at the inflate limit', () => {
    const bomb = deflateSync(Buffer.alloc(16 << 20, 0x20), { level: 9 }); // 16 MiB from about 16 KB
    expect(bomb.length).toBeLessThan(50_000);
    const t = performance.now();
    expect(gap(buildElf([sec(bomb)]))).toBe('cargo-auditable data in .dep-v0 inflates to more than the limit of 8388608 bytes');
    expect(performance.now() - t).toBeLessThan(3000);
    expect(CARGO_AUDITABLE_LIMITS.maxJsonBytes).toBe(8 << 20);
  });

  it.each<[string, Buffer, RegExp]>([
    ['not zlib', Buffer.from('plain text, not compressed'), /^cargo-auditable data in \.dep-v0 is not valid zlib data \(/],
    ['truncated zlib', depv0().subarray(0, 20), /^cargo-auditable data in \.dep-v0 is not valid zlib data \(/],
    ['not JSON', deflateSync(Buffer.from('{"packages": [')), /^cargo-auditable data in \.dep-v0 is not valid JSON \(/],
    ['no packages list', depv0({ pkgs: [] }), /^cargo-auditable data in \.dep-v0 has no "packages" list$/],
    ['a list instead of the document', depv0([1, 2]), /has no "packages" list$/],
    ['JSON nested four million levels deep (V8 would take seconds)', deflateSync(Buffer.from('['.repeat(4e6) + ']'.repeat(4e6))), /^cargo-auditable data in \.dep-v0 nests deeper than 32 levels$/],
  ])('%s is a gap', (_name, data, reason) => {
    expect(gap(buildElf([sec(data)]))).toMatch(reason);
  });

  it('brackets inside JSON strings (escaped quotes too) do not count as nesting', () => {
    const name = '[{'.repeat(40) + '\\"' + '[{'.repeat(40);
    const r = analyse(buildElf([sec(depv0({ packages: [{ name, version: '1.0.0' }] }))]));
    expect(r.gaps).toEqual([]);
    expect(pairs(r.packages)).toEqual([`${name}@1.0.0`]);
  });

  it('malformed entries are left out and counted in one gap; the others are reported', () => {
    const doc = { packages: [{ name: 'ok', version: '1.0.0' }, { name: 'x' }, { name: 1, version: '1' }, 'str', { name: 'k', version: '1', kind: 'dev' }] };
    const r = analyse(buildElf([sec(depv0(doc))]));
    expect(pairs(r.packages)).toEqual(['ok@1.0.0']);
    expect(r.gaps).toEqual([
      { path: '/usr/local/bin/app', reason: 'cargo-auditable data: 4 package entries lack a name or version or have the wrong types; left out' },
    ]);
  });

  it('a section pointing past the end of the file is a gap', () => {
    const b = Buffer.from(buildElf([sec(depv0())]));
    const shoff = Number(b.readBigUInt64LE(40));
    b.writeBigUInt64LE(BigInt(b.length - 4), shoff + 64 + 24);
    expect(gap(b)).toMatch(/^section \.dep-v0 \(offset \d+, size \d+\) lies outside the \d+-byte file$/);
  });

  it('a malformed executable is a gap naming the table', () => {
    const b = Buffer.from(buildElf([sec(depv0())]));
    b.writeUInt16LE(40000, 60);
    expect(gap(b)).toMatch(/^ELF: section header table \(40000 entries of 64 bytes at offset \d+\) lies outside the \d+-byte file$/);
  });
});
