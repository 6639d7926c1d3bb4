/**
 * bench/pull: cold pull of a ~100 MB multi-layer image (random, incompressible layers made here)
 * from Debian's docker-registry on 127.0.0.1 into chartaudit's blob cache, against
 * `skopeo copy docker://… oci:…` of the same image, alternating runs, in one go. Prints the
 * medians, the ratio (goal within 1.3x) and chartaudit's peak RSS (goal < 200 MiB), and, with
 * GNU time installed, each side's CPU time and the machine's load: on a shared machine the wall
 * ratio tracks how busy the other processes keep the CPUs.
 *
 *   npx tsx bench/pull.ts [runs]
 *
 * BENCH_VS=REV also pulls with the client as git revision REV has it (src/ of that commit,
 * bundled the same way), alternating with the other two, and prints its median: a before/after
 * from one run, under the same load.
 *
 * BENCH_DEBUG=1 prints each run's figures (load, resolve, pull time, memory peaks); BENCH_CONC=N
 * sets the client's blob concurrency; BENCH_PROF=DIR writes a CPU profile of each pull there.
 *
 * Both sides run as processes timed from spawn to exit, each into a fresh destination. The
 * client is bundled with esbuild as CommonJS and loaded through V8's code cache
 * (scripts/compile-cache.cjs), as the built CLI loads its modules, with plain node (no
 * TypeScript loader in the measured process); it pulls with RegistryClient.pull.
 */
import { cliNodeFlags } from './cli-node-flags.js';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync, constants } from 'node:zlib';
import { build } from 'esbuild';
import { blob, makeImage, noise, tarOf, type Blob } from '../test/helpers/oci-image.js';
import { pushAll, startRegistry } from '../test/helpers/registry.js';
import { installHermeticHome } from '../test/helpers/hermetic.js';

const root = resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 3);
const work = mkdtempSync(join(tmpdir(), 'chartaudit-bench-pull-'));
// the registry helper hands its child a private home (as in the tests), never this shell's HOME
const privateRoot = installHermeticHome();

/** GNU time, when installed, reports each side's CPU seconds (user + system): on a shared machine they vary less than wall time. */
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const nodeFlags = cliNodeFlags();
let timed = 0;

function run(cmd0: string, args0: string[]): Promise<{ ms: number; out: string; cpuMs: number | null }> {
  const cpuFile = gnuTime ? join(work, `cpu-${++timed}`) : null;
  const [cmd, args] = gnuTime && cpuFile ? [gnuTime, ['-f', '%U %S', '-o', cpuFile, cmd0, ...args0]] : [cmd0, args0];
  return new Promise((res, rej) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: work, TMPDIR: work, ...(process.env.BENCH_CONC ? { BENCH_CONC: process.env.BENCH_CONC } : {}), ...(process.env.BENCH_DEBUG ? { BENCH_DEBUG: '1' } : {}), ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}) } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) return rej(new Error(`${cmd0} ${args0.join(' ')} failed (${code}): ${err}`));
      const cpu = cpuFile ? /([\d.]+) ([\d.]+)\s*$/.exec(readFileSync(cpuFile, 'utf8')) : null;
      res({ ms, out, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : null });
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  // 5 layers of 20 MiB random bytes: gzip cannot shrink them, so ~100 MB go over the wire.
  const layerFiles = Array.from({ length: 5 }, (_, i) => ({ [`data/layer${i}.bin`]: noise(20 << 20) }));
  const small = makeImage({ layers: [{ x: 'x' }] });
  const layers: Blob[] = layerFiles.map((f) => blob(gzipSync(tarOf(f), { level: constants.Z_BEST_SPEED }), 'application/vnd.oci.image.layer.v1.tar+gzip'));
  const cfg = blob(Buffer.from(JSON.stringify({ ...JSON.parse(small.config.data.toString()), rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) } })), 'application/vnd.oci.image.config.v1+json');
  const manifest = blob(
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: cfg.mediaType, digest: cfg.digest, size: cfg.size }, layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })) })),
    'application/vnd.oci.image.manifest.v1+json',
  );
  const total = layers.reduce((n, l) => n + l.size, 0);
  const reg = await startRegistry(join(work, 'reg'), join(work, 'store'));
  try {
    await pushAll(reg.host, 'bench/big', [cfg, ...layers, manifest], manifest, '1.0');
    const ref = `${reg.host}/bench/big:1.0`;
    const makeChild = async (srcRoot: string, name: string): Promise<string> => {
      // CommonJS through V8's code cache, as scripts/build.mjs bundles the CLI's lazily loaded modules
      const bundle = join(work, `${name}-client.cjs`);
      await build({ entryPoints: [join(srcRoot, 'src/registry/client.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'silent', define: { 'import.meta.url': '__import_meta_url' }, banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" } });
      const child = join(work, `${name}-child.cjs`);
      writeFileSync(
        child,
        `'use strict';
(async () => {
const { RegistryClient } = require(${JSON.stringify(join(root, 'scripts/compile-cache.cjs'))}).load(${JSON.stringify(bundle)});
const { readFileSync } = require('node:fs');
const t0 = performance.now();
const [ref, cacheDir] = process.argv.slice(2);
const peaks = {};
const iv = process.env.BENCH_DEBUG ? setInterval(() => { for (const [k, v] of Object.entries(process.memoryUsage())) peaks[k] = Math.max(peaks[k] ?? 0, Math.round(v / 2 ** 20)); }, 5) : null;
const c = new RegistryClient({ cacheDir, credentials: null, insecure: [ref.split('/')[0]], ...(process.env.BENCH_CONC ? { concurrency: Number(process.env.BENCH_CONC) } : {}) });
const img = await c.pull(ref);
await c.close();
process.stdout.write(JSON.stringify({ layers: img.layers.length, maxRssKiB: Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]), loadMs: Math.round(t0), ms: Math.round(performance.now() - t0), peaks }));
if (iv) clearInterval(iv);
})();
`,
      );
      return child;
    };
    const child = await makeChild(root, 'now');
    const vsRev = process.env.BENCH_VS;
    let vsChild: string | null = null;
    if (vsRev) {
      const vsRoot = join(work, 'vs');
      mkdirSync(vsRoot);
      execFileSync('sh', ['-c', 'git -C "$1" archive "$2" src | tar -x -C "$3"', 'sh', root, vsRev, vsRoot]);
      vsChild = await makeChild(vsRoot, 'vs');
    }
    const vs: number[] = [];
    const vsCpu: number[] = [];
    const ours: number[] = [];
    const theirs: number[] = [];
    const oursCpu: number[] = [];
    const theirsCpu: number[] = [];
    const inside: number[] = [];
    let peak = 0;
    for (let i = 0; i < runs; i++) {
      const cache = join(work, `cache-${i}`);
      const a = await run(process.execPath, [...nodeFlags, ...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []), child, ref, cache]);
      ours.push(a.ms);
      if (a.cpuMs !== null) oursCpu.push(a.cpuMs);
      if (process.env.BENCH_DEBUG) console.log(a.out, `process ${a.ms.toFixed(0)} ms`);
      const said = JSON.parse(a.out) as { maxRssKiB: number; ms: number };
      peak = Math.max(peak, said.maxRssKiB);
      inside.push(said.ms);
      rmSync(cache, { recursive: true, force: true });
      if (vsChild) {
        const v = await run(process.execPath, [...nodeFlags, vsChild, ref, cache]);
        vs.push(v.ms);
        if (v.cpuMs !== null) vsCpu.push(v.cpuMs);
        rmSync(cache, { recursive: true, force: true });
      }
      const dest = join(work, `oci-${i}`);
      const b = await run('skopeo', ['--insecure-policy', 'copy', '--src-tls-verify=false', `docker://${ref}`, `oci:${dest}:1.0`]);
      theirs.push(b.ms);
      if (b.cpuMs !== null) theirsCpu.push(b.cpuMs);
      rmSync(dest, { recursive: true, force: true });
    }
    const mo = median(ours);
    const mt = median(theirs);
    console.log(`image: ${layers.length} layers, ${(total / 1e6).toFixed(1)} MB compressed, from ${reg.host}`);
    console.log(`chartaudit pull into the blob cache: median ${mo.toFixed(0)} ms (${ours.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`  of which resolve + layers inside the process: median ${median(inside).toFixed(0)} ms (the rest is node starting and loading the client)`);
    if (vsRev) console.log(`the client at ${vsRev}, same runs:      median ${median(vs).toFixed(0)} ms (${vs.map((x) => x.toFixed(0)).join(', ')})${vsCpu.length ? `, CPU median ${median(vsCpu).toFixed(0)} ms` : ''}`);
    console.log(`skopeo copy docker:// → oci:         median ${mt.toFixed(0)} ms (${theirs.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`ratio ${(mo / mt).toFixed(2)}x (goal ≤ 1.3x); chartaudit peak RSS ${(peak / 1024).toFixed(0)} MiB (goal < 200 MiB)`);
    if (oursCpu.length && theirsCpu.length) {
      const co = median(oursCpu);
      const ct = median(theirsCpu);
      console.log(`CPU time (user + system): chartaudit median ${co.toFixed(0)} ms, skopeo ${ct.toFixed(0)} ms, ratio ${(co / ct).toFixed(2)}x; machine load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs`);
    }
  } finally {
    await reg.stop();
  }
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
  rmSync(privateRoot, { recursive: true, force: true });
}
