/**
 * Layers merged as Trivy's applier does: bottom first; a whiteout deletes what the layers below
 * read at that path (and below it), an opaque directory hides everything below it from lower
 * layers, and a path read again replaces what a lower layer found there. What survives is the
 * image's inventory, each package with the layer that added it.
 */
import type { FoundOs, FoundPackage } from '../model/stages.js';
import type { LayerRecord } from './layer.js';
import { preferOs } from './analysers/os.js';

export interface LayeredPackage extends FoundPackage {
  /** Digest of the layer it was read from. */
  layer: string;
}

export interface MergedInventory {
  os: (FoundOs & { layer: string }) | null;
  packages: LayeredPackage[];
  gaps: { path: string; reason: string; layer: string }[];
}

interface Held {
  layer: string;
  packages: FoundPackage[];
  gaps: { path: string; reason: string }[];
  os: FoundOs | null;
}

export function mergeLayers(records: readonly { digest: string; record: LayerRecord }[]): MergedInventory {
  // Keyed by the first path a package (or OS result, or gap) came from.
  const held = new Map<string, Held>();
  const slot = (path: string, layer: string): Held => {
    let h = held.get(path);
    if (!h || h.layer !== layer) held.set(path, (h = { layer, packages: [], gaps: [], os: null }));
    return h;
  };
  for (const { digest, record } of records) {
    const drop = (prefix: string, self: boolean): void => {
      for (const key of [...held.keys()]) {
        if ((self && key === prefix) || key.startsWith(prefix === '/' ? '/' : prefix + '/')) held.delete(key);
      }
    };
    for (const w of record.whiteouts) drop(w, true);
    for (const d of record.opaqueDirs) drop(d, false);
    for (const p of record.read) held.delete(p);
    for (const pkg of record.packages) slot(pkg.paths[0] ?? '/', digest).packages.push(pkg);
    for (const g of record.gaps) slot(g.path, digest).gaps.push(g);
    if (record.os) slot(record.os.paths[0] ?? '/', digest).os = record.os.os;
  }
  const out: MergedInventory = { os: null, packages: [], gaps: [] };
  const rank = new Map(records.map((r, i) => [r.digest, i]));
  const osByLayer: { rank: number; os: FoundOs; layer: string }[] = [];
  for (const h of held.values()) {
    for (const p of h.packages) out.packages.push({ ...p, layer: h.layer });
    for (const g of h.gaps) out.gaps.push({ ...g, layer: h.layer });
    if (h.os) osByLayer.push({ rank: rank.get(h.layer) ?? 0, os: h.os, layer: h.layer });
  }
  // Bottom to top, the later layer's release wins, but a busybox-only guess never replaces a release file.
  for (const o of osByLayer.sort((a, b) => a.rank - b.rank)) {
    const chosen = preferOs(out.os, o.os);
    if (chosen === o.os) out.os = { ...o.os, layer: o.layer };
  }
  return out;
}
