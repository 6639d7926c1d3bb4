/**
 * Image archives and layouts against the peers' fixtures in ../shared/testdata/images (each
 * fixture's expectation from expected.json as a table row) and the synthetic images of
 * fixtures/image/generate.ts (docker save legacy and Docker 25+, a multi-platform OCI layout).
 */
import { copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageLimits, readMergedFiles, resolveArchive, LayoutReader, openStore, parsePlatform, type LayerSource } from '../src/image/index.js';
import type { ImageFile } from '../src/model/stages.js';
import { projectRoot, sharedPath } from './helpers/shared.js';

const images = (...p: string[]): string => sharedPath('testdata', 'images', ...p);
const generated = (...p: string[]): string => join(projectRoot, 'fixtures', 'image', 'out', ...p);

interface Expectation {
  from: { test: string };
  error?: string | boolean | null;
  reference?: string;
  repoTags?: string[] | null;
  config?: { maxFileBytes?: number; maxSymlinkDepth?: number } | string;
  chainLayers?: { files: { path: string; content?: string }[] }[];
  openError?: string;
  errorOnOpen?: string;
  unpacked?: Record<string, string>;
  image?: { id: string; diffIDs?: string[]; config: { architecture: string; os: string; created: string; diffIDs?: string[] } };
}
interface Fixture {
  path: string;
  root?: string;
  kind: string;
  expectations: Expectation[];
  observed?: Record<string, unknown>[];
}
const fixtures: Fixture[] = JSON.parse(readFileSync(images('expected.json'), 'utf8')).fixtures;
const byPath = (p: string): Fixture => fixtures.find((f) => f.path === p)!;

async function collect(
  layers: LayerSource[],
  wants: (p: string) => boolean | number,
  limits = {},
): Promise<{ files: Map<string, ImageFile>; skipped: Map<string, string> }> {
  const files = new Map<string, ImageFile>();
  const skipped = new Map<string, string>();
  await readMergedFiles(layers, wants, (f) => files.set(f.path, f), { limits, onSkip: (p, r) => skipped.set(p, r) });
  return { files, skipped };
}

async function layersOf(ref: string, platform = 'linux/amd64') {
  const parsed = ref.replace(/^docker-archive:/, '');
  const store = await openStore(parsed, imageLimits());
  return new LayoutReader(store, imageLimits(), false).find({}, parsePlatform(platform));
}

describe('OCI layouts and docker-save archives from ../shared (expected.json)', () => {
  const rows = fixtures
    .filter((f) => f.path.startsWith('layouts/'))
    .flatMap((f) => f.expectations.map((e) => ({ f, e, name: `${f.path}: ${e.from.test}` })));
  it('has every layout fixture in the table', () => {
    expect(new Set(rows.map((r) => r.f.path)).size).toBe(9);
  });
  it.each(rows)('$name', async ({ f, e }) => {
    const scheme = f.kind === 'docker-archive' ? 'docker-archive' : 'oci-layout';
    const base = images(f.root ?? f.path);
    let ref = `${scheme}:${base}`;
    if (e.reference?.includes(':')) ref += ':' + e.reference.split(':')[1];
    const run = resolveArchive(ref, { platform: 'linux/amd64' });
    if (typeof e.error === 'string') {
      await expect(run).rejects.toThrow(e.error);
      await expect(run).rejects.toMatchObject({ name: 'InputError' });
      return;
    }
    if (e.error === true) return void (await expect(run).rejects.toThrow());
    const img = await run;
    if (e.repoTags !== undefined) expect(img.repoTags).toEqual(e.repoTags ?? []);
    if (e.image) {
      expect(img.digest).toBe(e.image.id);
      expect(img.platform).toEqual({ os: e.image.config.os, architecture: e.image.config.architecture });
      expect(img.config.created).toBe(e.image.config.created);
      expect(img.layers.map((l) => l.digest)).toEqual(e.image.diffIDs ?? e.image.config.diffIDs);
    }
    // Every layer is streamed and checked (blob digest and diff_id) whatever the expectation says.
    const entries: string[] = [];
    await img.readFiles(() => true, (file) => entries.push(file.path));
    expect(entries.length).toBeGreaterThan(0);
  });

  it('test.oci: the single gzip layer holds hello (13336 bytes), diff_id as observed', async () => {
    const obs = byPath('layouts/test.oci/index.json').observed![0]! as { layerDiffID: string };
    const found = await new LayoutReader(await openStore(images('layouts/test.oci'), imageLimits()), imageLimits(), true).find({}, parsePlatform('linux/amd64'));
    expect(found.layers.map((l) => l.diffId)).toEqual([obs.layerDiffID]);
    const { files } = await collect(found.layerSources, () => true);
    expect([...files.keys()]).toEqual(['/hello']);
    expect(files.get('/hello')!.content.length).toBe(13336);
    expect(files.get('/hello')!.layer).toBe(found.layers[0]!.digest);
  });

  it('stereoscope-valid-oci.tar: an OCI layout packed in a tar, tag sample:latest', async () => {
    const img = await resolveArchive(`oci-layout:${images('layouts/stereoscope-valid-oci.tar')}:sample:latest`, { platform: 'linux/amd64' });
    const files: ImageFile[] = [];
    await img.readFiles(() => true, (f) => files.push(f));
    expect(files.map((f) => [f.path, f.content.toString()])).toEqual([['/README.md', 'Some text\n']]);
  });

  it.each(['alpine-310', 'alpine-311'])('%s: gzip-compressed legacy archive, release file and 14 apk packages', async (name) => {
    const obs = byPath(`layouts/${name}.tar.gz`).observed![0]! as { alpineRelease?: string; configSha256: string };
    const img = await resolveArchive(`docker-archive:${images('layouts', name + '.tar.gz')}:alpine:${name === 'alpine-310' ? '3.10' : '3.11'}`, { platform: 'linux/amd64' });
    expect(img.digest).toBe(obs.configSha256);
    const files = new Map<string, string>();
    await img.readFiles((p) => p === '/etc/alpine-release' || p === '/lib/apk/db/installed', (f) => files.set(f.path, f.content.toString()));
    expect(files.get('/etc/alpine-release')).toBe((obs.alpineRelease ?? '3.11.5') + '\n');
    expect(files.get('/lib/apk/db/installed')!.match(/^P:/gm)).toHaveLength(14);
  });

  it('a tag that is not in manifest.json is an error naming what is there', async () => {
    await expect(resolveArchive(`docker-archive:${images('layouts/alpine-310.tar.gz')}:alpine:3.99`, { platform: 'linux/amd64' })).rejects.toThrow(
      /no image tagged "alpine:3.99" in manifest.json \(it has alpine:3.10\)/,
    );
  });
});

describe('whiteout and symlink fixtures from ../shared (expected.json)', () => {
  const rows = fixtures
    .filter((f) => f.path.startsWith('whiteouts/osv-scalibr/'))
    .flatMap((f) => f.expectations.map((e) => ({ f, e, name: `${f.path}: ${e.from.test}` })))
    // osv-scalibr's SymlinkIgnore strategy has no counterpart here (links are always resolved)
    .filter(({ e }) => e.error !== true);
  it.each(rows)('$name', async ({ f, e }) => {
    const cfg = typeof e.config === 'object' ? e.config : {};
    if (e.errorOnOpen === 'invalid-config') {
      expect(() => imageLimits({ maxFileBytes: cfg.maxFileBytes })).toThrow(/maxFileBytes must be a positive number/);
      return;
    }
    const limits = { ...(cfg.maxFileBytes ? { maxFileBytes: cfg.maxFileBytes } : {}), ...(cfg.maxSymlinkDepth ? { maxSymlinkDepth: cfg.maxSymlinkDepth } : {}) };
    const found = await layersOf(images(f.path));
    if (e.unpacked) {
      // unpacking everything: dangling links leave nothing behind
      const { files } = await collect(found.layerSources, () => true);
      expect(Object.fromEntries([...files].map(([p, x]) => [p.slice(1), x.content.toString()]))).toEqual(e.unpacked);
      return;
    }
    for (let i = 0; i < e.chainLayers!.length; i++) {
      const listed = e.chainLayers![i]!.files;
      const want = new Set(listed.map((x) => '/' + x.path));
      const { files, skipped } = await collect(found.layerSources.slice(0, i + 1), (p) => want.has(p), limits);
      for (const x of listed) {
        const got = files.get('/' + x.path);
        if (e.openError) {
          expect(got, x.path).toBeUndefined();
          const reason = skipped.get('/' + x.path) ?? '';
          if (e.openError === 'symlink-depth-exceeded') expect(reason).toMatch(/more than 6 symlinks/);
          else expect(reason).toMatch(/not found|outside the image root|larger than/);
        } else {
          expect(got, x.path).toBeDefined();
          if (x.content !== undefined) expect(got!.content.toString()).toBe(x.content);
          expect(found.layers.map((l) => l.digest)).toContain(got!.layer);
        }
      }
    }
  });

  it('overwrite-file: the file is reported as written by the second layer', async () => {
    const found = await layersOf(images('whiteouts/osv-scalibr/overwrite-file.tar'));
    const { files } = await collect(found.layerSources, (p) => p === '/sample.txt');
    expect(files.get('/sample.txt')!.layer).toBe(found.layers[1]!.digest);
  });

  const unpack = fixtures.filter((f) => f.path.startsWith('whiteouts/osv-scalibr-unpack/') && f.kind === 'docker-archive');
  it.each(unpack.map((f) => ({ f, e: f.expectations[0]! })))('$f.path: $e.from.test', async ({ f, e }) => {
    const found = await layersOf(images(f.path));
    const { files } = await collect(found.layerSources, () => true);
    for (const [path, what] of Object.entries(e.unpacked!)) {
      const content = /"(.*)"/.exec(what)![1]!.replace(/\\n/g, '\n');
      expect(files.get('/' + path)?.content.toString(), path).toBe(content);
    }
    // links out of the root are never delivered
    expect([...files.keys()].filter((p) => p.includes('attack'))).toEqual([]);
  });

  it('escape.tar: symlink trampolines out of the root deliver nothing', async () => {
    const src: LayerSource = { digest: 'sha256:' + '0'.repeat(64), verifyDigest: false, open: async function* () { yield readFileSync(images('whiteouts/osv-scalibr-unpack/escape.tar')); } };
    const want = new Set(['/usr/share/doc/a/copyright', '/usr/share/doc/b/copyright', '/usr/share/doc/c/copyright']);
    const { files, skipped } = await collect([src], (p) => want.has(p));
    expect(files.size).toBe(0);
    // 13 trampolines exceed the default depth; with Linux's 40 the climb out of the root is what stops it
    expect(skipped.get('/usr/share/doc/b/copyright')).toMatch(/more than 8 symlinks/);
    expect(skipped.has('/usr/share/doc/a/copyright')).toBe(false); // a link to the root directory: not a file
    const deep = await collect([src], (p) => want.has(p), { maxSymlinkDepth: 40 });
    expect(deep.files.size).toBe(0);
    expect(deep.skipped.get('/usr/share/doc/b/copyright')).toMatch(/outside the image root/);
    expect(deep.skipped.get('/usr/share/doc/c/copyright')).toMatch(/outside the image root/);
  });

  it("trivy's layer tar: .wh. and .wh..wh..opq are markers, not files, and delete lower entries", async () => {
    const exp = byPath('whiteouts/trivy-layer-whiteouts.tar').expectations[0]! as unknown as { opaqueDirs: string[]; whiteoutFiles: string[] };
    expect(exp.opaqueDirs).toEqual(['etc/']);
    const { tarBytes } = await import('../fixtures/image/tar-writer.js');
    const lower = tarBytes([
      { name: 'etc/hostname', content: 'lower\n' },
      { name: 'etc/sub/deep', content: 'lower\n' },
      { name: 'foo/foo', content: 'lower\n' },
      { name: 'foo/keep', content: 'lower\n' },
      { name: 'baz', content: 'lower\n' },
    ]);
    const src = (b: () => Buffer): LayerSource => ({ digest: 'sha256:' + '1'.repeat(64), verifyDigest: false, open: async function* () { yield b(); } });
    const top = (): Buffer => readFileSync(images('whiteouts/trivy-layer-whiteouts.tar'));
    const alone = await collect([src(top)], () => true);
    expect([...alone.files.keys()]).toEqual(['/app/myweb/index.html', '/baz', '/vendor/bar']);
    const merged = await collect([src(() => lower), { ...src(top), digest: 'sha256:' + '2'.repeat(64) }], () => true);
    expect([...merged.files.keys()]).toEqual(['/app/myweb/index.html', '/baz', '/foo/keep', '/vendor/bar']);
    expect(merged.files.get('/baz')!.layer).toBe('sha256:' + '2'.repeat(64));
  });
});

describe('synthetic docker-save archives and OCI layout (fixtures/image/generate.ts)', () => {
  const wantAll = (p: string): boolean => !p.startsWith('/dev/');
  async function merged(ref: string, platform = 'linux/amd64') {
    const img = await resolveArchive(ref, { platform });
    const files = new Map<string, ImageFile>();
    const skipped = new Map<string, string>();
    await img.readFiles(
      (p) => wantAll(p) || p === '/dev/null',
      (f) => files.set(f.path, f),
      { onSkip: (p, r) => skipped.set(p, r) },
    );
    return { img, files, skipped };
  }
  const text = (files: Map<string, ImageFile>, p: string): string | undefined => files.get(p)?.content.toString();

  it.each([
    ['legacy docker save', `docker-archive:${generated('docker-legacy.tar')}`],
    ['legacy docker save, by tag', `docker-archive:${generated('docker-legacy.tar')}:synthetic/app:1.0`],
    ['legacy docker save, by index', `docker-archive:${generated('docker-legacy.tar')}:@0`],
    ['Docker 25+ save (OCI in the tar, nested index, gzip/zstd/plain layers)', `docker-archive:${generated('docker-oci.tar')}`],
    ['Docker 25+ save, by docker name', `docker-archive:${generated('docker-oci.tar')}:synthetic/app:1.0`],
    ['OCI layout dir, index of platforms', `oci-layout:${generated('multiarch.oci')}:1.0`],
  ])('%s: whiteouts, opaque dir, links, overwrite', async (_name, ref) => {
    const { img, files, skipped } = await merged(ref);
    expect(img.platform).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(img.config).toEqual({ user: '1000:1000', created: '2026-01-01T00:00:00Z', env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] });
    expect(img.layers).toHaveLength(3);
    const [l1, l2, l3] = img.layers.map((l) => l.digest);
    expect(files.has('/etc/passwd')).toBe(false); // .wh.passwd in layer 2
    expect(files.has('/opt/app/a.txt') || files.has('/opt/app/b.txt')).toBe(false); // opaque dir
    expect(text(files, '/opt/app/c.txt')).toBe('c\n'); // same-layer file survives its opaque marker
    expect(text(files, '/opt/keep/x.txt')).toBe('x\n');
    expect(files.get('/opt/keep/x.txt')!.layer).toBe(l1);
    expect([...files.keys()].some((p) => p.startsWith('/srv'))).toBe(false); // .wh.srv in layer 3
    expect(text(files, '/usr/lib/os-release')).toContain('VERSION_ID=2');
    expect(files.get('/usr/lib/os-release')!.layer).toBe(l2);
    expect(files.get('/etc/os-release')).toMatchObject({ target: '/usr/lib/os-release', layer: l2 });
    expect(text(files, '/etc/os-release')).toContain('VERSION_ID=2');
    expect(files.get('/lib/apk/db/installed')).toMatchObject({ target: '/usr/lib/apk/db/installed', layer: l1 });
    expect(text(files, '/bin/tool-link')).toBe('tool v1\n');
    expect(text(files, '/var/lib/dpkg/status')).toContain('base-files');
    expect(files.get('/var/lib/dpkg/status')!.layer).toBe(l3);
    expect([...files.keys()].find((p) => p.endsWith('/copyright'))).toMatch(/^\/usr\/share\/doc\/(long-){30}\/copyright$/);
    expect(files.has('/dev/null')).toBe(false);
    expect([...skipped]).toEqual([]);
  });

  it('the wanted set decides what is kept: a link target nobody asked for is read in a second pass', async () => {
    const img = await resolveArchive(`docker-archive:${generated('docker-oci.tar')}`, { platform: 'linux/amd64' });
    const files: ImageFile[] = [];
    await img.readFiles((p) => p === '/etc/os-release' || p === '/lib/apk/db/installed', (f) => files.push(f));
    expect(files.map((f) => [f.path, f.target, f.content.toString()])).toEqual([
      ['/etc/os-release', '/usr/lib/os-release', 'ID=synthetic\nVERSION_ID=2\n'],
      ['/lib/apk/db/installed', '/usr/lib/apk/db/installed', 'P:musl\nV:1.2.5-r0\n\n'],
    ]);
  });

  it('wants may return a size limit: bigger files are skipped with the reason', async () => {
    const img = await resolveArchive(`oci-layout:${generated('multiarch.oci')}:1.0`, { platform: 'linux/amd64' });
    const got: string[] = [];
    const skipped: string[] = [];
    await img.readFiles((p) => (p === '/var/lib/dpkg/status' ? 10 : p === '/etc/arch'), (f) => got.push(f.path), { onSkip: (p, r) => skipped.push(`${p}: ${r}`) });
    expect(got).toEqual(['/etc/arch']);
    expect(skipped).toEqual([expect.stringMatching(/^\/var\/lib\/dpkg\/status: larger than 10 bytes/)]);
  });

  it('platform selection: arm64 by --platform, attestation never chosen, a missing platform lists what exists', async () => {
    const arm = await merged(`oci-layout:${generated('multiarch.oci')}:1.0`, 'linux/arm64');
    expect(arm.img.platform).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(text(arm.files, '/etc/arch')).toBe('arm64\n');
    const v8 = await resolveArchive(`oci-layout:${generated('multiarch.oci')}:1.0`, { platform: 'linux/arm64/v8' });
    expect(v8.digest).toBe(arm.img.digest);
    await expect(resolveArchive(`oci-layout:${generated('multiarch.oci')}:1.0`, { platform: 'linux/s390x' })).rejects.toThrow(
      /no image for platform linux\/s390x; the index has linux\/amd64, linux\/arm64\/v8 \(choose one with --platform\)/,
    );
    await expect(resolveArchive(`oci-layout:${generated('multiarch.oci')}:1.0`, { platform: 'unknown/unknown' })).rejects.toThrow(/no image for platform unknown\/unknown/);
    await expect(resolveArchive(`oci-layout:${generated('multiarch.oci')}:1.0`, { platform: 'linux' })).rejects.toThrow(/expected os\/arch\[\/variant\]/);
  });

  it('by digest: @sha256 of the top-level descriptor; an unknown digest is an error', async () => {
    const index = JSON.parse(readFileSync(generated('multiarch.oci', 'index.json'), 'utf8'));
    const d = index.manifests[0].digest as string;
    const img = await resolveArchive(`oci-layout:${generated('multiarch.oci')}@${d}`, { platform: 'linux/amd64' });
    expect(img.ref).toBe(`oci-layout:${generated('multiarch.oci')}@${d}`);
    await expect(resolveArchive(`oci-layout:${generated('multiarch.oci')}@sha256:${'a'.repeat(64)}`, { platform: 'linux/amd64' })).rejects.toThrow(/no manifest sha256:a{64} in index.json/);
  });

  it('docker-archive:FILE:@N past the last image is an error', async () => {
    await expect(resolveArchive(`docker-archive:${generated('docker-legacy.tar')}:@1`, { platform: 'linux/amd64' })).rejects.toThrow(/no image @1: the archive holds 1/);
  });

  it('an image directory whose ref.name annotations are full image names (a mirror for docker.io)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-img-'));
    cpSync(generated('multiarch.oci'), dir, { recursive: true });
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
    index.manifests[0].annotations['org.opencontainers.image.ref.name'] = 'docker.io/synthetic/app:1.0';
    writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
    for (const tag of ['synthetic/app:1.0', 'docker.io/synthetic/app:1.0']) {
      const img = await resolveArchive(`oci-layout:${dir}:${tag}`, { platform: 'LINUX/ARM64' });
      expect(img.platform.architecture).toBe('arm64');
    }
    await expect(resolveArchive(`oci-layout:${dir}:synthetic/app:2.0`, { platform: 'linux/amd64' })).rejects.toThrow(
      /invalid OCI image ref "synthetic\/app:2.0": no such tag \(it has docker.io\/synthetic\/app:1.0\)/,
    );
  });

  it('oci-layout: needs the oci-layout file; docker-archive: a missing file is named', async () => {
    await expect(resolveArchive(`oci-layout:${generated('docker-legacy.tar')}`, { platform: 'linux/amd64' })).rejects.toThrow(/not an OCI image layout \(no oci-layout file\)/);
    await expect(resolveArchive(`docker-archive:/nonexistent/app.tar`, { platform: 'linux/amd64' })).rejects.toThrow(/\/nonexistent\/app.tar: no such file or directory/);
  });
});

describe('every blob is checked against its digest', () => {
  function corruptCopy(file: string, find: Buffer | string, at = 0): string {
    const dir = mkdtempSync(join(tmpdir(), 'ca-img-'));
    const out = join(dir, 'image.tar');
    copyFileSync(file, out);
    const b = readFileSync(out);
    const i = b.indexOf(find) + at;
    expect(i).toBeGreaterThanOrEqual(at);
    b[i] = b[i]! ^ 0x01;
    writeFileSync(out, b);
    return out;
  }

  it('legacy: a changed byte in layer.tar fails the diff_id check and nothing is delivered', async () => {
    const bad = corruptCopy(generated('docker-legacy.tar'), 'tool v1');
    const img = await resolveArchive(`docker-archive:${bad}`, { platform: 'linux/amd64' });
    const got: string[] = [];
    await expect(img.readFiles(() => true, (f) => got.push(f.path))).rejects.toThrow(/layer 1 \(sha256:[0-9a-f]{64}\): diff_id \(uncompressed digest\) mismatch/);
    expect(got).toEqual([]);
  });

  it('OCI: a changed byte in the plain layer blob fails the blob digest check', async () => {
    const bad = corruptCopy(generated('docker-oci.tar'), 'base-files');
    const img = await resolveArchive(`docker-archive:${bad}`, { platform: 'linux/amd64' });
    await expect(img.readFiles(() => true, () => {})).rejects.toThrow(/layer 3 .*: blob digest mismatch: expected sha256:/);
  });

  it('a changed config is refused before any layer is read', async () => {
    const bad = corruptCopy(generated('docker-oci.tar'), '"User":"1000:1000"', 9);
    await expect(resolveArchive(`docker-archive:${bad}`, { platform: 'linux/amd64' })).rejects.toThrow(/config sha256:[0-9a-f]{64} does not match its digest/);
  });

  it('a changed manifest.json config in the legacy format is refused', async () => {
    const bad = corruptCopy(generated('docker-legacy.tar'), '"User":"1000:1000"', 9);
    await expect(resolveArchive(`docker-archive:${bad}`, { platform: 'linux/amd64' })).rejects.toThrow(/config [0-9a-f]{64}\.json does not match its digest/);
  });
});
