/**
 * bench/layers: stream a ~100 MB multi-layer `docker save` archive (Docker 25+ layout, gzip
 * layers) through the merged file view asking for a handful of files, against `tar -xzf` of the
 * same layers into a temp dir (what unpacking to disk costs), in one run. Prints wall time and
 * peak RSS of each (measured by /usr/bin/time on separate processes) and the ratios.
 *
 *   npx tsx bench/layers.ts [runs]
 *
 * The archive is synthetic (fixtures/image/tar-writer.ts): 5 layers, each ~2,000 small text
 * files and 20 MiB of incompressible data, whiteouts in the upper layers.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { tarBytes, type TarEntrySpec } from '../fixtures/image/tar-writer.js';

const self = fileURLToPath(import.meta.url);
const WANTED = ['/etc/os-release', '/var/lib/dpkg/status', '/lib/apk/db/installed', '/usr/lib/os-release', '/opt/app/l4/package.json', '/etc/passwd'];

async function child(ref: string): Promise<void> {
  const { resolveArchive } = await import('../src/image/index.js');
  const want = new Set(WANTED);
  const img = await resolveArchive(ref, { platform: 'linux/amd64' });
  let n = 0;
  let bytes = 0;
  await img.readFiles((p) => want.has(p), (f) => {
    n++;
    bytes += f.content.length;
  });
  process.stdout.write(JSON.stringify({ files: n, bytes }) + '\n');
}

const sha = (b: Buffer): string => 'sha256:' + createHash('sha256').update(b).digest('hex');

function layerEntries(i: number): TarEntrySpec[] {
  const e: TarEntrySpec[] = [];
  const words = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor '.repeat(30);
  for (let f = 0; f < 2000; f++) e.push({ name: `usr/share/l${i}/d${f % 40}/file${f}.txt`, content: `${i}/${f} ${words}` });
  for (let f = 0; f < 4; f++) e.push({ name: `opt/blob/l${i}-${f}.bin`, content: randomBytes(5 * 2 ** 20) });
  e.push({ name: `opt/app/l${i}/package.json`, content: JSON.stringify({ name: `app${i}`, version: '1.0.0' }) });
  if (i === 0) {
    e.push(
      { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
      { name: 'usr/lib/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
      { name: 'var/lib/dpkg/status', content: 'Package: base-files\nStatus: install ok installed\nVersion: 12.4\n\n'.repeat(200) },
      { name: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
      { name: 'lib', type: 'symlink', linkname: 'usr/lib' },
      { name: 'usr/lib/apk/db/installed', content: 'P:musl\nV:1.2.5-r0\n\n' },
    );
  } else {
    e.push({ name: `usr/share/l${i - 1}/d0/.wh.file0.txt` }, { name: `usr/share/l${i - 1}/d1/.wh..wh..opq` });
  }
  return e;
}

function build(work: string): { archive: string; layerFiles: string[]; size: number } {
  const gz = Array.from({ length: 5 }, (_, i) => {
    const tar = tarBytes(layerEntries(i));
    return { tar, gz: gzipSync(tar, { level: 1 }) };
  });
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: gz.map((l) => sha(l.tar)) } }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
      layers: gz.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(l.gz), size: l.gz.length })),
    }),
  );
  const blobs = [config, manifest, ...gz.map((l) => l.gz)];
  const entries: TarEntrySpec[] = blobs.map((b) => ({ name: `blobs/sha256/${sha(b).slice(7)}`, content: b }));
  entries.push({ name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' });
  entries.push({ name: 'index.json', content: JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha(manifest), size: manifest.length }] }) });
  const archive = join(work, 'image.tar');
  const bytes = tarBytes(entries);
  writeFileSync(archive, bytes);
  const layerFiles = gz.map((l, i) => {
    const p = join(work, `layer${i}.tar.gz`);
    writeFileSync(p, l.gz);
    return p;
  });
  return { archive, layerFiles, size: bytes.length };
}

/** Wall seconds and peak RSS (KiB) of one command, from GNU time. */
function timed(cmd: string, args: string[]): { wall: number; rssKiB: number; stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const last = r.stderr.trim().split('\n').pop()!.split(' ');
  return { wall: Number(last[0]), rssKiB: Number(last[1]), stdout: r.stdout };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]!);
  const runs = Number(process.argv[2] ?? 3);
  const work = mkdtempSync(join(tmpdir(), 'chartaudit-bench-layers-'));
  try {
    const { archive, layerFiles, size } = build(work);
    console.log(`archive: ${(size / 2 ** 20).toFixed(1)} MiB, 5 gzip layers; asking for ${WANTED.length} files`);
    const ours: { wall: number; rssKiB: number }[] = [];
    const tars: { wall: number; rssKiB: number }[] = [];
    for (let i = 0; i < runs; i++) {
      const o = timed(process.execPath, ['--import', 'tsx', self, '--child', `docker-archive:${archive}`]);
      if (i === 0) console.log(`merged view delivered ${o.stdout.trim()}`);
      ours.push(o);
      const dest = join(work, `x${i}`);
      mkdirSync(dest);
      // the same layers unpacked in order, as a runtime would (tar applies no whiteouts)
      tars.push(timed('bash', ['-c', layerFiles.map((l) => `tar -xzf '${l}' -C '${dest}'`).join(' && ')]));
      rmSync(dest, { recursive: true, force: true });
    }
    const ow = median(ours.map((x) => x.wall));
    const tw = median(tars.map((x) => x.wall));
    const orss = Math.max(...ours.map((x) => x.rssKiB)) / 1024;
    const trss = Math.max(...tars.map((x) => x.rssKiB)) / 1024;
    console.log(`merged view (node, incl. startup): ${ow.toFixed(2)} s, peak RSS ${orss.toFixed(0)} MiB`);
    console.log(`tar -xzf to a temp dir:            ${tw.toFixed(2)} s, peak RSS ${trss.toFixed(0)} MiB`);
    console.log(`ratio time ${(ow / tw).toFixed(2)}x, peak RSS ${(orss / trss).toFixed(1)}x (median of ${runs} runs)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
