/**
 * Images made from files for the inventory tests: each layer a real tar (modes kept, so Go and
 * Rust binaries are executables), gzip-compressed, written as an OCI layout in a temp dir and read
 * back with the project's layout reader, then inventoried by the registered ANALYSERS.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { resolveArchive } from '../../src/image/index.js';
import { inventoryImage, type ImageInventory } from '../../src/inventory/index.js';
import { ANALYSERS } from '../../src/inventory/analysers/index.js';
import { tarBytes, type TarEntrySpec } from '../../fixtures/image/tar-writer.js';
import { blob, writeOciLayout } from './oci-image.js';

/** A layer entry: absolute image path, bytes, mode (0o644 unless given). */
export interface LayerFile {
  path: string;
  content: Buffer;
  mode?: number;
}

export const INVENTORY_DAY = new Date('2026-12-01T00:00:00Z');

/** Writes an OCI layout of `layers` (each a list of files or a ready tar) and resolves it with our reader. */
export async function imageOf(layers: (LayerFile[] | Buffer)[]) {
  const tars = layers.map((l) =>
    Buffer.isBuffer(l) ? l : tarBytes(l.map((f): TarEntrySpec => ({ name: f.path.replace(/^\//, ''), content: f.content, mode: f.mode ?? 0o644 }))),
  );
  const layerBlobs = tars.map((t) => blob(gzipSync(t), 'application/vnd.oci.image.layer.v1.tar+gzip'));
  const config = blob(
    Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2026-01-02T03:04:05Z', config: {}, rootfs: { type: 'layers', diff_ids: tars.map((t) => blob(t, '').digest) } })),
    'application/vnd.oci.image.config.v1+json',
  );
  const desc = (b: { mediaType: string; digest: string; size: number }) => ({ mediaType: b.mediaType, digest: b.digest, size: b.size });
  const mt = 'application/vnd.oci.image.manifest.v1+json';
  const manifest = blob(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: mt, config: desc(config), layers: layerBlobs.map(desc) })), mt);
  const dir = mkdtempSync(join(tmpdir(), 'ca-inv-'));
  writeOciLayout(dir, [config, ...layerBlobs, manifest], manifest, 'fixture');
  return resolveArchive(`oci-layout:${dir}:fixture`, { platform: 'linux/amd64' });
}

/** The inventory of an image of `layers`, with the layer digests bottom first. */
export async function inventoryOf(layers: (LayerFile[] | Buffer)[]): Promise<ImageInventory & { layers: string[] }> {
  const image = await imageOf(layers);
  const inv = await inventoryImage(image, ANALYSERS, { today: INVENTORY_DAY, store: null });
  return { ...inv, layers: image.layers.map((l) => l.digest) };
}
