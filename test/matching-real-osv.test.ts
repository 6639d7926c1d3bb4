/**
 * Matching on real OSV data (issue 11 "Acceptance"): the Go, PyPI, crates.io and AlmaLinux
 * packages of the test images (the go/, python/, rust/ and rpm/ fixtures of
 * ../shared/testdata/images, inventoried through the real pipeline) are matched by the project
 * (packagesOfContents → findingsFor on a database of every record of ../shared/osv/real-mixed.zip)
 * and, independently, by an evaluation written here from the raw JSON: the OSV schema's range walk
 * with its own version orderings (npm `semver` for SEMVER, a PEP 440 key for PyPI, rpmvercmp for
 * AlmaLinux), and the records grouped by alias. Both sides must give the same (package, alias
 * group, status) triples and the same fixed versions, in both directions.
 *
 * AlmaLinux: the rpm fixtures are real rpmdbs of other RPM distributions (CBL-Mariner 2.0, RHEL 8);
 * an AlmaLinux os-release beside them keys their binary names and [epoch:]version-release to
 * `AlmaLinux:8|9|10`, so real ALSA records meet real installed EVRs.
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, ImagePackage } from '../src/model/advisory.js';
import type { ReportPackage } from '../src/model/report.js';
import { memoryDb } from '../src/vuln/db/store.js';
import { findingsFor } from '../src/vuln/index.js';
import { packagesOfContents } from '../src/vuln/packages.js';
import { inventoryOf, type LayerFile } from './helpers/inventory-image.js';
import { sharedPath, sharedZipEntries } from './helpers/shared.js';

interface Event { introduced?: string; fixed?: string; last_affected?: string; limit?: string }
interface Affected { package?: { ecosystem: string; name: string }; versions?: string[]; ranges?: { type: string; events: Event[] }[] }
interface Rec { id: string; aliases?: string[]; withdrawn?: string; affected?: Affected[] }

const fixture = (...p: string[]): Buffer => readFileSync(sharedPath('testdata', 'images', ...p));
const SITE = '/usr/local/lib/python3.12/site-packages';

// ---- version orderings, written for this test (not the project's src/versioning) ----

const pep440Keys = new Map<string, number[] | null>();
/** PEP 440 as a sortable key; null when the string is no PEP 440 version. */
function pep440(v: string): number[] | null {
  let k = pep440Keys.get(v);
  if (k === undefined) pep440Keys.set(v, (k = pep440Key(v)));
  return k;
}
function pep440Key(v: string): number[] | null {
  const m = /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d*))?(?:[-_.]?(dev)[-_.]?(\d*))?(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$/.exec(v.trim().toLowerCase());
  if (!m) return null;
  const release = m[2]!.split('.').map(Number);
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  const preKind = m[3] ? ({ a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 } as Record<string, number>)[m[3]]! : null;
  const post = m[5] !== undefined ? Number(m[5]) : m[6] ? Number(m[7] || 0) : null;
  const dev = m[8] ? Number(m[9] || 0) : null;
  // pre: a dev release of the final version sorts before its pre-releases; no pre sorts after them
  const pre = preKind !== null ? [preKind, Number(m[4] || 0)] : post === null && dev !== null ? [-1, 0] : [3, 0];
  return [Number(m[1] ?? 0), release.length, ...release, ...pre, post === null ? -1 : post, dev === null ? Infinity : dev];
}
function comparePep440(a: number[], b: number[]): number {
  // release lengths differ: compare element-wise with zero padding
  const ra = a.slice(2, 2 + a[1]!);
  const rb = b.slice(2, 2 + b[1]!);
  if (a[0] !== b[0]) return a[0]! - b[0]!;
  for (let i = 0; i < Math.max(ra.length, rb.length); i++) if ((ra[i] ?? 0) !== (rb[i] ?? 0)) return (ra[i] ?? 0) - (rb[i] ?? 0);
  const ta = a.slice(2 + a[1]!);
  const tb = b.slice(2 + b[1]!);
  for (let i = 0; i < ta.length; i++) if (ta[i] !== tb[i]) return ta[i]! < tb[i]! ? -1 : 1;
  return 0;
}

/** rpmvercmp: alternating digit and letter segments, `~` sorts first, `^` after the end. */
function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const alnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);
  for (;;) {
    while (i < a.length && !alnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !alnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++, j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++, j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const digits = /\d/.test(a[i]!);
    const seg = (s: string, k: number): string => {
      let e = k;
      while (e < s.length && (digits ? /\d/.test(s[e]!) : /[A-Za-z]/.test(s[e]!))) e++;
      return s.slice(k, e);
    };
    const sa = seg(a, i);
    const sb = seg(b, j);
    i += sa.length;
    j += sb.length;
    if (sb === '') return digits ? 1 : -1;
    if (digits) {
      const na = sa.replace(/^0+/, '');
      const nb = sb.replace(/^0+/, '');
      if (na.length !== nb.length) return na.length < nb.length ? -1 : 1;
      if (na !== nb) return na < nb ? -1 : 1;
    } else if (sa !== sb) return sa < sb ? -1 : 1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}
function compareEvr(a: string, b: string): number {
  const split = (s: string) => {
    const c = s.indexOf(':');
    const epoch = c >= 0 ? Number(s.slice(0, c)) : 0;
    const vr = c >= 0 ? s.slice(c + 1) : s;
    const d = vr.lastIndexOf('-');
    return { epoch, version: d >= 0 ? vr.slice(0, d) : vr, release: d >= 0 ? vr.slice(d + 1) : '' };
  };
  const x = split(a);
  const y = split(b);
  if (x.epoch !== y.epoch) return x.epoch < y.epoch ? -1 : 1;
  return rpmvercmp(x.version, y.version) || (x.release && y.release ? rpmvercmp(x.release, y.release) : 0);
}

interface Order { valid(v: string): boolean; compare(a: string, b: string): number }
const ORDERS: Record<string, Order> = {
  SEMVER: { valid: (v) => semver.valid(v.replace(/^v/, '')) !== null, compare: (a, b) => semver.compare(a.replace(/^v/, ''), b.replace(/^v/, '')) },
  PyPI: { valid: (v) => pep440(v) !== null, compare: (a, b) => comparePep440(pep440(a)!, pep440(b)!) },
  AlmaLinux: { valid: (v) => /^(\d+:)?[^-:]+(-[^-:]+)?$/.test(v), compare: compareEvr },
};
const orderFor = (ecosystem: string, rangeType: string): Order | null =>
  rangeType === 'SEMVER' ? ORDERS['SEMVER']! : rangeType === 'ECOSYSTEM' ? (ORDERS[ecosystem.split(':')[0]!] ?? (ecosystem === 'Go' || ecosystem === 'crates.io' ? ORDERS['SEMVER']! : null)) : null;

type Verdict = { status: 'affected'; fixed: string[] } | { status: 'indeterminate' } | { status: 'no' };

/** The OSV schema's evaluation: `versions`, then each SEMVER/ECOSYSTEM range's events walked in order. */
function evaluate(rec: Rec, ecosystem: string, name: string, version: string, sameName: (a: string, b: string) => boolean): Verdict {
  if (rec.withdrawn) return { status: 'no' };
  let indeterminate = false;
  const fixed: string[] = [];
  let affected = false;
  for (const a of rec.affected ?? []) {
    if (a.package?.ecosystem !== ecosystem || !sameName(a.package.name, name)) continue;
    const eco = ORDERS[ecosystem.split(':')[0]!];
    if ((a.versions ?? []).some((v) => v === version || (eco?.valid(v) && eco.valid(version) && eco.compare(v, version) === 0))) affected = true;
    for (const r of a.ranges ?? []) {
      const order = orderFor(ecosystem, r.type);
      if (!order) continue; // GIT ranges name commits, not versions
      const evs = r.events.map((e) => {
        const kind = Object.keys(e)[0] as keyof Event;
        return { kind, v: e[kind]! };
      });
      if (!order.valid(version) || evs.some((e) => !(e.kind === 'introduced' && e.v === '0') && !(e.kind === 'limit' && e.v === '*') && !order.valid(e.v))) {
        indeterminate = true;
        continue;
      }
      const zero = (e: { kind: string; v: string }) => e.kind === 'introduced' && e.v === '0';
      evs.sort((x, y) => (zero(x) ? -1 : 0) - (zero(y) ? -1 : 0) || (zero(x) || zero(y) || x.v === '*' || y.v === '*' ? 0 : order.compare(x.v, y.v)));
      let vulnerable = false;
      let fixedBy: string | null = null;
      for (const e of evs) {
        if (e.kind === 'introduced' && (e.v === '0' || order.compare(version, e.v) >= 0)) { vulnerable = true; fixedBy = null; }
        else if (e.kind === 'fixed' && order.compare(version, e.v) >= 0) vulnerable = false;
        else if (e.kind === 'last_affected' && order.compare(version, e.v) > 0) vulnerable = false;
        else if (e.kind === 'fixed' && vulnerable && fixedBy === null) fixedBy = e.v;
      }
      const limits = evs.filter((e) => e.kind === 'limit');
      if (limits.length && !limits.some((l) => l.v === '*' || order.compare(version, l.v) < 0)) vulnerable = false;
      if (vulnerable) {
        affected = true;
        if (fixedBy) fixed.push(fixedBy);
      }
    }
  }
  if (affected) return { status: 'affected', fixed };
  return indeterminate ? { status: 'indeterminate' } : { status: 'no' };
}

const pep503 = (n: string): string => n.toLowerCase().replace(/[-_.]+/g, '-');
const sameNameIn = (ecosystem: string) => (a: string, b: string) => (ecosystem === 'PyPI' ? pep503(a) === pep503(b) : a === b);

/** One line per alias group of a package: `<package> <ids of the group> <status> fixed=<versions>`. */
function independent(pkgs: { ecosystem: string; name: string; version: string }[], byPackage: Map<string, Rec[]>): string[] {
  const out: string[] = [];
  for (const p of pkgs) {
    const key = `${p.ecosystem}\u0000${p.ecosystem === 'PyPI' ? pep503(p.name) : p.name}`;
    const hits: { rec: Rec; v: Verdict }[] = [];
    for (const rec of byPackage.get(key) ?? []) {
      const v = evaluate(rec, p.ecosystem, p.name, p.version, sameNameIn(p.ecosystem));
      if (v.status !== 'no') hits.push({ rec, v });
    }
    // alias groups: union of each hit's id and aliases, transitively
    const groups: { ids: Set<string>; hits: typeof hits }[] = [];
    for (const h of hits) {
      const ids = new Set([h.rec.id, ...(h.rec.aliases ?? [])]);
      const joined = groups.filter((g) => [...ids].some((i) => g.ids.has(i)));
      const g = { ids, hits: [h] };
      for (const o of joined) {
        for (const i of o.ids) g.ids.add(i);
        g.hits.push(...o.hits);
        groups.splice(groups.indexOf(o), 1);
      }
      groups.push(g);
    }
    for (const g of groups) {
      const affected = g.hits.filter((h) => h.v.status === 'affected');
      const fixed = [...new Set(affected.flatMap((h) => (h.v.status === 'affected' ? h.v.fixed : [])))].sort();
      out.push(line(p, [...g.ids], affected.length ? 'affected' : 'indeterminate', fixed));
    }
  }
  return out.sort();
}

const line = (p: { ecosystem: string; name: string; version: string }, ids: string[], status: string, fixed: string[]): string =>
  `${p.ecosystem} ${p.name}@${p.version} [${[...ids].sort().join(' ')}] ${status} fixed=${[...fixed].sort().join(',')}`;

const ours = (fs: Finding[]): string[] => fs.map((f) => line(f.package, [f.id, ...f.aliases], f.status, f.fixed)).sort();

/** The version each side matches with: rpm's [epoch:]version-release, the others' own version. */
const evaluated = (p: ReportPackage) => ({ ecosystem: p.ecosystem!, name: p.name, version: p.type === 'rpm' && p.epoch ? `${p.epoch}:${p.version}` : p.version });

const almaRelease = (major: string, minor: string): Buffer =>
  Buffer.from(
    `NAME="AlmaLinux"\nVERSION="${major}.${minor}"\nID="almalinux"\nID_LIKE="rhel centos fedora"\nVERSION_ID="${major}.${minor}"\nPLATFORM_ID="platform:el${major}"\nPRETTY_NAME="AlmaLinux ${major}.${minor}"\nANSI_COLOR="0;34"\nCPE_NAME="cpe:/o:almalinux:almalinux:${major}::baseos"\nHOME_URL="https://almalinux.org/"\n`,
  );
const pythonFiles = (): LayerFile[] =>
  ['setuptools-51.3.3-py3.8.egg-info.PKG-INFO', 'unidecode-egg-info.PKG-INFO', 'distlib-0.3.1-py3.9.egg-info', 'simple-0.1.0.METADATA', 'asyncssh-2.14.2.METADATA', 'pyphen-0.14.0.METADATA', 'iniconfig-2.0.0.METADATA', 'zipp-3.12.1.METADATA', 'networkx-3.0.METADATA'].map((base) => {
    const content = fixture('python', base);
    if (base.endsWith('.egg-info')) return { path: `${SITE}/${base}`, content };
    if (base.endsWith('.PKG-INFO')) return { path: `${SITE}/${base.slice(0, -'.PKG-INFO'.length).replace(/(\.egg-info)?$/, '.egg-info')}/PKG-INFO`, content };
    return { path: `${SITE}/${base.slice(0, -'.METADATA'.length)}.dist-info/METADATA`, content };
  });
const mariner = (): LayerFile => ({ path: '/var/lib/rpm/rpmdb.sqlite', content: fixture('rpm', 'go-rpmdb-cbl-mariner-2.0', 'var', 'lib', 'rpm', 'rpmdb.sqlite') });
const libuuid = (): LayerFile => ({ path: '/var/lib/rpm/Packages', content: fixture('rpm', 'go-rpmdb-libuuid', 'var', 'lib', 'rpm', 'Packages') });
const sle = (): LayerFile => ({ path: '/usr/lib/sysimage/rpm/Packages.db', content: fixture('rpm', 'go-rpmdb-sle15-bci', 'usr', 'lib', 'sysimage', 'rpm', 'Packages.db') });

const IMAGES: { ref: string; ecosystems: string[]; layers: () => LayerFile[][] }[] = [
  { ref: 'test/go:1', ecosystems: ['Go'], layers: () => [['test.elf', 'main-version-via-ldflags.elf', 'goexperiment'].map((n) => ({ path: `/usr/local/bin/${n}`, content: fixture('go', n), mode: 0o755 }))] },
  { ref: 'test/python:1', ecosystems: ['PyPI'], layers: () => [pythonFiles()] },
  { ref: 'test/rust:1', ecosystems: ['crates.io'], layers: () => [[{ path: '/usr/local/bin/app', content: fixture('rust', 'test.elf'), mode: 0o755 }]] },
  { ref: 'test/alma8:1', ecosystems: ['AlmaLinux:8'], layers: () => [[{ path: '/etc/os-release', content: almaRelease('8', '10') }, mariner()], [libuuid()]] },
  { ref: 'test/alma9:1', ecosystems: ['AlmaLinux:9'], layers: () => [[{ path: '/etc/os-release', content: almaRelease('9', '6') }, mariner()]] },
  { ref: 'test/alma10:1', ecosystems: ['AlmaLinux:10'], layers: () => [[{ path: '/etc/os-release', content: almaRelease('10', '0') }, sle()]] },
];

let loaded: { records: Rec[]; byPackage: Map<string, Rec[]>; db: ReturnType<typeof memoryDb> } | undefined;
/** The dump read once: its records, indexed by (ecosystem, name), and a database of all of them. */
function dump(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const records: Rec[] = [];
  const byPackage = new Map<string, Rec[]>();
  for (const e of sharedZipEntries('osv', 'real-mixed.zip')) records.push(JSON.parse(e.data.toString('utf8')) as Rec);
  for (const r of records) {
    for (const k of new Set((r.affected ?? []).filter((a) => a.package).map((a) => `${a.package!.ecosystem}\u0000${a.package!.ecosystem === 'PyPI' ? pep503(a.package!.name) : a.package!.name}`))) {
      byPackage.set(k, [...(byPackage.get(k) ?? []), r]);
    }
  }
  return (loaded = { records, byPackage, db: memoryDb(records, { source: 'real-mixed.zip' }) });
}

describe('findings on real OSV records (real-mixed.zip) equal an independent evaluation of the raw records', () => {
  let records: Rec[] = [];
  let byPackage = new Map<string, Rec[]>();
  let db: ReturnType<typeof memoryDb>;
  beforeAll(() => void ({ records, byPackage, db } = dump()), 120_000);

  it('the dump is the one its README describes (6,583 records)', () => {
    expect(records.length).toBe(6583);
  });

  const totals: Record<string, number> = {};
  it.each(IMAGES.map((i) => ({ ...i, name: `${i.ref} (${i.ecosystems.join(', ')})` })))('$name', async ({ ref, ecosystems, layers }) => {
    const inv = await inventoryOf(layers());
    const read = inv.packages.filter((p) => p.ecosystem !== null && ecosystems.includes(p.ecosystem));
    expect(read.length).toBeGreaterThan(0);
    const matchable: ImagePackage[] = packagesOfContents(ref, read).packages;
    const { findings, gaps } = findingsFor(matchable, db);
    expect(gaps).toEqual([]);
    const unique = [...new Map(read.map((p) => [JSON.stringify(evaluated(p)), evaluated(p)])).values()].filter((p) => p.version !== '');
    const want = independent(unique, byPackage);
    const got = ours(findings);
    expect({ onlyOurs: got.filter((x) => !want.includes(x)), onlyIndependent: want.filter((x) => !got.includes(x)) }).toEqual({ onlyOurs: [], onlyIndependent: [] });
    totals[ref] = got.length;
  });

  it('the comparison is not vacuous: Go stdlib 1.15.2, PyPI, and every AlmaLinux release give findings', () => {
    expect(totals['test/go:1']).toBeGreaterThan(50);
    expect(totals['test/python:1']).toBeGreaterThan(0);
    for (const r of ['test/alma8:1', 'test/alma9:1', 'test/alma10:1']) expect(totals[r], r).toBeGreaterThan(0);
    console.log('findings per image:', JSON.stringify(totals));
  });
});

describe('the independent orderings themselves (a few hand-checked cases)', () => {
  it.each([
    ['1.0.0', '1.0', 0], ['1.0rc1', '1.0', -1], ['1.0.dev1', '1.0a1', -1], ['1.0.post1', '1.0', 1], ['1!0.1', '2.0', 1], ['2.14.2', '2.14.10', -1],
  ] as const)('PEP 440 %s vs %s', (a, b, want) => expect(Math.sign(comparePep440(pep440(a)!, pep440(b)!))).toBe(want));
  it.each([
    ['1.1.1k-7.cm2', '1:1.1.1k-6.el8_5', -1], ['2.34-2.cm2', '2.28-225.el8', 1], ['1.0~rc1-1', '1.0-1', -1], ['1.0^git1-1', '1.0-1', 1], ['7.76.0-6.cm2', '7.76.0-6.cm2', 0], ['1.2a-1', '1.2-1', 1],
  ] as const)('rpm EVR %s vs %s', (a, b, want) => expect(Math.sign(compareEvr(a, b))).toBe(want));
});

describe('a version listed in `versions` keeps the fix its ranges name (PYSEC records carry both)', () => {
  it('setuptools 51.3.3 in PYSEC-2022-43012: affected, fixed in 65.5.1 (not an unfixed finding that --ignore-unfixed would hide)', () => {
    const rec = [...sharedZipEntries('osv', 'real-mixed.zip')].find((e) => e.name === 'PYSEC-2022-43012.json')!;
    const record = JSON.parse(rec.data.toString('utf8')) as Rec;
    expect(record.affected![0]!.versions).toContain('51.3.3');
    const { findings } = findingsFor([{ ecosystem: 'PyPI', name: 'setuptools', version: '51.3.3', image: 'x' }], memoryDb([record]));
    expect(findings.map((f) => [f.id, f.status, f.fixed])).toEqual([['CVE-2022-40897', 'affected', ['65.5.1']]]);
  });
});

/**
 * Beyond the test images: every package of the dump at the versions its own records name (each
 * introduced, fixed and last_affected bound, where an off-by-one in the walk would show), matched
 * by the project and by the evaluation above. Sampled to keep it short: every package of crates.io,
 * every 2nd of PyPI, every 4th of AlmaLinux (per release), every 8th of Go.
 */
describe('every package of real-mixed.zip at its records\' own bounds: project = independent evaluation', () => {
  let records: Rec[] = [];
  let byPackage = new Map<string, Rec[]>();
  let db: ReturnType<typeof memoryDb>;
  beforeAll(() => void ({ records, byPackage, db } = dump()), 120_000);

  it.each(['crates.io', 'PyPI', 'AlmaLinux', 'Go'])('%s', (family) => {
    const keys = [...byPackage.keys()].filter((k) => k.split('\u0000')[0]!.split(':')[0] === family).sort();
    const every = { Go: 8, AlmaLinux: 4, PyPI: 2, 'crates.io': 1 }[family]!;
    const sample = keys.filter((_, i) => i % every === 0);
    const pkgs: { ecosystem: string; name: string; version: string }[] = [];
    for (const k of sample) {
      const [ecosystem, key] = k.split('\u0000') as [string, string];
      const versions = new Set<string>();
      let name = key;
      for (const r of byPackage.get(k)!) {
        for (const a of r.affected ?? []) {
          if (a.package?.ecosystem !== ecosystem || (ecosystem === 'PyPI' ? pep503(a.package.name) : a.package.name) !== key) continue;
          name = a.package.name;
          for (const rg of a.ranges ?? []) if (rg.type !== 'GIT') for (const e of rg.events) for (const v of Object.values(e)) if (v !== '0' && v !== '*') versions.add(v);
        }
      }
      // Go modules carry the v the build info writes; stdlib and toolchain do not
      for (const v of versions) pkgs.push({ ecosystem, name, version: family === 'Go' && name !== 'stdlib' && name !== 'toolchain' ? `v${v}` : v });
    }
    expect(pkgs.length).toBeGreaterThan(100);
    const { findings } = findingsFor(pkgs.map((p) => ({ ...p, image: 'bounds' })), db);
    const want = independent(pkgs, byPackage);
    const got = ours(findings);
    const [w, g] = [new Set(want), new Set(got)];
    expect({ onlyOurs: got.filter((x) => !w.has(x)).slice(0, 10), onlyIndependent: want.filter((x) => !g.has(x)).slice(0, 10) }).toEqual({ onlyOurs: [], onlyIndependent: [] });
    console.log(`${family}: ${pkgs.length} package versions, ${got.length} findings agree`);
  }, 120_000);
});
