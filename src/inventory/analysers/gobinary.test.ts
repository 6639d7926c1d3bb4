import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FoundPackage, ImageFile } from '../../model/stages.js';
import {
  buildElf,
  buildMachO,
  buildPe,
  buildUniversal,
  framedModInfo,
  inlineBuildInfo,
  pointerBuildInfo,
  uvarintBytes,
  type TestSection,
} from '../../../test/helpers/executables.js';
import { sharedPath } from '../../../test/helpers/shared.js';
import { parsePurl } from '../../mitigations/purl.js';
import { schemeForEcosystem } from '../../versioning/index.js';
import { openExecutable } from '../binary/executable.js';
import { MIN_EXECUTABLE_BYTES } from '../binary/wants.js';
import { GO_BUILDINFO_LIMITS, readGoBuildInfo } from '../gobinary/buildinfo.js';
import { goQuoted, linkerDefinitions, parseModInfo, shellWords } from '../gobinary/modinfo.js';
import { elfSymbolVersion, isPseudoVersion, ldflagsVersion, stdlibVersion } from '../gobinary/versions.js';
import { gobinaryAnalyser, golangPurl } from './gobinary.js';

interface PeerPackage {
  name: string;
  version: string;
}
interface Expectation {
  from: { test: string };
  packages?: PeerPackage[];
  error?: string | true;
  elfSymbolVersion?: { module: string; want: string };
}
interface Fixture {
  path: string;
  kind: string;
  expectations: Expectation[];
}

const expected = JSON.parse(readFileSync(sharedPath('testdata', 'images', 'expected.json'), 'utf8')) as { fixtures: Fixture[] };
const goFixtures = expected.fixtures.filter((f) => f.path.startsWith('go/'));

function file(path: string, content: Buffer): ImageFile {
  return { path, layer: 'sha256:' + '0'.repeat(64), size: content.length, content };
}

function analyse(content: Buffer, path = '/usr/local/bin/app'): ReturnType<typeof gobinaryAnalyser.analyse> {
  return gobinaryAnalyser.analyse([file(path, content)]);
}

const pairs = (ps: FoundPackage[]): string[] => ps.map((p) => `${p.name}@${p.version}`).sort();

/**
 * Deliberate differences from Trivy's expectations, applied to the peer's list before comparing:
 * Trivy writes the toolchain as `stdlib@v1.22.1`; chartaudit writes `1.22.1`, the notation of
 * OSV's `stdlib` ranges (golang/vulndb), so that the version is compared as OSV states it.
 */
const PEER_DIFFERENCES: { what: string; map: (p: PeerPackage) => PeerPackage }[] = [
  { what: 'stdlib version without the v prefix (OSV notation)', map: (p) => (p.name === 'stdlib' ? { ...p, version: p.version.replace(/^v/, '') } : p) },
];

describe('gobinary on the peers fixtures (expected.json)', () => {
  it('covers every Go fixture', () => {
    expect(goFixtures.map((f) => f.path).sort()).toEqual(['go/dummy', 'go/goexperiment', 'go/main-version-via-ldflags.elf', 'go/test.elf']);
  });

  for (const fx of goFixtures) {
    for (const exp of fx.expectations) {
      it(`${fx.path}: ${exp.from.test}`, () => {
        const bytes = readFileSync(sharedPath('testdata', 'images', fx.path));
        if (exp.packages) {
          const r = analyse(bytes, `/app/${fx.path}`);
          expect(r.gaps).toEqual([]);
          let want = exp.packages;
          for (const d of PEER_DIFFERENCES) want = want.map(d.map);
          expect(pairs(r.packages)).toEqual(want.map((p) => `${p.name}@${p.version}`).sort());
          for (const p of r.packages) {
            expect(p).toMatchObject({ type: 'golang', ecosystem: 'Go', paths: [`/app/${fx.path}`], confidence: 'exact' });
            expect(p.purl).toBe(golangPurl(p.name, p.version));
          }
        }
        if (exp.error) {
          // Trivy's parser fails with "unrecognized executable format"; the analyser reads it as
          // "not a binary": no packages and no gap (every executable-mode script would be one).
          expect(readGoBuildInfo(bytes).kind).toBe('not-executable');
          expect(analyse(bytes)).toEqual({ packages: [], gaps: [] });
        }
        if (exp.elfSymbolVersion) {
          const exe = openExecutable(bytes)!;
          expect(elfSymbolVersion(exe, exp.elfSymbolVersion.module)).toBe(exp.elfSymbolVersion.want);
        }
      });
    }
  }

  it('reads the toolchain of goexperiment without its X:loopvar suffix and reports no main module (only a path line)', () => {
    const r = analyse(readFileSync(sharedPath('testdata', 'images', 'go', 'goexperiment')));
    expect(r.packages).toEqual([
      { type: 'golang', ecosystem: 'Go', name: 'stdlib', version: '1.22.1', purl: 'pkg:golang/stdlib@1.22.1', paths: ['/usr/local/bin/app'], confidence: 'exact' },
    ]);
  });

  it("every version reported is one the Go scheme compares, and every purl reads back with the project's parser", () => {
    const go = schemeForEcosystem('Go')!;
    for (const name of ['test.elf', 'main-version-via-ldflags.elf', 'goexperiment']) {
      for (const p of analyse(readFileSync(sharedPath('testdata', 'images', 'go', name))).packages) {
        if (p.version !== '') expect(go.isValid(p.version), `${p.name}@${p.version}`).toBe(true);
        const purl = parsePurl(p.purl!)!;
        expect([purl.type, [purl.namespace, purl.name].filter(Boolean).join('/'), purl.version]).toEqual(['golang', p.name, p.version || null]);
      }
    }
    expect(go.compare('1.15.2', '1.16.0')).toBeLessThan(0);
  });

  it('test.elf (Go 1.15 pointer format): the (devel) main module is reported with an unknown version and a purl without one', () => {
    const r = analyse(readFileSync(sharedPath('testdata', 'images', 'go', 'test.elf')));
    const main = r.packages.find((p) => p.name === 'github.com/aquasecurity/test');
    expect(main).toMatchObject({ version: '', purl: 'pkg:golang/github.com/aquasecurity/test' });
    expect(r.packages.find((p) => p.name === 'golang.org/x/xerrors')?.purl).toBe(
      'pkg:golang/golang.org/x/xerrors@v0.0.0-20200804184101-5ec99f83aff1',
    );
  });
});

// ---------------------------------------------------------------------------------------
// Every layout the reader knows, built in memory

const MOD = [
  'path\texample.com/app/cmd/app',
  'mod\texample.com/app\tv1.4.0\th1:abc=',
  'dep\tgithub.com/a/b\tv1.2.3\th1:x=',
  'dep\tgolang.org/x/net\tv0.17.0\th1:y=',
  '=>\tgithub.com/fork/net\tv0.23.0\th1:z=',
  'dep\texample.com/local\tv1.0.0',
  '=>\t../local\t',
  'build\t-compiler=gc',
  '',
].join('\n');
const WANT = ['example.com/app@v1.4.0', 'example.com/local@', 'github.com/a/b@v1.2.3', 'github.com/fork/net@v0.23.0', 'stdlib@1.21.5'];
const ADDR = 0x500000;

const sec = (name: string, data: Buffer, addr = ADDR, extra: Partial<TestSection> = {}): TestSection => ({ name, data, addr, writable: true, ...extra });
const inline = (): Buffer => inlineBuildInfo('go1.21.5', framedModInfo(MOD));
const pointer = (ptrSize: 4 | 8, littleEndian: boolean, addr = ADDR): Buffer => pointerBuildInfo('go1.21.5', framedModInfo(MOD), addr, { ptrSize, littleEndian });

describe('gobinary layouts', () => {
  const cases: [string, Buffer][] = [
    ['ELF64 LE, .go.buildinfo, inline strings', buildElf([sec('.go.buildinfo', inline())])],
    ['ELF32 BE, .go.buildinfo, 4-byte big-endian pointers', buildElf([sec('.go.buildinfo', pointer(4, false))], { bits: 32, littleEndian: false })],
    ['ELF64 BE, 8-byte big-endian pointers', buildElf([sec('.go.buildinfo', pointer(8, false))], { littleEndian: false })],
    ['ELF32 LE, 4-byte pointers', buildElf([sec('.go.buildinfo', pointer(4, true))], { bits: 32 })],
    [
      'ELF without the named section: found in the writable data segment at an aligned offset after a misaligned decoy',
      buildElf([
        sec('.text', Buffer.concat([Buffer.alloc(16), inline()]), 0x400000, { writable: false, executable: true }),
        sec('.data', Buffer.concat([Buffer.alloc(35), Buffer.from('\xff Go buildinf:', 'latin1'), Buffer.alloc(15), inline()]), ADDR),
      ]),
    ],
    ['PE32+ .data, inline', buildPe([sec('.data', inline())])],
    ['PE32 .data, 4-byte pointers through the image base', buildPe([sec('.data', pointer(4, true))], { bits: 32 })],
    ['Mach-O 64 LE __go_buildinfo, inline', buildMachO([sec('__go_buildinfo', inline())])],
    ['Mach-O 32 BE, pointers, writable __DATA segment', buildMachO([sec('__data', pointer(4, false))], { bits: 32, littleEndian: false })],
    ['universal file: the first architecture', buildUniversal([buildMachO([sec('__go_buildinfo', inline())])])],
  ];
  for (const [name, bytes] of cases) {
    it(name, () => {
      const r = analyse(bytes);
      expect(r.gaps).toEqual([]);
      expect(pairs(r.packages)).toEqual(WANT);
    });
  }

  it('a replaced dependency reports the replacement; a directory replacement keeps the module path with an unknown version', () => {
    const info = parseModInfo(MOD);
    expect(info.path).toBe('example.com/app/cmd/app');
    expect(info.main).toEqual({ path: 'example.com/app', version: 'v1.4.0', sum: 'h1:abc=' });
    expect(info.deps[1]).toEqual({ path: 'golang.org/x/net', version: 'v0.17.0', sum: 'h1:y=', replace: { path: 'github.com/fork/net', version: 'v0.23.0', sum: 'h1:z=' } });
    expect(info.deps[2]!.replace).toEqual({ path: '../local', version: '' });
  });

  it('dependencies listed twice in one binary are reported once', () => {
    const mod = framedModInfo('mod\tx.io/m\tv1.0.0\t\ndep\tx.io/d\tv1.0.0\t\ndep\tx.io/d\tv1.0.0\t\n');
    expect(pairs(analyse(buildElf([sec('.go.buildinfo', inlineBuildInfo('go1.22.0', mod))])).packages)).toEqual([
      'stdlib@1.22.0',
      'x.io/d@v1.0.0',
      'x.io/m@v1.0.0',
    ]);
  });

  it('a Go toolchain that is no release is a gap for stdlib, the modules are still reported', () => {
    const mod = framedModInfo('mod\tx.io/m\tv1.0.0\t\n');
    const r = analyse(buildElf([sec('.go.buildinfo', inlineBuildInfo('devel go1.23-abcdef Tue Jan 1', mod))]));
    expect(pairs(r.packages)).toEqual(['x.io/m@v1.0.0']);
    expect(r.gaps).toEqual([{ path: '/usr/local/bin/app', reason: 'Go toolchain "devel go1.23-abcdef Tue Jan 1" is not a release: stdlib not reported' }]);
  });

  it('module info without its sentinels is read as empty (as Go does): stdlib only', () => {
    const r = analyse(buildElf([sec('.go.buildinfo', inlineBuildInfo('go1.22.0', Buffer.from('mod\tx.io/m\tv1.0.0\t\n')))]));
    expect(pairs(r.packages)).toEqual(['stdlib@1.22.0']);
  });

  it('executables without Go build info, and non-executables, give nothing', () => {
    const cases = [
      buildElf([sec('.data', Buffer.alloc(4096))]),
      buildPe([sec('.data', Buffer.alloc(512))]),
      buildMachO([sec('__data', Buffer.alloc(64))]),
      Buffer.from('#!/bin/sh\necho hello\n'),
      Buffer.from('MZ but no PE header, a DOS program'.padEnd(128, ' ')),
      Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x34, 0, 0, 0, 0]), // a Java class file
      Buffer.alloc(0),
    ];
    for (const b of cases) expect(analyse(b)).toEqual({ packages: [], gaps: [] });
  });
});

/**
 * Where chartaudit deliberately reports differently from Trivy (seen with bench/gobinary-trivy.ts
 * on real binaries: kubectl's staging modules, kpt's -ldflags version, Google-internal toolchains).
 */
describe('gobinary: deliberate differences from Trivy', () => {
  const one = (modText: string, goVersion = 'go1.22.0'): string[] =>
    pairs(analyse(buildElf([sec('.go.buildinfo', inlineBuildInfo(goVersion, framedModInfo(modText)))])).packages);
  it.each<[string, string, string, string[], string[]]>([
    [
      'a dependency replaced by a directory: the module keeps its path, its version is unknown (the directory is no module and its code no release)',
      'dep\tk8s.io/api\tv0.0.0\t\n=>\t./staging/src/k8s.io/api\t(devel)\t\n',
      'go1.22.0',
      ['./staging/src/k8s.io/api@'],
      ['k8s.io/api@'],
    ],
    [
      'an -ldflags version without its v is written as a Go module version (the Go scheme needs MAJOR.MINOR.PATCH without it)',
      'mod\tgithub.com/o/kpt\t(devel)\t\nbuild\t-ldflags="-X main.version=1.0.0-beta.56"\n',
      'go1.22.0',
      ['github.com/o/kpt@1.0.0-beta.56'],
      ['github.com/o/kpt@v1.0.0-beta.56'],
    ],
    [
      'a toolchain that is no Go release gives no stdlib (a gap says why) rather than an unmatchable version',
      '',
      'go1.22-20231128-RC02 cl/586117301 +6111acc8e6 X:fieldtrack,boringcrypto',
      ['stdlib@v1.22-20231128-RC02 cl/586117301 +6111acc8e6'],
      [],
    ],
  ])('%s', (_why, mod, go, trivy, ours) => {
    const got = one(mod, go).filter((p) => !p.startsWith('stdlib@1.22.0'));
    expect(got).toEqual(ours);
    expect(got).not.toEqual(trivy);
  });
});

describe('gobinary versions', () => {
  it.each([
    ['go1.22.3', '1.22.3'],
    ['go1.22.1 X:loopvar', '1.22.1'],
    ['go1.26.0-X:greenteagc', '1.26.0'],
    ['go1.21.4 (Red Hat 1.21.4-1.el9)', '1.21.4'],
    ['go1.20', '1.20.0'],
    ['go1.21rc2', '1.21.0-rc.2'],
    ['go1.19beta1', '1.19.0-beta.1'],
    ['go1', '1.0.0'],
    ['devel go1.23-abc', null],
    ['gccgo', null],
    ['', null],
  ])('stdlib version of %j is %j', (go, want) => {
    expect(stdlibVersion(go)).toBe(want);
  });

  it.each([
    ['v0.0.0-20210121094942-22b2f8951d46', true],
    ['v1.2.4-0.20191109021931-daa7c04131f5', true],
    ['v1.2.3-pre.0.20191109021931-daa7c04131f5', true],
    ['v1.2.3', false],
    ['v1.2.3-rc.1', false],
    ['(devel)', false],
  ])('%s is a pseudo-version: %s', (v, want) => {
    expect(isPseudoVersion(v)).toBe(want);
  });

  const ld = (value: string, module = 'github.com/o/app'): string => ldflagsVersion(module, [{ key: '-ldflags', value }]);
  it.each([
    ['-X main.version=v1.0.0', 'v1.0.0'],
    ['-s -w -X main.version=1.2.3', 'v1.2.3'],
    ['-X=main.version=1.2.3', 'v1.2.3'],
    ["-X 'main.version=1.2.3'", 'v1.2.3'],
    ['-X "main.Version=1.2.3"', 'v1.2.3'],
    ['--X main.version=1.2.3', 'v1.2.3'],
    ['-Xmain.version=1.2.3', 'v1.2.3'],
    ['-X github.com/o/app/internal/version.Ver=2.0.0', 'v2.0.0'],
    ['-X main.version=1.0.0 -X main.Version=1.0.0', 'v1.0.0'],
    ['-X main.version=1.0.0 -X common.version=2.0.0', ''],
    ['-X github.com/o/app/cmd/app/x.version=3.0.0 -X main.version=1.0.0', 'v3.0.0'],
    ['-X main.version=1.0.0 -X other.version=9.0.0', 'v1.0.0'],
    ['-X main.version=dev', ''],
    ['-X main.commit=abc123', ''],
    ['-X main.version', ''],
    ["-X 'main.version=1.0.0", ''],
  ])('-ldflags %j gives %j', (flags, want) => {
    expect(ld(flags)).toBe(want);
  });

  it('the main module: a real version wins over -ldflags; a pseudo-version or (devel) gives way to it', () => {
    const run = (version: string, ldflags: string): string => {
      const mod = framedModInfo(`mod\tgithub.com/o/app\t${version}\t\nbuild\t-ldflags=${JSON.stringify(ldflags)}\n`);
      const r = analyse(buildElf([sec('.go.buildinfo', inlineBuildInfo('go1.22.0', mod))]));
      return r.packages.find((p) => p.name === 'github.com/o/app')!.version;
    };
    expect(run('v1.4.0', '-X main.version=9.9.9')).toBe('v1.4.0');
    expect(run('v0.0.0-20240101000000-abcdefabcdef', '-X main.version=1.0.0')).toBe('v1.0.0');
    expect(run('v0.0.0-20240101000000-abcdefabcdef', '-w')).toBe('v0.0.0-20240101000000-abcdefabcdef');
    expect(run('(devel)', '-X main.version=v2.1.0')).toBe('v2.1.0');
    expect(run('(devel)', '-w')).toBe('');
  });

  it('Go-quoted build settings and shell words', () => {
    expect(parseModInfo('build\t-ldflags="-X \\"main.version=1.0\\" -s"\nbuild\t"we\\tird=key"=v\nbuild\tCGO_ENABLED=1\n').settings).toEqual([
      { key: '-ldflags', value: '-X "main.version=1.0" -s' },
      { key: 'we\tird=key', value: 'v' },
      { key: 'CGO_ENABLED', value: '1' },
    ]);
    expect(goQuoted('"caf\\xc3\\xa9 \\u00e9 \\101"', 0)).toEqual({ value: 'café é A', end: 25 });
    expect(goQuoted('"open', 0)).toBeUndefined();
    expect(shellWords(`-X 'a=b c' -X "d=\\"e\\"" f\\ g`)).toEqual(['-X', 'a=b c', '-X', 'd="e"', 'f g']);
    expect(linkerDefinitions(['-X', 'a.b=c=d', '-X'])).toEqual([{ key: 'a.b', value: 'c=d' }]);
  });

  it.each([
    ['github.com/a/b', 'v1.2.3', 'pkg:golang/github.com/a/b@v1.2.3'],
    ['github.com/a/b', 'v2.0.0+incompatible', 'pkg:golang/github.com/a/b@v2.0.0%2Bincompatible'],
    ['stdlib', '1.22.1', 'pkg:golang/stdlib@1.22.1'],
    ['example.com/x y', '', 'pkg:golang/example.com/x%20y'],
  ])('purl of %s@%s', (name, version, purl) => {
    expect(golangPurl(name, version)).toBe(purl);
  });
});

describe('gobinary wants', () => {
  const big = MIN_EXECUTABLE_BYTES;
  it.each([
    ['/usr/local/bin/app', 0o755, big, true],
    ['/app/server', 0o700, 50 << 20, true],
    ['/usr/bin/app', 0o644, big, false],
    ['/windows/app.EXE', 0o644, big, true],
    ['/usr/local/bin/tiny', 0o755, big - 1, false],
    ['/usr/share/doc/x/script', 0o755, big, false],
    ['/etc/init.d/service', 0o755, big, false],
    ['/var/lib/dpkg/info/x.postinst', 0o755, big, false],
    ['/usr/local/bin/run.sh', 0o755, big, false],
    ['/opt/app/tool.py', 0o755, big, false],
    ['/usr/lib/node_modules/@esbuild/linux-x64/bin/esbuild', 0o755, big, true],
    ['/usr/lib64/libfoo.so.1', 0o755, big, true],
  ])('%s mode %o size %d: %s', (path, mode, size, want) => {
    expect(gobinaryAnalyser.wants(path, { mode, size })).toBe(want);
  });
});

// ---------------------------------------------------------------------------------------
// Hostile binaries: each limit and inconsistency is a gap with its reason, never a throw

function patched(b: Buffer, edits: (b: Buffer) => void): Buffer {
  const c = Buffer.from(b);
  edits(c);
  return c;
}

describe('gobinary on hostile binaries', () => {
  const elf = buildElf([sec('.go.buildinfo', inline())]);
  const elfPtr = buildElf([sec('.go.buildinfo', pointer(8, true))]);
  const gap = (bytes: Buffer): string => {
    const r = analyse(bytes);
    expect(r.packages).toEqual([]);
    expect(r.gaps).toHaveLength(1);
    return r.gaps[0]!.reason;
  };

  it.each<[string, () => Buffer, RegExp]>([
    ['ELF cut inside its identification', () => elf.subarray(0, 10), /ELF: the identification bytes are cut short/],
    ['ELF cut inside its header', () => elf.subarray(0, 40), /ELF: e_shoff at offset 40 is past the end of the 40-byte file/],
    ['ELF with an unknown class', () => patched(elf, (b) => (b[4] = 9)), /ELF: unknown class 9/],
    ['section count beyond the limit (extended numbering)', () => patched(elf, (b) => { b.writeUInt16LE(0, 60); b.writeBigUInt64LE(10n ** 9n, b.readUInt32LE(40) + 32); }), /ELF: 1000000000 section headers, more than the limit of 131072/],
    ['section table past the end of the file', () => patched(elf, (b) => b.writeUInt16LE(60000, 60)), /ELF: section header table \(60000 entries of 64 bytes at offset \d+\) lies outside the \d+-byte file/],
    ['section table offset above 2^53', () => patched(elf, (b) => b.writeBigUInt64LE(0xffffffffffffff00n, 40)), /ELF: section header table .* at offset NaN\) lies outside/],
    ['program header size below the minimum', () => patched(elf, (b) => b.writeUInt16LE(8, 54)), /ELF: program header size 8 is below 56/],
    ['the named section pointing past the end', () => patched(elf, (b) => b.writeBigUInt64LE(1n << 40n, b.readUInt32LE(40) + 64 + 24)), /section \.go\.buildinfo \(offset 1099511627776, size \d+\) lies outside the \d+-byte file/],
    ['a varint longer than 10 bytes', () => buildElf([sec('.go.buildinfo', Buffer.concat([inline().subarray(0, 32), Buffer.alloc(11, 0xff), Buffer.alloc(16)]))]), /the length of the Go version is not a valid varint/],
    ['a varint cut by the end of the section', () => buildElf([sec('.go.buildinfo', Buffer.concat([inline().subarray(0, 32), Buffer.from([0x80])]))]), /the length of the Go version runs past the end of its section/],
    ['a version longer than its limit', () => buildElf([sec('.go.buildinfo', Buffer.concat([inline().subarray(0, 32), uvarintBytes(5000), Buffer.alloc(8)]))]), /the Go version is 5000 bytes, more than the limit of 1024/],
    ['module info of 2^50 bytes', () => buildElf([sec('.go.buildinfo', Buffer.concat([inline().subarray(0, 32), uvarintBytes(3), Buffer.from('go1'), uvarintBytes(2 ** 50)]))]), /the module info is 1125899906842624 bytes, more than the limit of 4194304/],
    ['module info running past its section', () => buildElf([sec('.go.buildinfo', Buffer.concat([inline().subarray(0, 32), uvarintBytes(3), Buffer.from('go1'), uvarintBytes(1000), Buffer.alloc(10)]))]), /the module info \(1000 bytes\) runs past the end of its section/],
    ['a pointer to nowhere', () => patched(elfPtr, (b) => b.writeBigUInt64LE(0xdead0000n, findMagic(b) + 16)), /the pointer to the Go version \(0xdead0000\) is not mapped by the file/],
    ['a string header with a length of 2^40', () => patched(elfPtr, (b) => b.writeBigUInt64LE(1n << 40n, findMagic(b) + 32 + 8 + 16)), /the module info is 1099511627776 bytes, more than the limit of 4194304/],
    ['a string header pointing past the mapped bytes', () => patched(elfPtr, (b) => b.writeBigUInt64LE(BigInt(ADDR + pointer(8, true).length - 5), findMagic(b) + 32 + 16)), /the module info \(\d+ bytes at 0x5\w+\) is not mapped by the file/],
    ['PE section table past the end', () => patched(buildPe([sec('.data', inline())]), (b) => b.writeUInt16LE(5000, 0x46)), /PE: section table \(5000 entries at offset \d+\) lies outside/],
    ['PE with an unknown optional header', () => patched(buildPe([sec('.data', inline())]), (b) => b.writeUInt16LE(0x999, 0x58)), /PE: unknown optional header magic 0x999/],
    ['Mach-O claiming 2^32-1 load commands', () => patched(buildMachO([sec('__go_buildinfo', inline())]), (b) => b.writeUInt32LE(0xffffffff, 16)), /Mach-O: 4294967295 load commands cannot fit in 152 bytes/],
    ['Mach-O commands running past the file', () => patched(buildMachO([sec('__go_buildinfo', inline())]), (b) => b.writeUInt32LE(1 << 30, 20)), /Mach-O: load commands \(1073741824 bytes\) run past the end/],
    ['Mach-O command of size 0 (an endless loop in naive readers)', () => patched(buildMachO([sec('__go_buildinfo', inline())]), (b) => b.writeUInt32LE(0, 36)), /Mach-O: load command 0 has size 0/],
    ['Mach-O segment claiming a million sections', () => patched(buildMachO([sec('__go_buildinfo', inline())]), (b) => b.writeUInt32LE(1e6, 32 + 64)), /Mach-O: segment __DATA claims 1000000 sections/],
    ['universal file whose only slice lies outside it', () => patched(buildUniversal([buildMachO([sec('__go_buildinfo', inline())])]), (b) => b.writeUInt32BE(1 << 30, 16)), /Mach-O universal: architecture 0 \(offset 1073741824, size \d+\) lies outside the file/],
    ['universal file with a slice that is not Mach-O', () => buildUniversal([Buffer.alloc(64, 1)]), /Mach-O universal: architecture 0 is not a Mach-O file/],
  ])('%s', (_name, make, reason) => {
    expect(gap(make())).toMatch(reason);
  });

  it('a header with an unknown pointer size is not Go build info (as Go reads it)', () => {
    const b = patched(elfPtr, (x) => (x[findMagic(x) + 14] = 3));
    expect(analyse(b)).toEqual({ packages: [], gaps: [] });
  });

  it('stays linear on a 32 MiB data segment full of misaligned magic strings', () => {
    const magic = Buffer.from('\xff Go buildinf:', 'latin1');
    const data = Buffer.alloc(32 << 20);
    for (let o = 1; o + 16 < data.length; o += 16) magic.copy(data, o);
    const t = performance.now();
    expect(analyse(buildElf([sec('.data', data)]))).toEqual({ packages: [], gaps: [] });
    expect(performance.now() - t).toBeLessThan(8000);
  });

  it('stays bounded on a symbol table of a million entries whose names all run to the end of the string table', () => {
    // (devel) main module and no -ldflags: the ELF symbol fallback runs over every symbol.
    const mod = framedModInfo('mod\tx.io/m\t(devel)\t\n');
    const base = buildElf([sec('.go.buildinfo', inlineBuildInfo('go1.22.0', mod)), sec('.symtab', Buffer.alloc(24 * 1_000_000), 0), sec('.strtab', Buffer.alloc(1 << 20, 0x41), 0)]);
    const b = patched(base, (x) => {
      const shoff = Number(x.readBigUInt64LE(40));
      x.writeUInt32LE(2, shoff + 2 * 64 + 4); // .symtab: SHT_SYMTAB
      x.writeUInt32LE(3, shoff + 2 * 64 + 40); // sh_link → .strtab
    });
    const t = performance.now();
    const r = analyse(b);
    expect(pairs(r.packages)).toEqual(['stdlib@1.22.0', 'x.io/m@']);
    expect(performance.now() - t).toBeLessThan(8000);
  });

  it('limits are what the messages say', () => {
    expect(GO_BUILDINFO_LIMITS).toEqual({ maxVersionBytes: 1024, maxModInfoBytes: 4 << 20 });
  });
});

function findMagic(b: Buffer): number {
  return b.indexOf(Buffer.from('\xff Go buildinf:', 'latin1'));
}
