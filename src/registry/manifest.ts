/**
 * Manifests, indexes and image configs: media types and the checks a client makes before it
 * uses one. Bytes in, result out.
 */
import { RegistryError } from './errors.js';
import type { IndexEntry } from './platform.js';

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
} as const;

/** The Accept header for manifests: the four kinds this client reads. */
export const MANIFEST_ACCEPT = [MEDIA.ociIndex, MEDIA.dockerList, MEDIA.ociManifest, MEDIA.dockerManifest].join(', ');

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export type ParsedManifest =
  | { kind: 'index'; mediaType: string; manifests: IndexEntry[] }
  | { kind: 'manifest'; mediaType: string; config: Descriptor; layers: Descriptor[]; artifactType?: string };

const DIGEST = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

function descriptor(v: unknown, what: string, where: string): Descriptor {
  const o = (v ?? {}) as Record<string, unknown>;
  if (typeof o.digest !== 'string' || !DIGEST.test(o.digest)) throw new RegistryError(`${where}: ${what} has no valid digest`, 'protocol', where);
  if (typeof o.size !== 'number' || !Number.isSafeInteger(o.size) || o.size < 0) throw new RegistryError(`${where}: ${what} has no valid size`, 'protocol', where);
  return { mediaType: typeof o.mediaType === 'string' ? o.mediaType : '', digest: o.digest, size: o.size, ...(o.annotations && typeof o.annotations === 'object' ? { annotations: o.annotations as Record<string, string> } : {}) };
}

/** Parses manifest bytes; `contentType` is the response's, used when the document has no mediaType. */
export function parseManifest(bytes: Buffer, contentType: string | undefined, where: string): ParsedManifest {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new RegistryError(`${where}: the manifest is not JSON`, 'protocol', where);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new RegistryError(`${where}: the manifest is not a JSON object`, 'protocol', where);
  const ct = (contentType ?? '').split(';')[0]!.trim();
  const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : ct;
  if (doc.schemaVersion === 1 || /^application\/vnd\.docker\.distribution\.manifest\.v1\+(prettyjws|json)$/.test(mediaType)) {
    throw new RegistryError(`${where}: Docker schema 1 manifests are not supported (the image is older than 2017; push it again with a current docker)`, 'protocol', where);
  }
  if (Array.isArray(doc.manifests) || mediaType === MEDIA.ociIndex || mediaType === MEDIA.dockerList) {
    if (!Array.isArray(doc.manifests)) throw new RegistryError(`${where}: the index lists no manifests`, 'protocol', where);
    const manifests = doc.manifests.map((m, i) => {
      const d = descriptor(m, `manifests[${i}]`, where);
      const p = (m as { platform?: unknown }).platform;
      return { ...d, ...(p && typeof p === 'object' ? { platform: p as IndexEntry['platform'] } : {}) } as IndexEntry;
    });
    return { kind: 'index', mediaType: mediaType || MEDIA.ociIndex, manifests };
  }
  if (!Array.isArray(doc.layers) || doc.config === undefined) throw new RegistryError(`${where}: not an image manifest (no config and layers)`, 'protocol', where);
  const config = descriptor(doc.config, 'config', where);
  const layers = doc.layers.map((l, i) => descriptor(l, `layers[${i}]`, where));
  return { kind: 'manifest', mediaType: mediaType || MEDIA.ociManifest, config, layers, ...(typeof doc.artifactType === 'string' ? { artifactType: doc.artifactType } : {}) };
}

/** Whether a manifest is a container image (not a Helm chart or other OCI artifact). */
export function isImageManifest(m: Extract<ParsedManifest, { kind: 'manifest' }>): boolean {
  if (m.artifactType && m.artifactType !== MEDIA.ociConfig && m.artifactType !== MEDIA.dockerConfig) return false;
  return m.config.mediaType === MEDIA.ociConfig || m.config.mediaType === MEDIA.dockerConfig || m.config.mediaType === '';
}

export interface ImageConfig {
  os: string;
  architecture: string;
  variant?: string;
  user: string | null;
  created: string | null;
  env: string[];
  labels: Record<string, string>;
  diffIds: string[];
}

export function parseImageConfig(bytes: Buffer, where: string): ImageConfig {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new RegistryError(`${where}: the image config is not JSON`, 'protocol', where);
  }
  const c = (doc.config && typeof doc.config === 'object' ? doc.config : {}) as Record<string, unknown>;
  const rootfs = (doc.rootfs && typeof doc.rootfs === 'object' ? doc.rootfs : {}) as Record<string, unknown>;
  const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  const labels: Record<string, string> = {};
  if (c.Labels && typeof c.Labels === 'object') for (const [k, v] of Object.entries(c.Labels as Record<string, unknown>)) if (typeof v === 'string') labels[k] = v;
  return {
    os: str(doc.os) ?? 'unknown',
    architecture: str(doc.architecture) ?? 'unknown',
    ...(str(doc.variant) ? { variant: str(doc.variant)! } : {}),
    user: str(c.User),
    created: str(doc.created),
    env: Array.isArray(c.Env) ? c.Env.filter((e): e is string => typeof e === 'string') : [],
    labels,
    diffIds: Array.isArray(rootfs.diff_ids) ? rootfs.diff_ids.filter((e): e is string => typeof e === 'string') : [],
  };
}
