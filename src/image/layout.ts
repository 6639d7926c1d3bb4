/**
 * Finds one image in an OCI image layout or a `docker save` archive and checks every document
 * on the way against its digest. Reader rule (as containers/image and Trivy): `index.json` when
 * present (OCI layouts, and Docker 25+ saves, which keep `manifest.json` beside it), else the
 * legacy `manifest.json`.
 */
import { createHash } from 'node:crypto';
import { ImageError, type ImageLimits } from './limits.js';
import type { LayerSource } from './merged-view.js';
import type { FileStore } from './store.js';
import { choosePlatform, formatPlatform, isAttestation, noPlatformMessage, parsePlatform as parse, PLATFORM_SYNTAX, type Platform } from '../images/platform.js';

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

const INDEX_TYPES = new Set<string>([MEDIA.ociIndex, MEDIA.dockerList]);
const MANIFEST_TYPES = new Set<string>([MEDIA.ociManifest, MEDIA.dockerManifest]);

export type { Platform };

export interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

/** What to pick from an archive or layout: a tag or reference, a manifest digest, or the only image. */
export interface ImageSelector {
  tag?: string;
  digest?: string;
  /** The N-th image of the archive (skopeo's `docker-archive:FILE:@N`). */
  index?: number;
}

function byIndex<T>(where: string, list: T[], index: number): T {
  const v = list[index];
  if (v === undefined) throw new ImageError(`${where}: no image @${index}: the archive holds ${list.length}`);
  return v;
}

export interface FoundImage {
  /** Manifest digest (OCI); for a legacy docker-save archive, the config digest (the image ID). */
  digest: string;
  configDigest: string;
  platform: Platform;
  config: { user: string | null; created: string | null; env: string[] };
  layers: { digest: string; size: number; mediaType: string; diffId?: string }[];
  /** Opens the stored bytes of layer i, ready for the merged view. */
  layerSources: LayerSource[];
  repoTags: string[];
}

export function parsePlatform(s: string): Platform {
  const p = parse(s);
  if (!p) throw new ImageError(`invalid platform ${JSON.stringify(s)}: ${PLATFORM_SYNTAX}`);
  return p;
}

export { formatPlatform };

/** Picks a platform's manifest from an index (src/images/platform.ts, the registry client's rules too). */
export function selectPlatform(where: string, manifests: Descriptor[], want: Platform): Descriptor {
  const r = choosePlatform(manifests, want);
  if ('entry' in r) return r.entry;
  throw new ImageError(noPlatformMessage(where, want, r.have));
}

function sha256(b: Buffer): string {
  return 'sha256:' + createHash('sha256').update(b).digest('hex');
}

function parseJson(where: string, what: string, b: Buffer): unknown {
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    throw new ImageError(`${where}: invalid ${what}: not JSON`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkDescriptor(where: string, v: unknown, what: string): Descriptor {
  if (!isObject(v) || typeof v.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(v.digest)) {
    throw new ImageError(`${where}: invalid ${what}: a descriptor without a sha256 digest`);
  }
  if (typeof v.size !== 'number' || !Number.isSafeInteger(v.size) || v.size < 0) {
    throw new ImageError(`${where}: invalid ${what}: descriptor ${v.digest} has no valid size`);
  }
  return v as unknown as Descriptor;
}

function blobPath(digest: string): string {
  return 'blobs/sha256/' + digest.slice('sha256:'.length);
}

/** `alpine` → `docker.io/library/alpine:latest`, as Docker names images. */
export function normaliseDockerName(ref: string): string {
  let name = ref;
  let tag = '';
  const at = name.indexOf('@');
  if (at >= 0) name = name.slice(0, at);
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  const first = name.split('/')[0]!;
  if (!name.includes('/')) name = 'docker.io/library/' + name;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') name = 'docker.io/' + name;
  return `${name}:${tag || 'latest'}`;
}

export class LayoutReader {
  constructor(
    private readonly store: FileStore,
    private readonly limits: ImageLimits,
    /** `oci-layout` demands the `oci-layout` marker file; `docker save` archives may lack it. */
    private readonly requireOciLayout: boolean,
  ) {}

  private get where(): string {
    return this.store.location;
  }

  /** A blob by descriptor, size- and digest-checked. */
  private async readBlob(d: Descriptor, what: string): Promise<Buffer> {
    if (d.size > this.limits.maxJsonBytes) throw new ImageError(`${this.where}: ${what} ${d.digest} is larger than the ${this.limits.maxJsonBytes}-byte limit (maxJsonBytes)`);
    const path = blobPath(d.digest);
    if (!(await this.store.has(path))) throw new ImageError(`${this.where}: invalid OCI image: ${what} blob ${d.digest} is missing`);
    const b = await this.store.readSmall(path, this.limits.maxJsonBytes);
    const got = sha256(b);
    if (got !== d.digest) throw new ImageError(`${this.where}: ${what} ${d.digest} does not match its digest (got ${got})`);
    if (b.length !== d.size) throw new ImageError(`${this.where}: ${what} ${d.digest} is ${b.length} bytes, its descriptor says ${d.size}`);
    return b;
  }

  async find(sel: ImageSelector, platform: Platform): Promise<FoundImage> {
    if (await this.store.has('oci-layout')) {
      const v = parseJson(this.where, 'oci-layout file', await this.store.readSmall('oci-layout', this.limits.maxJsonBytes));
      if (!isObject(v) || v.imageLayoutVersion !== '1.0.0') {
        throw new ImageError(`${this.where}: unsupported oci-layout (imageLayoutVersion ${JSON.stringify(isObject(v) ? v.imageLayoutVersion : v)}; 1.0.0 expected)`);
      }
    } else if (this.requireOciLayout) {
      throw new ImageError(`${this.where}: not an OCI image layout (no oci-layout file)`);
    }
    let hasIndex: boolean;
    try {
      hasIndex = await this.store.has('index.json');
    } catch (e) {
      if (e instanceof ImageError) throw new ImageError(`${this.where}: unable to retrieve index.json: it is not a regular file`);
      throw e;
    }
    if (hasIndex) return this.fromIndex(sel, platform);
    if (!this.requireOciLayout && (await this.store.has('manifest.json'))) return this.fromDockerManifest(sel);
    throw new ImageError(`${this.where}: unable to retrieve index.json${this.requireOciLayout ? '' : ' or manifest.json'}: not an image ${this.requireOciLayout ? 'layout' : 'archive'}`);
  }

  private async fromIndex(sel: ImageSelector, platform: Platform): Promise<FoundImage> {
    const where = this.where;
    const index = parseJson(where, 'index.json', await this.store.readSmall('index.json', this.limits.maxJsonBytes));
    if (!isObject(index) || !Array.isArray(index.manifests) || index.manifests.length === 0) {
      throw new ImageError(`${where}: no valid manifest in index.json`);
    }
    const top = index.manifests.map((m) => checkDescriptor(where, m, 'index.json'));
    let chosen: Descriptor;
    if (sel.index !== undefined) {
      chosen = byIndex(where, top, sel.index);
    } else if (sel.digest) {
      const d = top.find((m) => m.digest === sel.digest);
      if (!d) throw new ImageError(`${where}: no manifest ${sel.digest} in index.json`);
      chosen = d;
    } else if (sel.tag !== undefined) {
      const tag = sel.tag;
      const norm = /[:/]/.test(tag) ? normaliseDockerName(tag) : null;
      const found = top.filter((m) => {
        const refName = m.annotations?.['org.opencontainers.image.ref.name'];
        const ctrName = m.annotations?.['io.containerd.image.name'];
        if (refName === tag || ctrName === tag) return true;
        // A full image name as the ref.name (an image directory serving as a mirror) or containerd's name.
        return norm !== null && [ctrName, refName].some((n) => n !== undefined && /[:/]/.test(n) && normaliseDockerName(n) === norm);
      });
      if (found.length === 0) {
        const tags = top.map((m) => m.annotations?.['io.containerd.image.name'] ?? m.annotations?.['org.opencontainers.image.ref.name']).filter(Boolean);
        throw new ImageError(`${where}: invalid OCI image ref ${JSON.stringify(tag)}: no such tag (it has ${tags.length ? tags.join(', ') : 'no tags'})`);
      }
      chosen = found[0]!;
    } else {
      const images = top.filter((m) => !isAttestation(m));
      if (images.length === 1) chosen = images[0]!;
      else if (images.every((m) => m.platform) && images.length > 0) {
        // A layout holding one multi-platform image written flat (index.json is its index).
        chosen = selectPlatform(where, images, platform);
      } else {
        const tags = top.map((m) => m.annotations?.['org.opencontainers.image.ref.name']).filter(Boolean);
        throw new ImageError(`${where}: index.json lists ${top.length} images; name one with :TAG or @DIGEST${tags.length ? ` (tags: ${tags.join(', ')})` : ''}`);
      }
    }
    return this.fromDescriptor(chosen, platform, 0);
  }

  private async fromDescriptor(d: Descriptor, platform: Platform, depth: number): Promise<FoundImage> {
    const where = this.where;
    if (depth > 4) throw new ImageError(`${where}: indexes nested more than 4 deep`);
    if (d.mediaType !== undefined && !INDEX_TYPES.has(d.mediaType) && !MANIFEST_TYPES.has(d.mediaType)) {
      throw new ImageError(`${where}: invalid OCI image: unsupported media type ${JSON.stringify(d.mediaType)} for ${d.digest}`);
    }
    const bytes = await this.readBlob(d, 'manifest');
    const doc = parseJson(where, `manifest ${d.digest}`, bytes);
    if (!isObject(doc)) throw new ImageError(`${where}: invalid OCI image: manifest ${d.digest} is not an object`);
    const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : d.mediaType;
    if ((mediaType !== undefined && INDEX_TYPES.has(mediaType)) || (mediaType === undefined && Array.isArray(doc.manifests))) {
      if (!Array.isArray(doc.manifests) || doc.manifests.length === 0) throw new ImageError(`${where}: index ${d.digest} lists no manifests`);
      const list = doc.manifests.map((m) => checkDescriptor(where, m, `index ${d.digest}`));
      return this.fromDescriptor(selectPlatform(`${where} (index ${d.digest})`, list, platform), platform, depth + 1);
    }
    if (!isObject(doc.config) || !Array.isArray(doc.layers)) throw new ImageError(`${where}: invalid OCI image: manifest ${d.digest} has no config or layers`);
    const configDesc = checkDescriptor(where, doc.config, `manifest ${d.digest}`);
    const layerDescs = doc.layers.map((l) => checkDescriptor(where, l, `manifest ${d.digest}`));
    if (layerDescs.length > this.limits.maxLayers) throw new ImageError(`${where}: ${layerDescs.length} layers, more than ${this.limits.maxLayers} (limit maxLayers)`);
    const configBytes = await this.readBlob(configDesc, 'config');
    const cfg = this.parseConfig(configBytes, configDesc.digest, layerDescs.length);
    const layers = layerDescs.map((l, i) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType ?? '', diffId: cfg.diffIds[i] }));
    const layerSources: LayerSource[] = [];
    for (const l of layers) {
      const path = blobPath(l.digest);
      if (!(await this.store.has(path))) throw new ImageError(`${where}: invalid OCI image: layer blob ${l.digest} is missing`);
      layerSources.push({ digest: l.digest, diffId: l.diffId, open: () => this.store.open(path) });
    }
    return {
      digest: d.digest,
      configDigest: configDesc.digest,
      platform: cfg.platform,
      config: cfg.config,
      layers,
      layerSources,
      repoTags: [],
    };
  }

  private parseConfig(b: Buffer, digest: string, layerCount: number) {
    const where = this.where;
    const c = parseJson(where, `config ${digest}`, b);
    if (!isObject(c)) throw new ImageError(`${where}: invalid image config ${digest}`);
    const rootfs = isObject(c.rootfs) ? c.rootfs : {};
    const diffIds = Array.isArray(rootfs.diff_ids) ? rootfs.diff_ids : [];
    if (diffIds.length !== layerCount || !diffIds.every((x) => typeof x === 'string' && /^sha256:[0-9a-f]{64}$/.test(x))) {
      throw new ImageError(`${where}: image config ${digest} lists ${diffIds.length} diff_ids for ${layerCount} layers`);
    }
    const inner = isObject(c.config) ? c.config : {};
    const platform: Platform = { os: String(c.os ?? ''), architecture: String(c.architecture ?? '') };
    if (typeof c.variant === 'string' && c.variant) platform.variant = c.variant;
    return {
      diffIds: diffIds as string[],
      platform,
      config: {
        user: typeof inner.User === 'string' && inner.User !== '' ? inner.User : null,
        created: typeof c.created === 'string' ? c.created : null,
        env: Array.isArray(inner.Env) ? inner.Env.filter((e): e is string => typeof e === 'string') : [],
      },
    };
  }

  /** Legacy `docker save`: manifest.json, `<id>/layer.tar` (checked against diff_ids), `<id>.json`. */
  private async fromDockerManifest(sel: ImageSelector): Promise<FoundImage> {
    const where = this.where;
    const m = parseJson(where, 'manifest.json', await this.store.readSmall('manifest.json', this.limits.maxJsonBytes));
    if (!Array.isArray(m) || m.length === 0) throw new ImageError(`${where}: no image in manifest.json`);
    type Entry = { Config: string; RepoTags?: string[] | null; Layers: string[] };
    const entries = m.map((e) => {
      if (!isObject(e) || typeof e.Config !== 'string' || !Array.isArray(e.Layers) || !e.Layers.every((l) => typeof l === 'string')) {
        throw new ImageError(`${where}: invalid manifest.json entry`);
      }
      return e as unknown as Entry;
    });
    let chosen: Entry;
    if (sel.index !== undefined) {
      chosen = byIndex(where, entries, sel.index);
    } else if (sel.digest) {
      const found = entries.find((e) => 'sha256:' + e.Config.replace(/^blobs\/sha256\//, '').replace(/\.json$/, '') === sel.digest);
      if (!found) throw new ImageError(`${where}: no image ${sel.digest} in manifest.json`);
      chosen = found;
    } else if (sel.tag !== undefined) {
      const want = normaliseDockerName(sel.tag);
      const found = entries.find((e) => (e.RepoTags ?? []).some((t) => t === sel.tag || normaliseDockerName(t) === want));
      if (!found) {
        const tags = entries.flatMap((e) => e.RepoTags ?? []);
        throw new ImageError(`${where}: no image tagged ${JSON.stringify(sel.tag)} in manifest.json (it has ${tags.length ? tags.join(', ') : 'no tags'})`);
      }
      chosen = found;
    } else if (entries.length === 1) {
      chosen = entries[0]!;
    } else {
      throw new ImageError(`${where}: manifest.json lists ${entries.length} images; name one with :NAME:TAG (tags: ${entries.flatMap((e) => e.RepoTags ?? []).join(', ')})`);
    }
    if (chosen.Layers.length > this.limits.maxLayers) throw new ImageError(`${where}: ${chosen.Layers.length} layers, more than ${this.limits.maxLayers} (limit maxLayers)`);
    if (!(await this.store.has(chosen.Config))) throw new ImageError(`${where}: config ${chosen.Config} named in manifest.json is missing`);
    const configBytes = await this.store.readSmall(chosen.Config, this.limits.maxJsonBytes);
    const configDigest = sha256(configBytes);
    // The config is named by its digest (`<hex>.json`, or `blobs/sha256/<hex>` in Docker 25+).
    const named = /([0-9a-f]{64})(\.json)?$/.exec(chosen.Config);
    if (named && 'sha256:' + named[1] !== configDigest) {
      throw new ImageError(`${where}: config ${chosen.Config} does not match its digest (got ${configDigest})`);
    }
    const cfg = this.parseConfig(configBytes, configDigest, chosen.Layers.length);
    const layers: FoundImage['layers'] = [];
    const layerSources: LayerSource[] = [];
    for (let i = 0; i < chosen.Layers.length; i++) {
      const path = chosen.Layers[i]!;
      if (!(await this.store.has(path))) throw new ImageError(`${where}: layer ${path} named in manifest.json is missing`);
      const diffId = cfg.diffIds[i]!;
      layers.push({ digest: diffId, size: await this.store.size(path), mediaType: 'application/vnd.docker.image.rootfs.diff.tar', diffId });
      // Layers are named by their diff_id here: the uncompressed tar is what is checked.
      layerSources.push({ digest: diffId, verifyDigest: false, diffId, open: () => this.store.open(path) });
    }
    return {
      digest: configDigest,
      configDigest,
      platform: cfg.platform,
      config: cfg.config,
      layers,
      layerSources,
      repoTags: (chosen.RepoTags ?? []).filter((t) => typeof t === 'string'),
    };
  }
}
