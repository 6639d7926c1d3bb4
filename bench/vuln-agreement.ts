/**
 * bench/vuln-agreement: proves `chartaudit scan --offline` reports exactly the (image,
 * vulnerability) pairs that DESIGN.md's rules give, on the 116 Bitnami corpus charts.
 *
 *   npm run build && npx tsx bench/vuln-agreement.ts
 *
 * The expected pairs are recomputed here independently of the project's matcher, database
 * and version schemes: the raw OSV JSON is read straight from ../shared/osv/bitnami-all.zip,
 * each chart's images come from truth/<chart>.images (what the reference helm renders),
 * Bitnami images map to package <name> at the X.Y.Z of their tag, ranges are evaluated with
 * the OSV schema's pseudocode using the npm `semver` package, with a trailing numeric package
 * revision (`1.19.0-0`) dropped first; a record whose versions semver cannot read is expected
 * as an indeterminate finding. Pairs are grouped by alias (the CVE). chartaudit runs with a
 * database made by `chartaudit db import` of the same zip, in a temporary directory.
 * The images are the scan report's own (`images` and `customResourceImages`); the script checks
 * that its `images` equal truth/ (the renderer is scored on its own by bench/corpus.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import semver from 'semver';
import { ZipReader } from '../src/vuln/db/zip.js';

const root = resolve(import.meta.dirname, '..');
const shared = resolve(root, '..', 'shared');
const zipPath = join(shared, 'osv', 'bitnami-all.zip');
const bin = join(root, 'bin', 'chartaudit.js');
const filter = process.argv[2] ?? '';

interface Event { introduced?: string; fixed?: string; last_affected?: string; limit?: string }
interface Rec {
  id: string; aliases?: string[]; withdrawn?: string;
  affected?: { package?: { ecosystem: string; name: string }; versions?: string[]; ranges?: { type: string; events: Event[] }[] }[];
}

/** Every entry of the dump, read with the project's zip reader (src/vuln/db/zip.ts). */
function zipEntries(file: string): Buffer[] {
  const zip = ZipReader.open(file);
  try {
    return [...zip].map((e) => zip.readEntry(e));
  } finally {
    zip.close();
  }
}

/**
 * DESIGN.md: Bitnami advisory versions are semver with a trailing numeric revision dropped.
 * Numeric components are numbers: minio's date versions `2026.03.17` are 2026.3.17 (strict
 * SemVer forbids the leading zero; the value is unambiguous).
 */
function norm(v: string): string | null {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-(.+))?$/.exec(v);
  if (m) {
    const core = [m[1], m[2], m[3]].map((x) => String(Number(x))).join('.');
    const pre = m[4] === undefined || /^\d+$/.test(m[4]) ? '' : `-${m[4]}`;
    const s = core + pre;
    return semver.valid(s) ? s : null;
  }
  return semver.valid(v) ? v : null;
}

type Verdict = 'affected' | 'indeterminate' | 'no';

/** The OSV schema's evaluation pseudocode, with semver ordering. */
function evaluate(version: string, rec: Rec, name: string): Verdict {
  if (rec.withdrawn) return 'no';
  let result: Verdict = 'no';
  for (const a of rec.affected ?? []) {
    if (a.package?.ecosystem !== 'Bitnami' || a.package.name !== name) continue;
    if ((a.versions ?? []).includes(version)) return 'affected';
    for (const r of a.ranges ?? []) {
      if (r.type !== 'SEMVER' && r.type !== 'ECOSYSTEM') continue;
      const evs: { kind: keyof Event; v: string | null; raw: string }[] = r.events.map((e) => {
        const kind = Object.keys(e)[0] as keyof Event;
        const raw = e[kind]!;
        return { kind, raw, v: raw === '0' || raw === '*' ? raw : norm(raw) };
      });
      if (evs.some((e) => e.v === null)) { if (result === 'no') result = 'indeterminate'; continue; }
      const ord = (e: { kind: string; v: string | null }) => (e.kind === 'introduced' && e.v === '0' ? -Infinity : 0);
      evs.sort((x, y) => ord(x) - ord(y) || (ord(x) === 0 && ord(y) === 0 ? semver.compare(x.v!, y.v!) : 0));
      let vulnerable = false;
      for (const e of evs) {
        if (e.kind === 'introduced') { if (e.v === '0' || semver.gte(version, e.v!)) vulnerable = true; }
        else if (e.kind === 'fixed') { if (semver.gte(version, e.v!)) vulnerable = false; }
        else if (e.kind === 'last_affected') { if (semver.gt(version, e.v!)) vulnerable = false; }
      }
      const limits = evs.filter((e) => e.kind === 'limit');
      if (limits.length && !limits.some((l) => l.v === '*' || semver.lt(version, l.v!))) vulnerable = false;
      if (vulnerable) return 'affected';
    }
  }
  return result;
}

const records = zipEntries(zipPath).map((b) => JSON.parse(b.toString('utf8')) as Rec);
const byPackage = new Map<string, Rec[]>();
for (const r of records) for (const a of r.affected ?? []) {
  if (a.package?.ecosystem !== 'Bitnami') continue;
  byPackage.set(a.package.name, [...(byPackage.get(a.package.name) ?? []), r]);
}
const groupId = (r: Rec) => [r.id, ...(r.aliases ?? [])].sort().find((x) => x.startsWith('CVE-')) ?? r.id;

function expectedPairs(images: string[]): { affected: Set<string>; indeterminate: Set<string> } {
  const affected = new Set<string>();
  const indeterminate = new Set<string>();
  for (const img of images) {
    const m = /\/(?:bitnami|bitnamilegacy)\/([^/:@]+):(\d+\.\d+\.\d+)(?:-|$)/.exec(img);
    if (!m) continue;
    const [, name, version] = m;
    for (const r of byPackage.get(name!) ?? []) {
      const v = evaluate(version!, r, name!);
      if (v === 'affected') affected.add(`${img} ${groupId(r)}`);
      else if (v === 'indeterminate') indeterminate.add(`${img} ${groupId(r)}`);
    }
  }
  for (const p of affected) indeterminate.delete(p); // a group is affected if any record says so
  return { affected, indeterminate };
}

const dbDir = mkdtempSync(join(tmpdir(), 'chartaudit-vulnbench-'));
const imp = spawnSync(bin, ['db', 'import', zipPath, '--db', dbDir], { encoding: 'utf8' });
if (imp.status !== 0) throw new Error(`db import failed: ${imp.stderr}`);

const corpus = join(shared, 'corpus', 'bitnami');
const charts = readdirSync(join(corpus, 'charts')).filter((f) => f.endsWith('.tgz') && f.includes(filter)).sort();
let agree = 0;
let pairs = 0;
const misses: string[] = [];
const times: number[] = [];
for (const file of charts) {
  const name = file.replace(/-\d+\.\d+\.\d+[^/]*\.tgz$/, '');
  const truth = readFileSync(join(corpus, 'truth', `${name}.images`), 'utf8').split('\n').filter(Boolean);
  const t0 = Date.now();
  const r = spawnSync(bin, ['scan', join(corpus, 'charts', file), '--offline', '--db', dbDir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  times.push(Date.now() - t0);
  if (r.status !== 0 && r.status !== 1) {
    misses.push(`  ${file}: scan failed: ${r.stderr.trim().split('\n')[0]}`);
    continue;
  }
  const report = JSON.parse(r.stdout) as {
    images: { ref: string }[]; customResourceImages: { ref: string }[];
    findings: { image: string; id: string; status: string }[];
  };
  const workloadRefs = report.images.map((i) => i.ref).sort();
  if (JSON.stringify(workloadRefs) !== JSON.stringify([...truth].sort())) misses.push(`  ${file}: images differ from truth/`);
  const want = expectedPairs([...workloadRefs, ...report.customResourceImages.map((i) => i.ref)]);
  const gotAffected = new Set(report.findings.filter((f) => f.status === 'affected').map((f) => `${f.image} ${f.id}`));
  const gotIndet = new Set(report.findings.filter((f) => f.status === 'indeterminate').map((f) => `${f.image} ${f.id}`));
  pairs += want.affected.size;
  const missing = [...want.affected].filter((p) => !gotAffected.has(p));
  const extra = [...gotAffected].filter((p) => !want.affected.has(p));
  const indetDiff = [...want.indeterminate].filter((p) => !gotIndet.has(p)).concat([...gotIndet].filter((p) => !want.indeterminate.has(p)));
  if (!missing.length && !extra.length && !indetDiff.length) agree++;
  else misses.push(`  ${file}: missing ${missing.join(', ') || '-'}; extra ${extra.join(', ') || '-'}; indeterminate differs ${indetDiff.join(', ') || '-'}`);
}
rmSync(dbDir, { recursive: true, force: true });
console.log(`(image, vulnerability) pairs: ${agree}/${charts.length} charts agree exactly with the independent recomputation (${pairs} affected pairs expected in all)`);
for (const m of misses) console.log(m);
times.sort((a, b) => a - b);
console.log(`scan --offline per chart: median ${times[Math.floor(times.length / 2)]} ms`);
