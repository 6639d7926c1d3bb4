/**
 * The demo chart's images (fixtures/demo/images/, written by fixtures/demo/images.ts): the
 * committed layouts are exactly what the generator writes, and each one reads with our OCI
 * layout reader: its tag, platform, user, layer count, the base layer all three share, and the
 * merged file view (the Bitnami cleanup layer's whiteouts delete the base layer's apt lists).
 * skopeo (containers/image) reads and copies each one, checking every digest and size.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDemoImages } from '../fixtures/demo/images.js';
import { resolveArchive } from '../src/image/index.js';
import type { ImageFile } from '../src/model/stages.js';
import { hermeticEnv } from './helpers/hermetic.js';
import { projectRoot } from './helpers/shared.js';

const committed = join(projectRoot, 'fixtures', 'demo', 'images');

function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const abs = join(e.parentPath, e.name);
    out.set(relative(dir, abs), readFileSync(abs));
  }
  return out;
}

describe('demo images: the generator', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'chartaudit-demo-images-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes byte for byte the committed layouts (run twice: same bytes)', () => {
    writeDemoImages(tmp);
    const first = filesUnder(tmp);
    writeDemoImages(tmp);
    const again = filesUnder(tmp);
    const want = filesUnder(committed);
    want.delete('README.md');
    expect([...first.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [rel, bytes] of want) {
      expect(first.get(rel)!.equals(bytes), `${rel} differs from the committed file: run npx tsx fixtures/demo/images.ts`).toBe(true);
      expect(again.get(rel)!.equals(bytes), `${rel} differs on a second run`).toBe(true);
    }
  });

  it('keeps the whole demo small (under 1 MiB; each image a few KiB to 100 KiB)', () => {
    const sizes = new Map<string, number>();
    for (const [rel, b] of filesUnder(committed)) {
      const repo = rel.split('/').slice(0, 2).join('/');
      sizes.set(repo, (sizes.get(repo) ?? 0) + b.length);
    }
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(1 << 20);
    for (const repo of ['acme/storefront', 'bitnami/postgresql', 'bitnami/redis']) {
      expect(sizes.get(repo)).toBeGreaterThan(2 * 1024);
      expect(sizes.get(repo)).toBeLessThan(100 * 1024);
    }
  });
});

interface Row {
  ref: string;
  user: string;
  created: string;
  /** Files that the merged view must deliver, with a piece of their content. */
  has: Record<string, string>;
  /** Base-layer files that a later layer deletes. */
  gone: string[];
}

const ROWS: Row[] = [
  {
    ref: 'bitnami/postgresql:17.0.0-debian-12-r6',
    user: '1001',
    created: '2024-10-14T08:41:07Z',
    has: {
      '/etc/os-release': 'VERSION_CODENAME=bookworm',
      '/etc/debian_version': '12.7',
      '/var/lib/dpkg/status': 'Package: libssl3\nStatus: install ok installed',
      '/opt/bitnami/postgresql/.spdx-postgresql.spdx': 'pkg:bitnami/postgresql@17.0.0-2?arch=amd64&distro=debian-12',
      '/opt/bitnami/.bitnami_components.json': '"version": "17.0.0-2"',
    },
    gone: ['/var/lib/apt/lists/lock', '/var/cache/apt/archives/lock'],
  },
  {
    ref: 'bitnami/redis:7.4.1-debian-12-r2',
    user: '1001',
    created: '2024-10-16T10:22:48Z',
    has: {
      '/etc/os-release': 'ID=debian',
      '/var/lib/dpkg/status': 'Source: glibc\nVersion: 2.36-9+deb12u8',
      '/opt/bitnami/redis/.spdx-redis.spdx': 'pkg:bitnami/redis@7.4.1-0?arch=amd64&distro=debian-12',
      '/opt/bitnami/common/.spdx-wait-for-port.spdx': 'pkg:golang/stdlib@1.22.6',
      '/entrypoint.sh': 'exec "$@"',
    },
    gone: ['/var/lib/apt/lists/lock', '/var/cache/apt/archives/lock'],
  },
  {
    ref: 'acme/storefront:9.2.0',
    user: 'root',
    created: '2024-11-04T14:03:12Z',
    has: {
      '/etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
      '/var/lib/apt/lists/lock': '',
      '/usr/local/lib/node_modules/npm/package.json': '"version": "10.8.2"',
      '/app/package.json': '"express": "4.17.1"',
      '/app/node_modules/lodash/package.json': '"version": "4.17.20"',
      '/app/node_modules/send/node_modules/ms/package.json': '"version": "2.1.1"',
    },
    gone: [],
  },
];

describe('demo images: read with our OCI layout reader', () => {
  it.each(ROWS)('$ref', async (row) => {
    const img = await resolveArchive(`oci-layout:${join(committed, row.ref)}`, { platform: 'linux/amd64' });
    expect(img.platform).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(img.config.user).toBe(row.user);
    expect(img.config.created).toBe(row.created);
    expect(img.layers).toHaveLength(3);
    expect(img.layers.every((l) => l.mediaType === 'application/vnd.oci.image.layer.v1.tar+gzip')).toBe(true);

    const wanted = new Set([...Object.keys(row.has), ...row.gone]);
    const files = new Map<string, ImageFile>();
    await img.readFiles((p) => wanted.has(p), (f) => files.set(f.path, f));
    for (const [path, piece] of Object.entries(row.has)) {
      expect(files.get(path)?.content.toString(), path).toContain(piece);
    }
    for (const path of row.gone) expect(files.has(path), `${path} is whited out`).toBe(false);
  });

  it('the three images share one Debian base layer (same bytes, same digest)', async () => {
    const bases = new Set<string>();
    for (const row of ROWS) {
      const img = await resolveArchive(`oci-layout:${join(committed, row.ref)}`, { platform: 'linux/amd64' });
      bases.add(img.layers[0]!.digest);
    }
    expect(bases.size).toBe(1);
  });
});

function skopeo(...args: string[]): string {
  const r = spawnSync('skopeo', ['--insecure-policy', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...hermeticEnv() } });
  if (r.error) throw new Error(`skopeo is required for this test (apt-get install skopeo, as .ci/run does): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`skopeo ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

async function mergedView(ref: string): Promise<Record<string, string>> {
  const img = await resolveArchive(ref, { platform: 'linux/amd64' });
  const files: Record<string, string> = {};
  await img.readFiles(() => true, (f) => (files[f.path] = f.content.toString('base64')));
  return files;
}

describe('demo images: interop with skopeo', () => {
  const work = mkdtempSync(join(tmpdir(), 'chartaudit-demo-skopeo-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(ROWS)('$ref: skopeo inspect agrees with our reader; skopeo copy verifies it and the copy reads the same', async (row) => {
    const ours = await resolveArchive(`oci-layout:${join(committed, row.ref)}`, { platform: 'linux/amd64' });
    const seen = JSON.parse(skopeo('inspect', `oci:${join(committed, row.ref)}`)) as { Digest: string; Architecture: string; Os: string; Layers: string[]; Created: string };
    expect(seen).toMatchObject({ Digest: ours.digest, Architecture: 'amd64', Os: 'linux', Created: row.created, Layers: ours.layers.map((l) => l.digest) });
    const copy = join(work, row.ref.split(':')[0]!.replace('/', '-'));
    skopeo('copy', '-q', `oci:${join(committed, row.ref)}`, `oci:${copy}:copied`);
    expect(await mergedView(`oci-layout:${copy}:copied`)).toEqual(await mergedView(`oci-layout:${join(committed, row.ref)}`));
  });
});
