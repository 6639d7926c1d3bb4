/**
 * One layer on its own, for the per-layer inventory (Trivy's model): its regular files offered
 * to a chooser that captures the wanted ones, its whiteouts and opaque directories reported, the
 * blob checked against its digest and diff_id as it streams. Layers whose results are cached are
 * never opened; the merged view (merged-view.ts) is for readers that need symlinks across layers.
 */
import { posix } from 'node:path';
import { ImageError, formatBytes, type ImageLimits } from './limits.js';
import type { LayerVisitor } from '../model/stages.js';
import { MergedView, normaliseEntryName, type LayerSource } from './merged-view.js';

export interface LayerEntriesOptions {
  limits?: Partial<ImageLimits>;
  /** Names the image in errors. */
  what?: string;
}

const WHITEOUT = '.wh.';
/** Contents kept per layer for hard links that point at them. */
const LINK_TARGET_BYTES = 64 * 2 ** 20;
const OPAQUE = '.wh..wh..opq';

/** Streams layer `index` of an image through `visit`; returns the number of entries it had. */
export async function readLayerEntries(index: number, layer: LayerSource, visit: LayerVisitor, opts: LayerEntriesOptions = {}): Promise<number> {
  // The view supplies the stream: decompression, digest and diff_id checks, name rules, limits.
  const view = new MergedView(() => false, { limits: opts.limits ?? {}, what: opts.what ?? 'image' });
  const captured = new Map<string, { content: Buffer; mode: number }>();
  let entries = 0;
  let linkBytes = 0;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let capturing: { path: string; mode: number; limit: number } | null = null;
  await view.streamLayer(
    index,
    layer,
    (hdr, rel) => {
      entries++;
      capturing = null;
      if (rel === '') return null;
      const base = posix.basename(rel);
      const parent = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
      if (base === OPAQUE) {
        visit.opaque('/' + parent);
        return null;
      }
      if (base.startsWith(WHITEOUT)) {
        if (!base.startsWith(WHITEOUT + WHITEOUT)) visit.whiteout('/' + posix.join(parent, base.slice(WHITEOUT.length)));
        return null;
      }
      const path = '/' + rel;
      if (hdr.typeflag === '1') {
        const target = normaliseEntryName(hdr.linkname);
        if (target === null) throw new ImageError(`${opts.what ?? 'image'}: layer ${index + 1} (${layer.digest}): hard link ${JSON.stringify(hdr.name)} points outside the image root`);
        const got = captured.get('/' + target);
        const limit = visit.choose(path, { mode: got?.mode ?? hdr.mode, size: got?.content.length ?? 0 });
        if (limit === false) return null;
        if (got && got.content.length <= limit) visit.file(path, got.content, { mode: got.mode, size: got.content.length });
        else visit.skip(path, got ? `larger than ${formatBytes(limit)}; not read` : 'hard link to a file of this layer that was not kept for links (not wanted, or over the link budget)');
        return null;
      }
      if (hdr.typeflag !== '0' && hdr.typeflag !== '7') return null;
      const entry = { mode: hdr.mode, size: hdr.size };
      const limit = visit.choose(path, entry);
      if (limit === false) return null;
      if (hdr.size > limit) {
        visit.skip(path, `larger than ${formatBytes(limit)} (${formatBytes(hdr.size)}); not read`);
        return null;
      }
      capturing = { path, mode: hdr.mode, limit };
      parts = [];
      partBytes = 0;
      return (chunk) => {
        partBytes += chunk.length;
        parts.push(Buffer.from(chunk));
      };
    },
    () => {
      const c = capturing as { path: string; mode: number } | null;
      if (c === null) return;
      capturing = null;
      const content = Buffer.concat(parts, partBytes);
      parts = [];
      // Kept for hard links to it later in the layer, within a small budget (the visitor decides what else to keep).
      if (linkBytes + content.length <= LINK_TARGET_BYTES) {
        linkBytes += content.length;
        captured.set(c.path, { content, mode: c.mode });
      }
      visit.file(c.path, content, { mode: c.mode, size: content.length });
    },
  );
  return entries;
}
