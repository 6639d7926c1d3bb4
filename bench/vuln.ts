/**
 * bench/vuln: the local vulnerability database on the shared data.
 *
 *   npm run build && npx tsx bench/vuln.ts
 *
 * - import throughput: `chartaudit db import ../shared/osv/bitnami-all.zip` into a fresh
 *   directory (records/s; goal: the 7,444 records in under 2 s), and the database size;
 * - matching cost in a scan: for the 10 most common Bitnami images of the corpus, opening the
 *   database read-only and matching all of them, in-process, median of 20 (goal: under 50 ms);
 * - and the same scan's total time with and without the vulnerability stage, as commands.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDb } from '../src/vuln/db/store.js';
import { findingsFor, packagesOfImages } from '../src/vuln/index.js';
import { parseImageReference } from '../src/images/reference.js';

const root = resolve(import.meta.dirname, '..');
const shared = resolve(root, '..', 'shared');
const zip = join(shared, 'osv', 'bitnami-all.zip');
const bin = join(root, 'bin', 'chartaudit.js');
const dir = mkdtempSync(join(tmpdir(), 'chartaudit-vulnbench-'));

const imports: number[] = [];
for (let i = 0; i < 3; i++) {
  rmSync(dir, { recursive: true, force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, ['db', 'import', zip, '--db', dir], { encoding: 'utf8' });
  imports.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (r.status !== 0) throw new Error(r.stderr);
}
imports.sort((a, b) => a - b);
const size = statSync(join(dir, 'vulndb.sqlite')).size;
console.log(`import: 7,444 records, median of 3 runs ${(imports[1]! / 1000).toFixed(2)} s as a command (${Math.round(7444 / (imports[1]! / 1000))} records/s); database ${(size / 1024 / 1024).toFixed(1)} MiB`);

// The 10 images that the most corpus charts deploy.
const counts = new Map<string, number>();
for (const f of readdirSync(join(shared, 'corpus', 'bitnami', 'truth'))) {
  for (const ref of readFileSync(join(shared, 'corpus', 'bitnami', 'truth', f), 'utf8').split('\n').filter(Boolean)) counts.set(ref, (counts.get(ref) ?? 0) + 1);
}
const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([ref]) => ({ ...parseImageReference(ref), sources: [] }));
const { packages } = packagesOfImages(top);
const runs: number[] = [];
let findings = 0;
for (let i = 0; i < 20; i++) {
  const t0 = process.hrtime.bigint();
  const db = openDb(dir, { readonly: true });
  findings = findingsFor(packages, db).findings.length;
  db.close();
  runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
runs.sort((a, b) => a - b);
console.log(`matching ${packages.length} packages of 10 images (${findings} findings): first run ${runs[runs.length - 1]!.toFixed(1)} ms, median ${runs[10]!.toFixed(1)} ms (goal under 50 ms)`);

const chart = join(shared, 'corpus', 'bitnami', 'charts', readdirSync(join(shared, 'corpus', 'bitnami', 'charts')).find((f) => f.startsWith('airflow-'))!);
const time = (args: string[]) => {
  const xs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(bin, args, { encoding: 'utf8' });
    xs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return xs.sort((a, b) => a - b)[3]!;
};
const withVulns = time(['scan', chart, '--offline', '--db', dir, '--format', 'json']);
const without = time(['scan', chart, '--offline', '--db', join(dir, 'none'), '--format', 'json']);
console.log(`scan of ${chart.split('/').pop()}: ${withVulns.toFixed(0)} ms with the database, ${without.toFixed(0)} ms without (added ${(withVulns - without).toFixed(0)} ms)`);
rmSync(dir, { recursive: true, force: true });
