/**
 * Issue 12's cost goal: the posture stage adds at most 10% to a scan's time on the corpus. Each
 * of the 116 corpus charts is scanned in this process twice in alternation, with and without the
 * posture stage (--skip-posture), with the Bitnami advisory database (../shared/osv/bitnami-all.zip
 * imported into a temp dir), offline and without image contents (which the posture stage does not
 * touch); the ratio of the totals is printed, with the charts where the stage costs most.
 *
 *   npx tsx bench/posture-scan.ts [rounds=2] [filter]
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { installHermeticHome } from '../test/helpers/hermetic.js';
import { scan, type ScanOptions } from '../src/commands/scan.js';
import { dbImport } from '../src/commands/db.js';
import { processEnv } from '../src/commands/context.js';

const root = resolve(import.meta.dirname, '..');
const corpus = resolve(root, '..', 'shared', 'corpus', 'bitnami', 'charts');
const rounds = Number(process.argv[2] ?? 2);
const filter = process.argv[3] ?? '';
installHermeticHome();
const work = mkdtempSync(join(tmpdir(), 'chartaudit-bench-posture-'));
const db = join(work, 'db');
const env = processEnv();
await dbImport([resolve(root, '..', 'shared', 'osv', 'bitnami-all.zip')], db, env);

const charts = readdirSync(corpus).filter((f) => f.endsWith('.tgz') && f.includes(filter)).sort();
const base: Omit<ScanOptions, 'chart'> = {
  valuesFiles: [], set: [], setString: [], setJson: [], setFile: [], setLiteral: [], releaseName: 'release-name', namespace: 'default', apiVersions: [],
  db, offline: true, online: false, vex: [], failOnGaps: false, requireSignature: false,
  platform: 'linux/amd64', mirrors: [], insecure: [], skipImageContents: true,
};
let withMs = 0;
let withoutMs = 0;
let findings = 0;
const perChart: { file: string; extra: number }[] = [];
const time = async (o: ScanOptions): Promise<number> => {
  const t0 = performance.now();
  const r = await scan(o, env);
  if (r.posture) findings += r.posture.findings.length;
  return performance.now() - t0;
};
// one warm-up pass: module loading and the first database open are not the stage's cost
for (const file of charts.slice(0, 3)) await time({ ...base, chart: join(corpus, file) });
findings = 0;
for (let round = 0; round < rounds; round++) {
  for (const file of charts) {
    const chart = join(corpus, file);
    // alternate which side runs first, so neither always finds the caches warmer
    const first = (round + charts.indexOf(file)) % 2 === 0;
    const a = first ? await time({ ...base, chart }) : 0;
    const b = await time({ ...base, chart, skipPosture: true });
    const c = first ? a : await time({ ...base, chart });
    withMs += c;
    withoutMs += b;
    if (round === 0) perChart.push({ file, extra: c - b });
  }
}
console.log(`${charts.length} charts x ${rounds} rounds: scan ${(withMs / 1000).toFixed(1)} s with posture, ${(withoutMs / 1000).toFixed(1)} s with --skip-posture; ${findings / rounds} posture findings a round`);
console.log(`posture stage adds ${(((withMs / withoutMs) - 1) * 100).toFixed(1)}% (ratio ${(withMs / withoutMs).toFixed(3)}x; goal ≤ 1.10x)`);
console.log('most costly:', perChart.sort((x, y) => y.extra - x.extra).slice(0, 5).map((p) => `${p.file} +${p.extra.toFixed(0)} ms`).join(', '));
rmSync(work, { recursive: true, force: true });
