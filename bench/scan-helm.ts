/**
 * Issue 14's scan goal: `chartaudit scan` of a corpus chart with the Bitnami advisory database
 * (../shared/osv/bitnami-all.zip imported into a temp dir), offline and without image contents,
 * within 1.3x of `helm template` on the same chart. Both run as commands, in pairs (scan
 * first, then helm first, in turn), `runs` times each, in a private HOME (its caches warmed by
 * two runs first): the medians of each side's times and the median of the pairs' ratios, for
 * scans of the same values again and for scans with new values (see `modes`).
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
/**
 * `again`: the same chart, values and settings each run, as a CI job that rescans a pinned chart
 * (from the third run on, what it deploys is read back: src/commands/scan/deployment.ts).
 * `new values`: another release name each run (the same for helm), so every scan renders; parsed
 * templates, the kept tar and values files are still read back.
 */
const modes = [
  { name: 'again', release: (_: number) => 'release-name' },
  { name: 'new values', release: (i: number) => `release-${i}` },
];
const totals = modes.map(() => ({ ours: 0, helm: 0, worst: 0 }));
for (const file of charts) {
  const chart = join(corpus, file);
  const scanArgs = (release: string) => ['scan', chart, '--release-name', release, '--db', db, '--offline', '--skip-image-contents', '--format', 'json', '--max-db-age', '100000'];
  // the code cache and the kept entries of this HOME (noted at the first run, written at the second)
  time(bin, scanArgs('release-name'));
  time(bin, scanArgs('release-name'));
  for (const [m, mode] of modes.entries()) {
    const ours: number[] = [];
    const theirs: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < runs; i++) {
      // each pair in turn order (scan first, then helm first): a machine that speeds up or slows
      // down during the run weighs on both sides alike
      const release = mode.release(i);
      const ourRun = () => time(bin, scanArgs(release));
      const helmRun = () => time(helm, ['template', release, chart]);
      let o: number;
      let h: number;
      if (i % 2 === 0) {
        o = ourRun();
        h = helmRun();
      } else {
        h = helmRun();
        o = ourRun();
      }
      ours.push(o);
      theirs.push(h);
      ratios.push(o / h);
    }
    const o = median(ours);
    const h = median(theirs);
    const r = median(ratios);
    totals[m]!.ours += o;
    totals[m]!.helm += h;
    totals[m]!.worst = Math.max(totals[m]!.worst, r);
    console.log(`${file} (${mode.name}): scan ${o.toFixed(0)} ms, helm template ${h.toFixed(0)} ms, ${(o / h).toFixed(2)}x (median of the ${runs} pairs' ratios: ${r.toFixed(2)}x)`);
  }
}
for (const [m, mode] of modes.entries()) {
  const t = totals[m]!;
  console.log(`total (${mode.name}): scan ${t.ours.toFixed(0)} ms, helm template ${t.helm.toFixed(0)} ms, ratio ${(t.ours / t.helm).toFixed(2)}x; highest pair-ratio median ${t.worst.toFixed(2)}x (goal ≤ 1.3x a chart)`);
}
rmSync(work, { recursive: true, force: true });
