/**
 * Issue 14's scan goal: `chartaudit scan` of a corpus chart with the Bitnami advisory database
 * (../shared/osv/bitnami-all.zip imported into a temp dir), offline and without image contents,
 * within 1.3x of `helm template` on the same chart. Both run as commands, in pairs (scan
 * first, then helm first, in turn), `runs` times each, in a private HOME (its code cache warmed
 * by one run first): the medians of each side's times and the median of the pairs' ratios.
 *
 *   npm run build && npx tsx bench/scan-helm.ts [runs=7] [chart-name-filter...]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { helmPath } from '../test/helpers/helm.js';
import { dbImport } from '../src/commands/db.js';
import { processEnv } from '../src/commands/context.js';

const root = resolve(import.meta.dirname, '..');
const corpus = resolve(root, '..', 'shared', 'corpus', 'bitnami', 'charts');
const runs = Number(process.argv[2] ?? 7);
const filters = process.argv.slice(3).length ? process.argv.slice(3) : ['postgresql-17', 'wordpress', 'redis-2', 'nginx-2', 'kafka', 'zookeeper'];
const work = mkdtempSync(join(tmpdir(), 'chartaudit-bench-scan-'));
const home = join(work, 'home');
mkdirSync(home);
const db = join(work, 'db');
await dbImport([resolve(root, '..', 'shared', 'osv', 'bitnami-all.zip')], db, processEnv());
const env = { PATH: process.env.PATH ?? '', HOME: home, XDG_CACHE_HOME: join(home, '.cache') };
const bin = join(root, 'bin', 'chartaudit.js');
const helm = helmPath();

function time(cmd: string, args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;

const charts = readdirSync(corpus).filter((f) => f.endsWith('.tgz') && filters.some((x) => f.startsWith(x))).sort();
let oursTotal = 0;
let helmTotal = 0;
let worstPairRatio = 0;
for (const file of charts) {
  const chart = join(corpus, file);
  const scanArgs = ['scan', chart, '--db', db, '--offline', '--skip-image-contents', '--format', 'json', '--max-db-age', '100000'];
  time(bin, scanArgs); // the code cache of this HOME
  const ours: number[] = [];
  const theirs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    // each pair in turn order (scan first, then helm first): a machine that speeds up or slows
    // down during the run weighs on both sides alike
    const helmRun = () => time(helm, ['template', 'release-name', chart]);
    let o: number;
    let h: number;
    if (i % 2 === 0) {
      o = time(bin, scanArgs);
      h = helmRun();
    } else {
      h = helmRun();
      o = time(bin, scanArgs);
    }
    ours.push(o);
    theirs.push(h);
    ratios.push(o / h);
  }
  const o = median(ours);
  const h = median(theirs);
  oursTotal += o;
  helmTotal += h;
  const r = median(ratios);
  worstPairRatio = Math.max(worstPairRatio, r);
  console.log(`${file}: scan ${o.toFixed(0)} ms, helm template ${h.toFixed(0)} ms, ${(o / h).toFixed(2)}x (median of the ${runs} pairs' ratios: ${r.toFixed(2)}x)`);
}
console.log(`total: scan ${oursTotal.toFixed(0)} ms, helm template ${helmTotal.toFixed(0)} ms, ratio ${(oursTotal / helmTotal).toFixed(2)}x; highest pair-ratio median ${worstPairRatio.toFixed(2)}x (goal ≤ 1.3x a chart)`);
rmSync(work, { recursive: true, force: true });
