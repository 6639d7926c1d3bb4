import { describe, expect, it } from 'vitest';
import { fixtureFile, fixturesUnder, madeFile } from '../../../test/helpers/image-content-fixtures.js';
import { sharedZipEntries } from '../../../test/helpers/shared.js';
import type { OsvRecord } from '../../model/advisory.js';
import { matchRecord } from '../../vuln/match.js';
import { bitnami } from '../../versioning/bitnami.js';
import { MAX_PACKAGES_PER_FILE } from '../lang/per-file.js';
import { MAX_REFS_PER_PACKAGE, MAX_SPDX_PACKAGES } from '../bitnami/spdx.js';
import { bitnamiAnalyser } from './bitnami.js';

interface Pkg { name: string; version: string; purl?: string }
const pick = (p: { name: string; version: string; purl?: string }): Pkg => ({ name: p.name, version: p.version, purl: p.purl });
const sortPkgs = (l: Pkg[]) => [...l].sort((a, b) => (a.name + a.version < b.name + b.version ? -1 : 1));

/**
 * Where we deliberately differ from Syft's bitnami cataloger, per fixture: what Syft's test
 * expects, what we report instead, and why.
 */
const DIFFERENCES: Record<string, { syft: Pkg[]; ours: Pkg[]; why: string }> = {
  'bitnami-spdx/json/opt/bitnami/postgresql/.spdx-postgresql.spdx': {
    syft: [{ name: 'nss-wrapper', version: '1.1.16', purl: 'pkg:bitnami/nss_wrapper@1.1.16?arch=arm64&distro=debian-12' }],
    ours: [{ name: 'nss_wrapper', version: '1.1.16', purl: 'pkg:bitnami/nss_wrapper@1.1.16?arch=arm64&distro=debian-12' }],
    why: 'Syft names the package by its SPDX name; Bitnami OSV records name it as the purl does (nss_wrapper), and that is what matching needs',
  },
  'bitnami-spdx/tag-value/opt/bitnami/redis/.spdx-apache.spdx': {
    syft: [],
    ours: [{ name: 'redis', version: '7.4.1-0', purl: 'pkg:bitnami/redis@7.4.1-0?arch=arm64&distro=debian-12' }],
    why: 'Syft ignores tag-value SPDX; Bitnami shipped it in some 2024 images and it names the package as well as JSON does',
  },
};

describe('bitnami analyser on the Syft fixtures (../shared/testdata/images/bitnami-spdx, expected.json)', () => {
  const fixtures = fixturesUnder('bitnami-spdx');
  it('covers all seven Bitnami fixtures', () => expect(fixtures.length).toBe(7));

  for (const fixture of fixtures) {
    const peer = fixture.expectations[0]!;
    it(`${fixture.path}: ${peer.from.test}`, () => {
      const file = fixtureFile(fixture);
      expect(bitnamiAnalyser.wants(file.path, { mode: 0o644, size: file.size })).toBe(true);
      const result = bitnamiAnalyser.analyse([file]);
      if (peer.error === true) {
        expect(result.packages).toEqual([]);
        expect(result.gaps).toHaveLength(1);
        expect(result.gaps[0]!.path).toBe(file.path);
        expect(result.gaps[0]!.reason).toMatch(/not valid JSON/);
        return;
      }
      expect(result.gaps).toEqual([]);
      let expected = (peer.packages as unknown as Pkg[]).map(pick);
      const diff = DIFFERENCES[fixture.path];
      if (diff) {
        for (const s of diff.syft) expect(expected).toContainEqual(s);
        expected = expected.filter((e) => !diff.syft.some((s) => s.name === e.name && s.version === e.version)).concat(diff.ours);
      }
      expect(sortPkgs(result.packages.map(pick))).toEqual(sortPkgs(expected));
      for (const p of result.packages) {
        expect(p).toMatchObject({ type: 'bitnami', ecosystem: 'Bitnami', confidence: 'exact', paths: [file.path] });
      }
    });
  }

  it('skips the pkg:maven and pkg:golang packages of the SBOM (the jar and Go analysers read those files themselves)', () => {
    const f = fixturesUnder('bitnami-spdx').find((x) => x.path.includes('/mix/'))!;
    const names = bitnamiAnalyser.analyse([fixtureFile(f)]).packages.map((p) => p.name);
    expect(names).toEqual(['render-template']);
  });
});

describe('bitnami analyser: which files it wants', () => {
  const cases: [string, boolean][] = [
    ['/opt/bitnami/postgresql/.spdx-postgresql.spdx', true],
    ['/opt/bitnami/common/lib/.spdx-x.spdx', true],
    ['/opt/bitnami/.spdx-top.spdx', true],
    ['/opt/bitnami/.bitnami_components.json', true],
    ['/opt/bitnami/redis/.bitnami_components.json', false],
    ['/opt/bitnami/postgresql/spdx-postgresql.spdx', false],
    ['/opt/bitnami/postgresql/.spdx-postgresql.spdx.json', false],
    ['/usr/share/.spdx-x.spdx', false],
    ['/opt/bitnamix/.spdx-x.spdx', false],
  ];
  for (const [path, want] of cases) it(`${path} → ${want}`, () => expect(bitnamiAnalyser.wants(path, { mode: 0o644, size: 10 })).toBe(want));
});

const spdxJson = (packages: unknown[]) => JSON.stringify({ spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', packages });
const bitnamiPkg = (name: string, v: string) => ({ name, versionInfo: v, externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: `pkg:bitnami/${name}@${v}?arch=amd64&distro=debian-12` }] });
const SPDX = '/opt/bitnami/app/.spdx-app.spdx';

describe('bitnami analyser: forms and hostile SBOMs (a gap naming the file, never a throw)', () => {
  const cases: { name: string; files: [string, string | Buffer][]; packages: Pkg[]; gaps: RegExp[] }[] = [
    {
      name: 'purl without a version: versionInfo is the version',
      files: [[SPDX, spdxJson([{ name: 'app', versionInfo: '1.2.3-4', externalRefs: [{ referenceType: 'purl', referenceLocator: 'pkg:bitnami/app' }] }])]],
      packages: [{ name: 'app', version: '1.2.3-4', purl: 'pkg:bitnami/app@1.2.3-4' }],
      gaps: [],
    },
    {
      name: 'neither purl version nor versionInfo',
      files: [[SPDX, spdxJson([{ name: 'app', externalRefs: [{ referenceType: 'purl', referenceLocator: 'pkg:bitnami/app' }] }])]],
      packages: [],
      gaps: [/package app: no usable name and version/],
    },
    {
      name: 'a version with blanks or control characters is no version',
      files: [[SPDX, spdxJson([{ name: 'app', versionInfo: '1.0 beta\u0007', externalRefs: [{ referenceType: 'purl', referenceLocator: 'pkg:bitnami/app' }] }])]],
      packages: [],
      gaps: [/no usable name and version/],
    },
    {
      name: 'tag-value: a <text> block that quotes package tags is not read as packages',
      files: [[SPDX, 'SPDXVersion: SPDX-2.3\nPackageName: app\nPackageVersion: 2.0.0-1\nPackageComment: <text>\nPackageName: evil\nExternalRef: PACKAGE-MANAGER purl pkg:bitnami/evil@6.6.6\n</text>\nExternalRef: PACKAGE-MANAGER purl pkg:bitnami/app@2.0.0-1?distro=debian-12\n']],
      packages: [{ name: 'app', version: '2.0.0-1', purl: 'pkg:bitnami/app@2.0.0-1?distro=debian-12' }],
      gaps: [],
    },
    {
      name: 'tag-value ending inside a <text> value',
      files: [[SPDX, 'SPDXVersion: SPDX-2.3\nPackageName: app\nPackageComment: <text>never closed\n']],
      packages: [],
      gaps: [/ends inside a <text> value/],
    },
    { name: 'empty file', files: [[SPDX, '']], packages: [], gaps: [/neither SPDX JSON nor SPDX tag-value/] },
    { name: 'binary junk', files: [[SPDX, Buffer.from([0, 1, 2, 0xff, 0xfe, 0x7b])]], packages: [], gaps: [/neither SPDX JSON nor SPDX tag-value/] },
    { name: 'truncated JSON', files: [[SPDX, spdxJson([bitnamiPkg('app', '1.0.0')]).slice(0, 60)]], packages: [], gaps: [/not valid JSON/] },
    { name: 'JSON that is not SPDX', files: [[SPDX, '{"bomFormat":"CycloneDX"}']], packages: [], gaps: [/not an SPDX document/] },
    { name: 'packages not a list', files: [[SPDX, '{"spdxVersion":"SPDX-2.3","packages":{}}']], packages: [], gaps: [/"packages" is not a list/] },
    {
      name: 'odd entries (null, numbers, refs of the wrong shape) are skipped',
      files: [[SPDX, spdxJson([null, 3, { name: 'x', externalRefs: 'no' }, { name: 'y', externalRefs: [null, { referenceType: 'purl', referenceLocator: 7 }] }, bitnamiPkg('app', '1.0.0')])]],
      packages: [{ name: 'app', version: '1.0.0', purl: 'pkg:bitnami/app@1.0.0?arch=amd64&distro=debian-12' }],
      gaps: [],
    },
    {
      name: 'deep nesting is parsed without exhausting the stack, and is not SPDX',
      files: [[SPDX, '{"a":'.repeat(500_000) + '1' + '}'.repeat(500_000)]],
      packages: [],
      gaps: [/not an SPDX document/],
    },
    {
      name: 'the same component in the SBOM and in .bitnami_components.json is one package with both paths',
      files: [
        [SPDX, spdxJson([bitnamiPkg('app', '1.0.0-2')])],
        ['/opt/bitnami/.bitnami_components.json', JSON.stringify({ app: { arch: 'amd64', distro: 'debian-12', type: 'NAMI', version: '1.0.0-2' } })],
      ],
      packages: [{ name: 'app', version: '1.0.0-2', purl: 'pkg:bitnami/app@1.0.0-2?arch=amd64&distro=debian-12' }],
      gaps: [],
    },
    {
      name: 'components.json: bad entries are gaps, good ones kept',
      files: [['/opt/bitnami/.bitnami_components.json', JSON.stringify({ good: { version: '1.0.0-1' }, 'bad name': { version: '1' }, nover: {}, notobj: 3 })]],
      packages: [{ name: 'good', version: '1.0.0-1', purl: 'pkg:bitnami/good@1.0.0-1' }],
      gaps: [/component bad name/, /component nover/, /component notobj/],
    },
    { name: 'components.json that is a list', files: [['/opt/bitnami/.bitnami_components.json', '[]']], packages: [], gaps: [/not a JSON object/] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = bitnamiAnalyser.analyse(c.files.map(([p, b]) => madeFile(p, b)));
      expect(result.packages.map(pick)).toEqual(c.packages);
      expect(result.gaps.map((g) => g.reason)).toHaveLength(c.gaps.length);
      c.gaps.forEach((re, i) => expect(result.gaps[i]!.reason).toMatch(re));
      for (const g of result.gaps) expect(g.reason).not.toMatch(/[\u0000-\u001f]/);
    });
  }
  it('merged package lists both files', () => {
    const r = bitnamiAnalyser.analyse([madeFile(SPDX, spdxJson([bitnamiPkg('app', '1.0.0-2')])), madeFile('/opt/bitnami/.bitnami_components.json', JSON.stringify({ app: { version: '1.0.0-2' } }))]);
    expect(r.packages[0]!.paths).toEqual([SPDX, '/opt/bitnami/.bitnami_components.json']);
  });
});

describe('bitnami analyser: limits', () => {
  it(`a file over maxFileBytes (${bitnamiAnalyser.maxFileBytes}) is a gap, not read`, () => {
    const big = { ...madeFile(SPDX, '{}'), size: bitnamiAnalyser.maxFileBytes + 1 };
    const r = bitnamiAnalyser.analyse([big]);
    expect(r.packages).toEqual([]);
    expect(r.gaps[0]!.reason).toMatch(/over the 33554432-byte limit/);
  });
  it(`more than ${MAX_SPDX_PACKAGES} SPDX packages (JSON) is refused`, () => {
    const r = bitnamiAnalyser.analyse([madeFile(SPDX, spdxJson(Array.from({ length: MAX_SPDX_PACKAGES + 1 }, () => ({}))))]);
    expect(r.gaps[0]!.reason).toMatch(/20001 packages, over the limit of 20000/);
  });
  it(`more than ${MAX_SPDX_PACKAGES} SPDX packages (tag-value) is refused`, () => {
    const text = 'SPDXVersion: SPDX-2.3\n' + 'PackageName: a\n'.repeat(MAX_SPDX_PACKAGES + 1);
    expect(bitnamiAnalyser.analyse([madeFile(SPDX, text)]).gaps[0]!.reason).toMatch(/more than 20000 packages/);
  });
  it(`at most ${MAX_REFS_PER_PACKAGE} external references are read per package`, () => {
    const refs = Array.from({ length: MAX_REFS_PER_PACKAGE + 5 }, (_, i) => ({ referenceType: 'purl', referenceLocator: `pkg:bitnami/c${i}@1.0.0` }));
    const r = bitnamiAnalyser.analyse([madeFile(SPDX, spdxJson([{ name: 'app', externalRefs: refs }]))]);
    expect(r.packages).toHaveLength(MAX_REFS_PER_PACKAGE);
  });
  it(`more than ${MAX_PACKAGES_PER_FILE} packages from one file: the first ones kept, a gap says so`, () => {
    const comps = Object.fromEntries(Array.from({ length: MAX_PACKAGES_PER_FILE + 1 }, (_, i) => [`c${i}`, { version: '1.0.0' }]));
    const r = bitnamiAnalyser.analyse([madeFile('/opt/bitnami/.bitnami_components.json', JSON.stringify(comps))]);
    expect(r.packages).toHaveLength(MAX_PACKAGES_PER_FILE);
    expect(r.gaps[0]!.reason).toMatch(/lists 50001 packages, over the limit of 50000/);
  });
});

describe('bitnami analyser: its packages meet the Bitnami OSV records (../shared/osv/bitnami-all.zip)', () => {
  const records = new Map<string, OsvRecord[]>();
  for (const e of sharedZipEntries('osv', 'bitnami-all.zip')) {
    if (!e.name.endsWith('.json')) continue;
    const r = JSON.parse(e.data.toString('utf8')) as OsvRecord;
    for (const a of r.affected ?? []) {
      if (a.package?.ecosystem !== 'Bitnami') continue;
      const list = records.get(a.package.name) ?? [];
      if (!list.includes(r)) list.push(r);
      records.set(a.package.name, list);
    }
  }
  const found = fixturesUnder('bitnami-spdx').flatMap((f) => bitnamiAnalyser.analyse([fixtureFile(f)]).packages);

  it('the fixture packages that Bitnami has advisories for are found under the records\' own names', () => {
    const known = [...new Set(found.filter((p) => records.has(p.name)).map((p) => p.name))].sort();
    expect(known).toEqual(['gdal', 'mongodb', 'postgresql', 'protobuf', 'redis']);
  });

  it('the revision we keep in the version (17.2.0-8) matches every record exactly as the tag version (17.2.0) does', () => {
    let evaluated = 0;
    let affected = 0;
    for (const p of found) {
      const upstream = p.version.replace(/-\d+$/, '');
      for (const r of records.get(p.name) ?? []) {
        const withRevision = matchRecord(r, 'Bitnami', p.name, p.version, bitnami);
        const withoutRevision = matchRecord(r, 'Bitnami', p.name, upstream, bitnami);
        expect({ id: r.id, status: withRevision.status, fixed: withRevision.fixed }).toEqual({ id: r.id, status: withoutRevision.status, fixed: withoutRevision.fixed });
        evaluated++;
        if (withRevision.status === 'affected') affected++;
      }
    }
    expect(evaluated).toBeGreaterThan(100);
    expect(affected).toBeGreaterThan(0);
  });
});
