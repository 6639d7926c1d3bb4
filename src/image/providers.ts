/**
 * The offline image sources: `oci-layout:DIR|TAR[:tag|@digest]` and
 * `docker-archive:FILE[:name:tag|:@N|@digest]` (skopeo's spellings; `@N` is the N-th image of
 * the archive, from 0). The path is taken whole when
 * it exists (paths may hold colons); otherwise the selector is split off at `@sha256:` or at
 * the first colon, as skopeo does.
 */
import { existsSync } from 'node:fs';
import type { ImageFile, ImageProvider, ResolvedImage } from '../model/stages.js';
import { ImageError, imageLimits, type ImageLimits } from './limits.js';
import { LayoutReader, formatPlatform, parsePlatform, type FoundImage, type ImageSelector } from './layout.js';
import { readMergedFiles, type LayerSource, type ReadFilesOptions } from './merged-view.js';
import { openStore } from './store.js';
import { readLayerEntries } from './layer-entries.js';

export interface ArchiveRef {
  scheme: 'oci-layout' | 'docker-archive';
  path: string;
  selector: ImageSelector;
}

export function parseArchiveRef(ref: string): ArchiveRef {
  const m = /^(oci-layout|docker-archive):(.*)$/s.exec(ref);
  if (!m) throw new ImageError(`${ref}: not an oci-layout: or docker-archive: reference`);
  const scheme = m[1] as ArchiveRef['scheme'];
  const rest = m[2]!;
  if (rest === '') throw new ImageError(`${ref}: no path after ${scheme}:`);
  if (existsSync(rest)) return { scheme, path: rest, selector: {} };
  const at = rest.lastIndexOf('@sha256:');
  if (at > 0) {
    const digest = rest.slice(at + 1);
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new ImageError(`${ref}: invalid digest ${JSON.stringify(digest)}`);
    return { scheme, path: rest.slice(0, at).replace(/:$/, ''), selector: { digest } };
  }
  const index = /^(.*):@(\d+)$/.exec(rest);
  if (index && scheme === 'docker-archive') return { scheme, path: index[1]!, selector: { index: Number(index[2]) } };
  const colon = rest.indexOf(':');
  if (colon > 0) {
    const tag = rest.slice(colon + 1);
    if (tag === '') throw new ImageError(`${ref}: empty tag after the path`);
    return { scheme, path: rest.slice(0, colon), selector: { tag } };
  }
  return { scheme, path: rest, selector: {} };
}

/**
 * A ResolvedImage over layer sources: the registry client builds one too, with sources that
 * open its (cached, digest-checked) blob streams.
 */
export function resolvedImage(
  found: Pick<FoundImage, 'digest' | 'platform' | 'config' | 'layers' | 'layerSources'>,
  ref: string,
  origin: string,
  limits: Partial<ImageLimits> = {},
): ResolvedImage {
  const layerSources: LayerSource[] = found.layerSources;
  return {
    ref,
    digest: found.digest,
    origin,
    platform: { ...found.platform },
    config: found.config,
    layers: found.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })),
    readFiles(wants, onFile: (file: ImageFile) => void, opts: { onSkip?: (path: string, reason: string) => void } = {}) {
      const o: ReadFilesOptions = { limits, what: ref };
      if (opts.onSkip) o.onSkip = opts.onSkip;
      return readMergedFiles(layerSources, wants, onFile, o);
    },
    readLayer(index, visit) {
      const layer = layerSources[index];
      if (!layer) throw new RangeError(`${ref}: no layer ${index + 1}`);
      return readLayerEntries(index, layer, visit, { limits, what: ref });
    },
  };
}

export async function resolveArchive(ref: string, opts: { platform: string; limits?: Partial<ImageLimits> }): Promise<ResolvedImage & { repoTags: string[] }> {
  const parsed = parseArchiveRef(ref);
  if (!existsSync(parsed.path)) throw new ImageError(`${parsed.path}: no such file or directory (from ${ref})`);
  const s = parsed.selector;
  const sel = s.digest ? '@' + s.digest : s.tag ? ':' + s.tag : s.index !== undefined ? ':@' + s.index : '';
  return resolveParsedArchive(parsed, `${parsed.scheme}:${parsed.path}${sel}`, opts);
}

/** An archive or layout already split into path and selector; `name` is the reference reported. */
export async function resolveParsedArchive(parsed: ArchiveRef, name: string, opts: { platform: string; limits?: Partial<ImageLimits> }): Promise<ResolvedImage & { repoTags: string[] }> {
  const limits = imageLimits(opts.limits);
  const platform = parsePlatform(opts.platform);
  const store = await openStore(parsed.path, limits);
  const reader = new LayoutReader(store, limits, parsed.scheme === 'oci-layout');
  const found = await reader.find(parsed.selector, platform);
  return { ...resolvedImage(found, name, `${parsed.scheme}:${parsed.path}`, opts.limits), repoTags: found.repoTags };
}

function archiveProvider(scheme: 'oci-layout' | 'docker-archive', limits?: Partial<ImageLimits>): ImageProvider {
  return {
    scheme,
    accepts: (ref) => ref.startsWith(scheme + ':'),
    // Archives are local: --offline changes nothing for them.
    resolve: (ref, opts) => resolveArchive(ref, { platform: opts.platform, ...(limits ? { limits } : {}) }),
  };
}

export const ociLayoutProvider: ImageProvider = archiveProvider('oci-layout');
export const dockerArchiveProvider: ImageProvider = archiveProvider('docker-archive');

export { formatPlatform };
