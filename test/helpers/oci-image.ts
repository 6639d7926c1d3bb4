/**
 * Small OCI images made in a test: layers are real tar archives (ustar, gzip-compressed), configs
 * and manifests real JSON, indexes with platforms (and a buildx-style attestation entry). Pure
 * data: pushing is test/helpers/registry.ts's job.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A file's bytes, or its bytes and mode (an executable, 0o755). */
export type FileSpec = Buffer | string | { content: Buffer | string; mode: number };

/** A ustar archive of `files` (regular files only, mode 0644 unless given). */
export function tarOf(files: Record<string, FileSpec>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, spec] of Object.entries(files)) {
    const content = typeof spec === 'object' && !Buffer.isBuffer(spec) ? spec.content : spec;
    const mode = typeof spec === 'object' && !Buffer.isBuffer(spec) ? spec.mode : 0o644;
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    h.write(`${mode.toString(8).padStart(7, '0')}\0`, 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    parts.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export interface Blob {
  digest: string;
  size: number;
  mediaType: string;
  data: Buffer;
}

export const blob = (data: Buffer, mediaType: string): Blob => ({ digest: sha256(data), size: data.length, mediaType, data });
const desc = (b: Blob): { mediaType: string; digest: string; size: number } => ({ mediaType: b.mediaType, digest: b.digest, size: b.size });

export interface TestImage {
  manifest: Blob;
  config: Blob;
  layers: Blob[];
  /** Every blob, manifest last. */
  blobs: Blob[];
}

export interface ImageSpec {
  os?: string;
  architecture?: string;
  variant?: string;
  /** Each layer's files. */
  layers: Record<string, FileSpec>[];
  user?: string;
  /** Docker media types instead of OCI. */
  docker?: boolean;
}

export function makeImage(spec: ImageSpec): TestImage {
  const layerMedia = spec.docker ? 'application/vnd.docker.image.rootfs.diff.tar.gzip' : 'application/vnd.oci.image.layer.v1.tar+gzip';
  const tars = spec.layers.map((files) => tarOf(files));
  const layers = tars.map((t) => blob(gzipSync(t), layerMedia));
  const cfg = {
    architecture: spec.architecture ?? 'amd64',
    os: spec.os ?? 'linux',
    ...(spec.variant ? { variant: spec.variant } : {}),
    created: '2026-01-02T03:04:05Z',
    config: { User: spec.user ?? '1001', Env: ['PATH=/usr/bin'] },
    rootfs: { type: 'layers', diff_ids: tars.map(sha256) },
  };
  const config = blob(Buffer.from(JSON.stringify(cfg)), spec.docker ? 'application/vnd.docker.container.image.v1+json' : 'application/vnd.oci.image.config.v1+json');
  const mt = spec.docker ? 'application/vnd.docker.distribution.manifest.v2+json' : 'application/vnd.oci.image.manifest.v1+json';
  const manifest = blob(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: mt, config: desc(config), layers: layers.map(desc) })), mt);
  return { manifest, config, layers, blobs: [config, ...layers, manifest] };
}

export interface TestIndex {
  index: Blob;
  images: TestImage[];
  attestation: TestImage;
  blobs: Blob[];
}

/** An index of `images` plus a buildx attestation manifest (`unknown/unknown`). */
export function makeIndex(images: TestImage[]): TestIndex {
  const attestation = makeImage({ os: 'unknown', architecture: 'unknown', layers: [{ 'sbom.json': '{}' }] });
  const entries = images.map((im) => {
    const cfg = JSON.parse(im.config.data.toString()) as { os: string; architecture: string; variant?: string };
    return { ...desc(im.manifest), platform: { os: cfg.os, architecture: cfg.architecture, ...(cfg.variant ? { variant: cfg.variant } : {}) } };
  });
  entries.push({
    ...desc(attestation.manifest),
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': images[0]!.manifest.digest },
  } as never);
  const mt = 'application/vnd.oci.image.index.v1+json';
  const index = blob(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: mt, manifests: entries })), mt);
  return { index, images, attestation, blobs: [...images.flatMap((i) => i.blobs), ...attestation.blobs, index] };
}

/** Random bytes of `n` (incompressible layer content). */
export const noise = (n: number): Buffer => randomBytes(n);

/** Writes an OCI image layout at `dir` with `top` tagged `tag` (for skopeo). */
export function writeOciLayout(dir: string, blobs: Blob[], top: Blob, tag: string): void {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  for (const b of blobs) writeFileSync(join(dir, 'blobs', 'sha256', b.digest.slice(7)), b.data);
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ ...desc(top), annotations: { 'org.opencontainers.image.ref.name': tag } }] }));
}
