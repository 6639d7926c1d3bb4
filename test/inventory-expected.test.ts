/**
 * End to end against the peers (issue 11 "Acceptance"): every fixture of
 * ../shared/testdata/images/expected.json is put into a real image (gzip layer tars, an OCI
 * layout on disk, read back with our layout reader) and inventoried by the registered ANALYSERS
 * through inventoryImage (layer walk, per-layer analysis, merge, OS ecosystem). What comes out is
 * compared with the package list the peer's test expects, as name@version pairs. Disagreements
 * are allowed only where the peer is wrong for matching advisories, each listed in DISAGREEMENTS
 * with the reason; the per-analyser tests (src/inventory/analysers/*.test.ts) check the other fields.
 * The layouts/ and whiteouts/ fixtures go through the same pipeline as whole images or layers.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveArchive } from '../src/image/index.js';
import { inventoryImage } from '../src/inventory/index.js';
import { ANALYSERS } from '../src/inventory/analysers/index.js';
import type { ReportPackage } from '../src/model/report.js';
import { tarBytes } from '../fixtures/image/tar-writer.js';
import { imageFixtures, type ImageFixture, type PeerExpectation } from './helpers/image-content-fixtures.js';
import { INVENTORY_DAY as TODAY, inventoryOf, type LayerFile } from './helpers/inventory-image.js';
import { sharedPath } from './helpers/shared.js';

const images = (...p: string[]): string => sharedPath('testdata', 'images', ...p);
const SITE = '/usr/local/lib/python3.12/site-packages';

function filesUnder(dir: string, prefix = ''): LayerFile[] {
  const out: LayerFile[] = [];
  for (const name of readdirSync(images(dir)).sort()) {
    const rel = `${dir}/${name}`;
    if (statSync(images(rel)).isDirectory()) out.push(...filesUnder(rel, `${prefix}/${name}`));
    else out.push({ path: `${prefix}/${name}`, content: readFileSync(images(rel)) });
  }
  return out;
}

/** Where each fixture sits in an image: rootfs trees whole, flat files where their kind lives. */
function layerOf(f: ImageFixture): { files: LayerFile[]; main: string } {
  const base = f.path.slice(f.path.lastIndexOf('/') + 1);
  const flat = (path: string, mode?: number) => ({ files: [{ path, content: readFileSync(images(f.path)), ...(mode ? { mode } : {}) }], main: path });
  const top = f.path.split('/')[0]!;
  if (f.root) return { files: filesUnder(f.root), main: f.path.slice(f.root.length) };
  if (top === 'rpm') {
    const root = f.path.split('/').slice(0, 2).join('/');
    return { files: filesUnder(root), main: f.path.slice(root.length) };
  }
  if (f.path.startsWith('dpkg/syft-status.d/')) return flat(`/var/lib/dpkg/status.d/${base}`);
  if (top === 'go' || top === 'rust') return flat(`/usr/local/bin/${base}`, 0o755);
  if (top === 'java') return flat(`/app/${base}`);
  if (top === 'ruby') return flat(`/usr/local/bundle/specifications/${base}`);
  if (top === 'node') return flat('/usr/src/app/node_modules/fixture/package.json');
  if (top === 'dotnet') return flat(`/app/${base}`);
  if (top === 'python') {
    if (base.endsWith('.egg-info')) return flat(`${SITE}/${base}`);
    if (base.endsWith('.PKG-INFO')) return flat(`${SITE}/${base.slice(0, -'.PKG-INFO'.length).replace(/(\.egg-info)?$/, '.egg-info')}/PKG-INFO`);
    if (base.endsWith('.METADATA')) return flat(`${SITE}/${base.slice(0, -'.METADATA'.length)}.dist-info/METADATA`);
    return flat(`${SITE}/${base.replace(/\.json$/, '')}.dist-info/METADATA`);
  }
  throw new Error(`no image path for fixture ${f.path}`);
}

/** Ours as name@version; rpm with its epoch as the peers write it (`2:9.0-1.cm2`). */
const ours = (p: ReportPackage): string => `${p.name}@${p.epoch ? `${p.epoch}:` : ''}${p.version}`;

type Peer = Record<string, unknown>;
/** The peer's package list as name@version; null when the expectation is not about the list. */
function peerList(f: ImageFixture, e: PeerExpectation): string[] | null {
  if (e.error !== undefined && e.error !== false && e.error !== 'false') return [];
  const list = (e.packages ?? (e['entries'] as Peer[] | undefined) ?? (e.package ? [e.package] : undefined)) as Peer[] | undefined;
  if (!list) return null;
  return list.flatMap((p) => {
    if (typeof p['id'] === 'string' && p['id'].includes('@') && (f.kind === 'dpkg-status' || f.kind === 'apk-installed')) return [p['id']];
    const name = (p['name'] ?? p['package']) as string | undefined;
    if (!name) return [`(nameless ${JSON.stringify(p)})`];
    if (f.kind.startsWith('rpm-') && 'release' in p) return [`${name}@${p['epoch'] ? `${String(p['epoch'])}:` : ''}${String(p['version'])}-${String(p['release'])}`];
    return [`${name}@${String(p['version'] ?? '')}`];
  });
}

/**
 * Where the peer's list and ours differ, per fixture (and peer test when a fixture has several):
 * what only the peer lists, what only we list, and why the peer's answer is the wrong one for
 * matching advisories (or not an answer about an image at all).
 */
const DISAGREEMENTS: { fixture: string; test?: string; peerOnly: string[]; oursOnly: string[]; why: string }[] = [
  {
    fixture: 'dpkg/syft-status.d/multiple',
    peerOnly: ['no-version@'],
    oursOnly: [],
    why: "Syft's parser lists a stanza without Version; dpkg never writes one for an installed package and it cannot be matched: a gap names it (line 3)",
  },
  {
    fixture: 'apk/syft-corrupt/lib/apk/db/installed',
    peerOnly: [],
    oursOnly: ['alpine-baselayout-data@3.2.0-r22'],
    why: 'Syft fails the whole file on its first bad line; the well-formed stanza after it is a real package (Trivy reads it too), and the bad line is a gap naming the file',
  },
  ...['go/test.elf', 'go/main-version-via-ldflags.elf', 'go/goexperiment'].map((fixture) => ({
    fixture,
    test: fixture === 'go/goexperiment' ? undefined : goTest(fixture),
    peerOnly: [`stdlib@v${fixture === 'go/test.elf' ? '1.15.2' : '1.22.1'}`],
    oursOnly: [`stdlib@${fixture === 'go/test.elf' ? '1.15.2' : '1.22.1'}`],
    why: "Trivy writes the toolchain as v1.x.y; OSV's stdlib ranges (golang/vulndb) write 1.x.y, and the version is compared as OSV states it",
  })),
  {
    fixture: 'java/test.jar',
    test: 'TestParse/sha1 search',
    peerOnly: ['org.springframework:spring-core@5.3.3'],
    oursOnly: ['org.springframework:Spring Framework@2.5.6.SEC03'],
    why: "online only: the peer looks the jar's SHA-1 up on Maven Central (mocked in its test); offline the MANIFEST.MF gives a guessed coordinate, Trivy's own offline answer (its other expectation)",
  },
  {
    fixture: 'java/heuristic-1.0.0-SNAPSHOT.jar',
    peerOnly: ['com.example:heuristic@1.0.0-SNAPSHOT'],
    oursOnly: ['heuristic@1.0.0-SNAPSHOT'],
    why: 'online only: the group comes from a Maven Central search by artifactId; offline only the file name speaks (marked guessed, no group, so no purl and no match)',
  },
  {
    fixture: 'python/unidecode-egg-info.PKG-INFO',
    peerOnly: ['Unidecode@0.4.1'],
    oursOnly: ['unidecode@0.4.1'],
    why: 'OSV keys PyPI records by the PEP 503 normalised name and matching is exact; Trivy keeps the name as written',
  },
  {
    fixture: 'node/without_version_package.json',
    peerOnly: ['angular@'],
    oursOnly: [],
    why: "Trivy's parser test returns the versionless package, and Trivy's analyser then drops it (\"skip packages without name/version\"): the image answer is none",
  },
  {
    fixture: 'node/without_name_and_version_package.json',
    peerOnly: ['(nameless {"licenses":["MIT"]})'],
    oursOnly: [],
    why: "as above: a parser result without name or version, dropped by Trivy's analyser",
  },
  ...(
    [
      ['dotnet/happy.deps.json', ['ExampleApp1@1.0.0']],
      ['dotnet/without-runtime.deps.json', ['hello2@1.0.0']],
      ['dotnet/missing-target.deps.json', ['ExampleApp1@1.0.0']],
      ['dotnet/self-contained.deps.json', ['ExampleApp1@1.0.0']],
      ['dotnet/multi-project.deps.json', ['Api@1.0.0', 'Data@1.0.0', 'Web@1.0.0']],
      ['dotnet/ambiguous-root.deps.json', ['Web@1.0.0', 'Worker@1.0.0']],
    ] as const
  ).map(([fixture, peerOnly]) => ({
    fixture,
    peerOnly: [...peerOnly],
    oursOnly: [],
    why: "Trivy lists the deps.json `project` libraries (the application's own assemblies); they are no NuGet packages and no advisory names them",
  })),
  {
    fixture: 'bitnami-spdx/json/opt/bitnami/postgresql/.spdx-postgresql.spdx',
    peerOnly: ['nss-wrapper@1.1.16'],
    oursOnly: ['nss_wrapper@1.1.16'],
    why: "Syft names it by the SPDX package name; Bitnami's OSV records name it as the purl does (nss_wrapper), which is what matching needs",
  },
  {
    fixture: 'bitnami-spdx/tag-value/opt/bitnami/redis/.spdx-apache.spdx',
    peerOnly: [],
    oursOnly: ['redis@7.4.1-0'],
    why: 'Syft ignores tag-value SPDX; Bitnami shipped it in some 2024 images and it names the package as well as the JSON form does',
  },
];

function goTest(fixture: string): string {
  return imageFixtures().find((f) => f.path === fixture)!.expectations.find((e) => e.packages && e.packages.length > 0)!.from.test;
}

const used = new Set<(typeof DISAGREEMENTS)[number]>();
const listFixtures = imageFixtures().filter((f) => !f.path.startsWith('layouts/') && !f.path.startsWith('whiteouts/'));

describe('every package fixture of expected.json through the real inventory (OCI layout → ANALYSERS → merge)', () => {
  it('covers every fixture outside layouts/ and whiteouts/', () => {
    expect(listFixtures.length).toBe(90);
  });

  it.each(listFixtures.map((f) => ({ f, name: f.path })))('$name', async ({ f }) => {
    const { files, main } = layerOf(f);
    const inv = await inventoryOf([files]);
    const got = inv.packages.map(ours).sort();
    for (const p of inv.packages) {
      expect(p.layer).toBe(inv.layers[0]);
      expect(p.paths[0]).toBe(main);
    }
    for (const e of f.expectations) {
      const want = peerList(f, e);
      if (want === null) continue;
      const peerOnly = want.filter((x) => !got.includes(x)).sort();
      // a lookup of one package in a database: the peer says nothing about the rest of the list
      const oursOnly = e['lookup'] !== undefined ? [] : got.filter((x) => !want.includes(x)).sort();
      const listed = DISAGREEMENTS.find((d) => d.fixture === f.path && (d.test === undefined || d.test === e.from.test));
      if (listed) used.add(listed);
      expect({ peerOnly, oursOnly }, `${f.path} ${e.from.test}`).toEqual({ peerOnly: listed?.peerOnly ?? [], oursOnly: listed?.oursOnly ?? [] });
      // Trivy's OS packages also name their source package: advisories are keyed by it
      if ((f.kind === 'dpkg-status' || f.kind === 'apk-installed') && e.from.repo === 'aquasecurity/trivy' && e.packages) {
        const src = (p: Peer) => `${String(p['name'])} ← ${String(p['srcName'])}@${p['srcEpoch'] ? `${String(p['srcEpoch'])}:` : ''}${String(p['srcVersion'])}${p['srcRelease'] ? `-${String(p['srcRelease'])}` : ''}`;
        const mine = inv.packages.map((p) => `${p.name} ← ${p.source?.name ?? p.name}@${p.source?.version ?? p.version}`).sort();
        expect(mine, `${f.path}: source packages`).toEqual((e.packages as Peer[]).map(src).sort());
      }
      if (e.error !== undefined && e.error !== false && e.error !== 'false') {
        // The file the peer refuses is a gap naming it, never an empty image that looks clean;
        // except a file that is no executable at all (a script in bin/ would be a gap each time).
        if (f.kind === 'not-a-binary') expect(inv.gaps).toEqual([]);
        else expect(inv.gaps.map((g) => g.path)).toContain(main);
      }
    }
  });

  // runs after the table above (tests of a file run in order)
  it('every disagreement in the table was met (none is stale) and says why', () => {
    expect(DISAGREEMENTS.filter((d) => !used.has(d)).map((d) => d.fixture)).toEqual([]);
    for (const d of DISAGREEMENTS) expect(d.why.length, d.fixture).toBeGreaterThan(40);
  });
});

describe('layouts/: the peers\' whole images through resolveArchive and inventoryImage', () => {
  type AlpineLayer = { os: { family: string; name: string }; packageInfos: { filePath: string; packages: Peer[] }[] };
  const fixture = (p: string): ImageFixture => imageFixtures().find((f) => f.path === p)!;

  it('alpine-311.tar.gz (Trivy image_test.go): Alpine 3.11.5, and the 14 apk packages of its layer with their origin', async () => {
    const layer = (fixture('layouts/alpine-311.tar.gz').expectations[0]!['layers'] as AlpineLayer[])[0]!;
    const image = await resolveArchive(`docker-archive:${images('layouts', 'alpine-311.tar.gz')}`, { platform: 'linux/amd64' });
    const inv = await inventoryImage(image, ANALYSERS, { today: TODAY, store: null });
    expect(inv.os).toMatchObject({ family: layer.os.family, release: layer.os.name, ecosystem: 'Alpine:v3.11', endOfLifePassed: true });
    expect(inv.gaps).toEqual([]);
    const want = layer.packageInfos[0]!.packages.map((p) => `${String(p['name'])}@${String(p['version'])} src ${String(p['srcName'])}@${String(p['srcVersion'])}`);
    const got = inv.packages.map((p) => `${p.name}@${p.version} src ${p.source?.name}@${p.source?.version}`);
    expect(got.sort()).toEqual(want.sort());
    for (const p of inv.packages) expect(p).toMatchObject({ type: 'apk', ecosystem: 'Alpine:v3.11', layer: image.layers[0]!.digest, paths: ['/' + layer.packageInfos[0]!.filePath] });
  });

  it('alpine-310.tar.gz (expected.json `observed`; the peer asserts only the image): Alpine 3.10 and its 14 packages', async () => {
    const obs = (fixture('layouts/alpine-310.tar.gz') as unknown as { observed: { alpineRelease: string; apkPackages: { name: string; version: string }[] }[] }).observed[0]!;
    const image = await resolveArchive(`docker-archive:${images('layouts', 'alpine-310.tar.gz')}`, { platform: 'linux/amd64' });
    const inv = await inventoryImage(image, ANALYSERS, { today: TODAY, store: null });
    expect(inv.os).toMatchObject({ family: 'alpine', release: obs.alpineRelease, ecosystem: 'Alpine:v3.10' });
    expect(inv.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(obs.apkPackages.map((p) => `${p.name}@${p.version}`).sort());
  });

  it.each([
    ['test.oci (one static C binary, hello)', 'oci-layout:' + images('layouts', 'test.oci')],
    ['stereoscope-valid-oci.tar (a README)', `oci-layout:${images('layouts', 'stereoscope-valid-oci.tar')}:sample:latest`],
  ])('%s: an image without package files has no packages and no OS, and no gap from the analysers', async (_n, ref) => {
    const image = await resolveArchive(ref, { platform: 'linux/amd64' });
    const inv = await inventoryImage(image, ANALYSERS, { today: TODAY, store: null });
    expect({ os: inv.os, packages: inv.packages, gaps: inv.gaps }).toEqual({ os: null, packages: [], gaps: [] });
  });
});

describe("whiteouts/: the peers' layers over package files", () => {
  const go = (): Buffer => readFileSync(images('go', 'test.elf'));
  const lower = (): LayerFile[] => [
    { path: '/etc/os-release', content: readFileSync(images('dpkg', 'syft-image-dpkg', 'etc', 'os-release')) },
    { path: '/var/lib/dpkg/status', content: readFileSync(images('dpkg', 'trivy-valid', 'var', 'lib', 'dpkg', 'status')) },
    { path: '/foo/foo', content: go(), mode: 0o755 },
    { path: '/vendor/bar', content: go(), mode: 0o755 },
  ];

  it("Trivy's layer tar (walker/testdata/test.tar) on top: foo/.wh.foo deletes a Go binary's packages, etc/.wh..wh..opq hides os-release, vendor/bar is replaced", async () => {
    const below = await inventoryOf([lower()]);
    expect(below.os).toMatchObject({ family: 'debian' });
    const goPkgs = below.packages.filter((p) => p.type === 'golang');
    expect(new Set(goPkgs.map((p) => p.paths[0]))).toEqual(new Set(['/foo/foo', '/vendor/bar']));
    const debs = below.packages.filter((p) => p.type === 'deb');
    expect(debs.length).toBe(90);

    const both = await inventoryOf([lower(), readFileSync(images('whiteouts', 'trivy-layer-whiteouts.tar'))]);
    // the binaries are gone: /foo/foo by its whiteout, /vendor/bar by the upper layer's 4-byte file
    expect(both.packages.filter((p) => p.type === 'golang')).toEqual([]);
    // the dpkg database stays, from layer 1; with /etc opaque there is no OS release left to key it
    expect(both.os).toBeNull();
    expect(both.packages.filter((p) => p.type === 'deb').map((p) => `${p.name}@${p.version}`).sort()).toEqual(debs.map((p) => `${p.name}@${p.version}`).sort());
    expect(both.packages.every((p) => p.layer === both.layers[0] && p.ecosystem === null)).toBe(true);
    expect(both.gaps).toEqual([{ path: '/var/lib/dpkg/status', layer: both.layers[0], reason: '90 OS packages are not matched: the OS release is unknown (no os-release)' }]);
  });

  it('a Go binary overwritten in a later layer by a wrapper script (no analyser reads it) takes its packages with it', async () => {
    const script = Buffer.from('#!/bin/sh\nexec /opt/app/real "$@"\n');
    const inv = await inventoryOf([[{ path: '/usr/local/bin/app', content: go(), mode: 0o755 }], [{ path: '/usr/local/bin/app', content: script, mode: 0o755 }]]);
    expect(inv.packages).toEqual([]);
    const kept = await inventoryOf([[{ path: '/usr/local/bin/app', content: go(), mode: 0o755 }], [{ path: '/usr/local/bin/other', content: script, mode: 0o755 }]]);
    expect(kept.packages.map((p) => p.name)).toContain('stdlib');
  });

  it('a real dist-info deleted by a whiteout in a later layer, and one re-added with a new version in the layer after', async () => {
    const meta = readFileSync(images('python', 'zipp-3.12.1.METADATA'));
    const dist = `${SITE}/zipp-3.12.1.dist-info/METADATA`;
    const newer = Buffer.from(meta.toString().replace('Version: 3.12.1', 'Version: 3.19.1'));
    const whiteout = tarBytes([{ name: `${SITE.slice(1)}/.wh.zipp-3.12.1.dist-info`, content: '' }]);
    const inv = await inventoryOf([[{ path: dist, content: meta }], whiteout, [{ path: `${SITE}/zipp-3.19.1.dist-info/METADATA`, content: newer }]]);
    expect(inv.packages.map((p) => [p.name, p.version, p.layer])).toEqual([['zipp', '3.19.1', inv.layers[2]]]);
  });

  const archives = imageFixtures().filter((f) => f.path.startsWith('whiteouts/osv-scalibr') && f.kind === 'docker-archive');
  it.each(archives.map((f) => f.path))('%s (osv-scalibr layer/symlink cases; files are checked in image-archives.test.ts): inventoried without packages or failure', async (path) => {
    const image = await resolveArchive(`docker-archive:${images(...path.split('/'))}`, { platform: 'linux/amd64' });
    const inv = await inventoryImage(image, ANALYSERS, { today: TODAY, store: null });
    expect(inv.packages).toEqual([]);
    expect(inv.os).toBeNull();
  });
});
