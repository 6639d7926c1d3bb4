/**
 * Issue 10's warm-scan goal: the second scan of a chart whose images are in the cache reads no
 * layer again (the per-layer result cache answers) and takes under 1.2x the time of the same
 * scan with image contents switched off (--skip-image-contents). Both sides run as real processes
 * (bin/chartaudit.js) against Debian's docker-registry on 127.0.0.1, alternately, in one run;
 * the ratio of medians is printed.
 *
 *   npx tsx bench/scan-warm.ts [runs=9]
 *
 * Runs are started as users start them (bin/chartaudit.js as a command, with the node flags its
 * first line gives). BENCH_PROF=DIR writes a CPU profile of each warm and contents-off scan there.
 */
import { cliNodeFlags } from './cli-node-flags.js';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeImage, noise } from '../test/helpers/oci-image.js';
import { pushAll, startRegistry } from '../test/helpers/registry.js';
import { installHermeticHome, hermeticEnv } from '../test/helpers/hermetic.js';

const root = resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 9);
const work = mkdtempSync(join(tmpdir(), 'chartaudit-bench-warm-'));
installHermeticHome();

const reg = await startRegistry(join(work, 'reg'), join(work, 'store'));
// Three images of a realistic shape: a shared base layer, an app layer, a config layer (~60 MB in all).
const base = { 'etc/os-release': 'ID=debian\nVERSION_ID=12\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n', 'usr/lib/base.bin': noise(12_000_000) };
const refs: string[] = [];
for (const name of ['api', 'worker', 'web']) {
  const img = makeImage({ layers: [base, { [`app/${name}`]: noise(6_000_000) }, { 'etc/app.conf': `${name}\n` }], user: '1001' });
  await pushAll(reg.host, `bench/${name}`, img.blobs, img.manifest, '1.0');
  refs.push(`${reg.host}/bench/${name}:1.0`);
}
const chart = join(work, 'chart');
mkdirSync(join(chart, 'templates'), { recursive: true });
writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: warm\nversion: 1.0.0\n');
writeFileSync(join(chart, 'templates', 'pods.yaml'), refs.map((r, i) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n    - name: c\n      image: ${r}\n`).join('---\n'));
// An empty advisory database: the scan is about images, not matching.
const db = join(work, 'db');
const osv = join(work, 'osv');
mkdirSync(osv);
writeFileSync(join(osv, 'x.json'), JSON.stringify({ id: 'BENCH-1', modified: '2026-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'Debian:12', name: 'none' }, versions: ['0'] }] }));

const env: Record<string, string> = { PATH: process.env.PATH ?? '', ...hermeticEnv() };
const prof = process.env.BENCH_PROF;
const cli = (args: string[]) => {
  const t0 = process.hrtime.bigint();
  const bin = join(root, 'bin', 'chartaudit.js');
  const r = prof
    ? spawnSync(process.execPath, [...cliNodeFlags(), '--cpu-prof', `--cpu-prof-dir=${prof}`, bin, ...args], { env, encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(bin, args, { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`chartaudit ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return { ms, out: r.stdout };
};
cli(['db', 'import', osv, '--db', db]);
const scan = (...extra: string[]) => cli(['scan', chart, '--db', db, '--insecure-registry', reg.host, '--format', 'json', ...extra]);

const cold = scan();
const cache = join(env.XDG_CACHE_HOME!, 'chartaudit');
const warmTimes: number[] = [];
const offTimes: number[] = [];
let layerReads = 0;
for (let i = 0; i < runs; i++) {
  const w = scan();
  warmTimes.push(w.ms);
  offTimes.push(scan('--skip-image-contents').ms);
  const report = JSON.parse(w.out) as { images: { contents: unknown }[] };
  if (report.images.some((img) => img.contents === null)) throw new Error('a warm scan lost an image');
}
// No layer read again: the result store holds one record per layer and a warm scan adds none.
const { LayerResultStore } = await import('../src/cache/results.js');
const before = new LayerResultStore({ cacheDir: cache }).status().count;
scan();
layerReads = new LayerResultStore({ cacheDir: cache }).status().count - before;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`cold scan (pull + read 3 images, ~60 MB): ${cold.ms.toFixed(0)} ms`);
console.log(`warm scan: median ${median(warmTimes).toFixed(0)} ms over ${runs}; --skip-image-contents: median ${median(offTimes).toFixed(0)} ms`);
console.log(`layer records added by a warm scan: ${layerReads} (0 = no layer read again)`);
console.log(`ratio warm / contents off: ${(median(warmTimes) / median(offTimes)).toFixed(2)}x (goal ≤ 1.2x)`);
await reg.stop();
rmSync(work, { recursive: true, force: true });
