/**
 * bench/corpus: `chartaudit images` on the 116 Bitnami charts of ../shared/corpus.
 *
 *   npm run build && npx tsx bench/corpus.ts [filter]
 *
 * 1. Image sets: `chartaudit images <tgz> --format json` against truth/<chart>.images (the
 *    images that the reference helm renders with default values). Prints the score and
 *    every miss. A chart that helm cannot render has an empty truth file; it counts as
 *    agreeing when chartaudit also refuses to render it.
 * 2. Speed and memory, side by side in one run: chartaudit images vs `helm template` on
 *    each chart (both as commands, alternating), total time and ratio; peak resident memory
 *    of each chartaudit process (goal: at most 256 MiB a chart).
 * 3. The same charts listed by one `chartaudit images <all charts>` process, against the
 *    helm total of step 2, and its image sets against truth/ too.
 * 4. `chartaudit template <tgz>` against `helm template` (two helm runs, cached in .cache/, to
 *    tell random values apart), parsed as YAML documents and compared deep-equal: the
 *    second score, with each disagreement.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { helmPath } from '../test/helpers/helm.js';
import { compareOutputs, helmCached } from '../test/helpers/render-compare.js';

const root = resolve(import.meta.dirname, '..');
const corpus = resolve(root, '..', 'shared', 'corpus', 'bitnami');
const bin = join(root, 'bin', 'chartaudit.js');
const rssPreload = join(root, 'test', 'helpers', 'rss-report.cjs');
const helm = helmPath();
const filter = process.argv[2] ?? '';
const work = mkdtempSync(join(tmpdir(), 'chartaudit-corpus-'));

interface Run { ms: number; status: number; stdout: string; stderr: string; rssMiB: number }

function run(cmd: string, args: string[], measureRss: boolean): Run {
  const rssFile = join(work, 'rss');
  rmSync(rssFile, { force: true });
  const env = { ...process.env, ...(measureRss ? { CHARTAUDIT_RSS_FILE: rssFile, NODE_OPTIONS: `--require ${rssPreload}` } : {}) };
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let rssMiB = Number.NaN;
  if (measureRss) {
    try { rssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024; } catch { /* died early */ }
  }
  return { ms, status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, rssMiB };
}

const charts = readdirSync(join(corpus, 'charts')).filter((f) => f.endsWith('.tgz') && f.includes(filter)).sort();
let agree = 0;
let oursTotal = 0;
let helmTotal = 0;
let maxRss = 0;
let maxRssChart = '';
const misses: string[] = [];
for (const file of charts) {
  const name = file.replace(/-\d+\.\d+\.\d+[^/]*\.tgz$/, '');
  const truth = readFileSync(join(corpus, 'truth', `${name}.images`), 'utf8').split('\n').filter(Boolean).sort();
  const tgz = join(corpus, 'charts', file);
  const ours = run(bin, ['images', tgz, '--format', 'json'], true);
  const theirs = run(helm, ['template', 'release-name', tgz], false);
  oursTotal += ours.ms;
  helmTotal += theirs.ms;
  if (ours.rssMiB > maxRss) { maxRss = ours.rssMiB; maxRssChart = file; }
  let got: string[] | null = null;
  if (ours.status === 0) got = (JSON.parse(ours.stdout) as { images: { ref: string }[] }[])[0]!.images.map((i) => i.ref).sort();
  const same = got !== null
    ? JSON.stringify(got) === JSON.stringify(truth)
    : truth.length === 0 && theirs.status !== 0;
  if (same) agree++;
  else {
    const missing = got ? truth.filter((t) => !got!.includes(t)) : truth;
    const extra = got ? got.filter((g) => !truth.includes(g)) : [];
    misses.push(`  ${file}: ${got === null ? `chartaudit failed: ${ours.stderr.trim().split('\n')[0]}` : ''}${missing.length ? ` missing ${missing.join(', ')}` : ''}${extra.length ? ` extra ${extra.join(', ')}` : ''}`);
  }
}
let templateAgree = 0;
const templateMisses: string[] = [];
for (const file of charts) {
  const r = run(bin, ['template', join(corpus, 'charts', file)], false);
  const ours = r.status === 0 ? { ok: true as const, out: r.stdout } : { ok: false as const, error: r.stderr.replace(/^chartaudit: /, '').replace(/^[^:]*\.tgz: /, '').trim() };
  const cmp = compareOutputs(helmCached(file, 1), helmCached(file, 2), ours);
  if (cmp.agree) templateAgree++;
  else templateMisses.push(`  ${file}: ${cmp.detail.split('\n')[0]}`);
}
const batch = run(bin, ['images', ...charts.map((f) => join(corpus, 'charts', f)), '--format', 'json'], true);
const batchResults = JSON.parse(batch.stdout) as ({ file: string; images: { ref: string }[] } | { file: string; error: string })[];
let batchAgree = 0;
for (const r of batchResults) {
  const name = r.file.replace(/^.*\//, '').replace(/-\d+\.\d+\.\d+[^/]*\.tgz$/, '');
  const truth = readFileSync(join(corpus, 'truth', `${name}.images`), 'utf8').split('\n').filter(Boolean).sort();
  const got = 'images' in r ? r.images.map((i) => i.ref).sort() : null;
  if (got ? JSON.stringify(got) === JSON.stringify(truth) : truth.length === 0) batchAgree++;
}
rmSync(work, { recursive: true, force: true });
console.log(`image sets: ${agree}/${charts.length} charts agree with truth/ (${((100 * agree) / charts.length).toFixed(1)}%)`);
for (const m of misses) console.log(m);
console.log(`time: chartaudit images ${(oursTotal / 1000).toFixed(1)} s, helm template ${(helmTotal / 1000).toFixed(1)} s, ratio ${(oursTotal / helmTotal).toFixed(2)}x (one process a chart each, ${charts.length} charts)`);
console.log(`peak memory: ${maxRss.toFixed(0)} MiB (${maxRssChart}); goal at most 256 MiB a chart`);
console.log(`template: ${templateAgree}/${charts.length} charts deep-equal helm template (${((100 * templateAgree) / charts.length).toFixed(1)}%)`);
for (const m of templateMisses) console.log(m);
console.log(`one process for all ${charts.length} charts: ${(batch.ms / 1000).toFixed(1)} s, ratio ${(batch.ms / helmTotal).toFixed(2)}x to helm template's total; peak memory ${batch.rssMiB.toFixed(0)} MiB; image sets ${batchAgree}/${charts.length} agree`);
