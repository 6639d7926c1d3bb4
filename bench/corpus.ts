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
 *    each chart (both as commands, in pairs that take turns at going first, BENCH_RUNS times
 *    each, default 3; the median of each side counts for the totals, the median of the pairs'
 *    ratios for the chart's ratio), total time and ratio, the slowest charts by ratio, and peak resident
 *    memory of both (measured by /usr/bin/time for both when it is there) with the worst
 *    ratio. Goals (issue 14): total ≤ 1.0x, no chart above 1.5x, memory ≤ 1.2x helm's.
 *    BENCH_ONLY=speed skips steps 1, 3's image check and 4. Each chart first gets BENCH_WARMUP
 *    (default 2) untimed runs of ours in the bench's own cache directory (BENCH_CACHE=user:
 *    yours), so the timed runs are the steady state; the first of them is printed as the
 *    empty-cache figure.
 * 3. The same charts listed by one `chartaudit images <all charts>` process, against the
 *    helm total of step 2, and its image sets against truth/ too.
 * 4. `chartaudit template <tgz>` against `helm template` (two helm runs, cached in .cache/, to
 *    tell random values apart), parsed as YAML documents and compared deep-equal: the
 *    second score, with each disagreement.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
/**
 * Untimed runs of ours before the timed ones (BENCH_WARMUP, default 2), in a cache directory of
 * this bench's own (BENCH_CACHE=user keeps yours): the timed runs are then the steady state a
 * chart audited again sees (V8's code cache and the parsed templates present, src/cache/templates.ts),
 * whatever state a cache was left in. The first warm-up, with no parsed templates of that chart
 * yet, is what a CI runner with an empty cache sees: its total is printed too.
 */
const warmups = Math.max(0, Number(process.env.BENCH_WARMUP ?? 2));
const ownCache = process.env.BENCH_CACHE !== 'user';
const speedOnly = process.env.BENCH_ONLY === 'speed';
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * One run of a command: wall time, and peak resident memory through /usr/bin/time (the same
 * way for helm and chartaudit), or for chartaudit alone through a preloaded reporter.
 */
function run(cmd: string, args: string[]): Run {
  const rssFile = join(work, 'rss');
  rmSync(rssFile, { force: true });
  const isOurs = cmd === bin;
  const env = {
    ...process.env,
    ...(isOurs && ownCache ? { XDG_CACHE_HOME: join(work, 'cache') } : {}),
    ...(isOurs && !timeBin ? { CHARTAUDIT_RSS_FILE: rssFile, NODE_OPTIONS: `--require ${rssPreload}` } : {}),
  };
  const [file, argv] = timeBin ? [timeBin, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, argv, { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let rssMiB = Number.NaN;
  try { rssMiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024; } catch { /* died early */ }
  return { ms, status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, rssMiB };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1]!;
}

const charts = readdirSync(join(corpus, 'charts')).filter((f) => f.endsWith('.tgz') && f.includes(filter)).sort();
let agree = 0;
let oursTotal = 0;
let helmTotal = 0;
let firstRunTotal = 0;
const misses: string[] = [];
/** `ratio`: the median of the pairs' ratios (each pair run back to back), steadier than ours/helm on a noisy machine. */
interface ChartSpeed { file: string; ours: number; helm: number; ratio: number; oursMiB: number; helmMiB: number }
const speeds: ChartSpeed[] = [];
for (const file of charts) {
  const name = file.replace(/-\d+\.\d+\.\d+[^/]*\.tgz$/, '');
  const truth = readFileSync(join(corpus, 'truth', `${name}.images`), 'utf8').split('\n').filter(Boolean).sort();
  const tgz = join(corpus, 'charts', file);
  const ourRuns: Run[] = [];
  const helmRuns: Run[] = [];
  for (let i = 0; i < warmups; i++) {
    const r = run(bin, ['images', tgz, '--format', 'json']);
    if (i === 0) firstRunTotal += r.ms;
  }
  for (let i = 0; i < runs; i++) {
    // pairs take turns at going first: a machine that speeds up or slows down weighs on both alike
    const ourRun = () => ourRuns.push(run(bin, ['images', tgz, '--format', 'json']));
    const helmRun = () => helmRuns.push(run(helm, ['template', 'release-name', tgz]));
    if (i % 2 === 0) { ourRun(); helmRun(); } else { helmRun(); ourRun(); }
  }
  const sp: ChartSpeed = {
    file,
    ours: median(ourRuns.map((r) => r.ms)),
    helm: median(helmRuns.map((r) => r.ms)),
    ratio: median(ourRuns.map((r, i) => r.ms / helmRuns[i]!.ms)),
    oursMiB: median(ourRuns.map((r) => r.rssMiB)),
    helmMiB: median(helmRuns.map((r) => r.rssMiB)),
  };
  speeds.push(sp);
  oursTotal += sp.ours;
  helmTotal += sp.helm;
  const ours = ourRuns[0]!;
  const theirs = helmRuns[0]!;
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
for (const file of speedOnly ? [] : charts) {
  const r = run(bin, ['template', join(corpus, 'charts', file)]);
  const ours = r.status === 0 ? { ok: true as const, out: r.stdout } : { ok: false as const, error: r.stderr.replace(/^chartaudit: /, '').replace(/^[^:]*\.tgz: /, '').trim() };
  const cmp = compareOutputs(helmCached(file, 1), helmCached(file, 2), ours);
  if (cmp.agree) templateAgree++;
  else templateMisses.push(`  ${file}: ${cmp.detail.split('\n')[0]}`);
}
const batch = run(bin, ['images', ...charts.map((f) => join(corpus, 'charts', f)), '--format', 'json']);
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
console.log(`time: chartaudit images ${(oursTotal / 1000).toFixed(1)} s, helm template ${(helmTotal / 1000).toFixed(1)} s, ratio ${(oursTotal / helmTotal).toFixed(2)}x (one process a chart each, median of ${runs}, ${charts.length} charts; goal ≤ 1.0x)`);
const byRatio = [...speeds].sort((a, b) => b.ratio - a.ratio);
const over = byRatio.filter((c) => c.ratio > 1.5);
const ratios = speeds.map((c) => c.ratio).sort((a, b) => a - b);
const pct = (p: number) => ratios[Math.min(ratios.length - 1, Math.floor(p * (ratios.length - 1)))]!.toFixed(2);
console.log(`per chart (median of each chart's pair ratios): median ${pct(0.5)}x, p10 ${pct(0.1)}x, p90 ${pct(0.9)}x (parsed templates ${process.env.CHARTAUDIT_NO_TEMPLATE_CACHE ? 'not kept: CHARTAUDIT_NO_TEMPLATE_CACHE' : 'kept between runs: a text is noted at its first parse, stored at its second (slower), read back from the third'}; ${warmups} untimed run(s) a chart first, ${ownCache ? "in the bench's own cache directory" : 'in your cache directory'})`);
if (warmups > 0) console.log(`first run of each chart (no parsed templates of it yet, as on a CI runner with an empty cache): chartaudit images ${(firstRunTotal / 1000).toFixed(1)} s, ratio ${(firstRunTotal / helmTotal).toFixed(2)}x to helm template's total`);
console.log(`charts above 1.5x helm: ${over.length}; slowest: ${byRatio.slice(0, 8).map((c) => `${c.file} ${c.ratio.toFixed(2)}x (medians ${c.ours.toFixed(0)}/${c.helm.toFixed(0)} ms)`).join(', ')}`);
const byMem = [...speeds].sort((a, b) => b.oursMiB / b.helmMiB - a.oursMiB / a.helmMiB);
const memOver = byMem.filter((c) => c.oursMiB / c.helmMiB > 1.2);
const peak = [...speeds].sort((a, b) => b.oursMiB - a.oursMiB)[0];
console.log(`peak memory: highest ${peak?.oursMiB.toFixed(0)} MiB (${peak?.file}, helm ${peak?.helmMiB.toFixed(0)} MiB); charts above 1.2x helm's: ${memOver.length}; worst: ${byMem.slice(0, 5).map((c) => `${c.file} ${(c.oursMiB / c.helmMiB).toFixed(2)}x (${c.oursMiB.toFixed(0)}/${c.helmMiB.toFixed(0)} MiB)`).join(', ')}`);
if (process.env.BENCH_CSV) writeFileSync(process.env.BENCH_CSV, ['chart,ours_ms,helm_ms,pair_ratio,ours_mib,helm_mib', ...speeds.map((c) => `${c.file},${c.ours.toFixed(1)},${c.helm.toFixed(1)},${c.ratio.toFixed(3)},${c.oursMiB.toFixed(1)},${c.helmMiB.toFixed(1)}`)].join('\n') + '\n');
if (!speedOnly) console.log(`template: ${templateAgree}/${charts.length} charts deep-equal helm template (${((100 * templateAgree) / charts.length).toFixed(1)}%)`);
for (const m of templateMisses) console.log(m);
console.log(`one process for all ${charts.length} charts: ${(batch.ms / 1000).toFixed(1)} s, ratio ${(batch.ms / helmTotal).toFixed(2)}x to helm template's total; peak memory ${batch.rssMiB.toFixed(0)} MiB; image sets ${batchAgree}/${charts.length} agree`);
