/**
 * The package inventory of one image: each layer analysed on its own (or its record taken from
 * the per-layer result cache, so a rescan reads no layer again), the records merged in layer
 * order, and OS packages given the ecosystem of the image's OS release.
 */
import type { ResolvedImage, Analyser } from '../model/stages.js';
import type { LayerResultStore } from '../cache/results.js';
import { analyseLayer, analyserSignature, type LayerRecord } from './layer.js';
import { mergeLayers } from './merge.js';
import { osPackagePurl } from './os/purl.js';
import { isPastEndOfLife } from './os/eol.js';
import type { Gap, ImageContents, ReportOs, ReportPackage } from '../model/report.js';

/** Bump when LayerRecord's shape or the merge's reading of it changes. */
const RECORD_VERSION = 2;
const OS_PACKAGE_TYPES = new Set(['deb', 'apk', 'rpm']);

export interface ImageInventory {
  os: ReportOs | null;
  packages: ReportPackage[];
  gaps: { path: string; reason: string; layer: string }[];
  /** Layers streamed in this run, and layers whose records came from the cache. */
  layersRead: number;
  layersCached: number;
}

export interface InventoryOptions {
  /** The day of the report, for end-of-life dates. */
  today: Date;
  /** The per-layer result cache; null to read every layer. */
  store: LayerResultStore | null;
  /** A record that cannot be stored (full disk, read-only cache) is not an error for the image. */
  onCacheError?: (message: string) => void;
  /** Called before each layer is read (not for cached ones). */
  onLayer?: (index: number) => void;
}

export async function inventoryImage(image: ResolvedImage, analysers: readonly Analyser[], opts: InventoryOptions): Promise<ImageInventory> {
  const version = `${RECORD_VERSION}:${analyserSignature(analysers)}`;
  const records: { digest: string; record: LayerRecord }[] = [];
  let layersRead = 0;
  let layersCached = 0;
  const cached = image.layers.map((l) => {
    const r = opts.store?.get<LayerRecord>({ layer: l.digest, analyser: 'inventory', version });
    return r && isRecord(r) ? r : undefined;
  });
  // Only the layers whose records are missing are fetched, several at once where the source is remote.
  const missing = cached.flatMap((r, i) => (r ? [] : [i]));
  if (missing.length > 1) image.prefetch?.(missing);
  for (let i = 0; i < image.layers.length; i++) {
    const digest = image.layers[i]!.digest;
    const key = { layer: digest, analyser: 'inventory', version };
    let record = cached[i];
    if (record && isRecord(record)) {
      layersCached++;
    } else {
      opts.onLayer?.(i);
      record = await analyseLayer(image, i, analysers);
      layersRead++;
      try {
        opts.store?.put(key, record);
      } catch (err) {
        opts.onCacheError?.(`the layer result cache could not store ${digest}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    records.push({ digest, record });
  }
  const merged = mergeLayers(records);
  const gaps = [...merged.gaps];
  const packages: ReportPackage[] = merged.packages.map((p) => {
    if (!OS_PACKAGE_TYPES.has(p.type)) return { ...p, ecosystem: p.ecosystem ?? null, purl: p.purl ?? null };
    return { ...p, ecosystem: merged.os?.ecosystem ?? null, purl: p.purl ?? (merged.os ? osPackagePurl(p, merged.os) : null) };
  });
  const osLess = packages.filter((p) => OS_PACKAGE_TYPES.has(p.type) && p.ecosystem === null);
  if (osLess.length > 0) {
    const why = merged.os ? `the OS (${merged.os.name}) has no OSV ecosystem` : 'the OS release is unknown (no os-release)';
    gaps.push({ path: osLess[0]!.paths[0] ?? '/', layer: osLess[0]!.layer, reason: `${osLess.length} OS packages are not matched: ${why}` });
  }
  const os = merged.os && merged.os.endOfLife ? { ...merged.os, endOfLifePassed: isPastEndOfLife(merged.os, opts.today) } : merged.os;
  return { os, packages, gaps, layersRead, layersCached };
}

/** A damaged or foreign cache file reads as a miss, never as an empty layer. */
function isRecord(r: unknown): r is LayerRecord {
  const o = r as Partial<LayerRecord> | null;
  return !!o && Array.isArray(o.whiteouts) && Array.isArray(o.opaqueDirs) && Array.isArray(o.read) && Array.isArray(o.packages) && Array.isArray(o.gaps) && typeof o.entries === 'number';
}

/** The report's facts of an image: what it resolved to, its config, layers and inventory. */
export function contentsOf(image: ResolvedImage, inv: Pick<ImageInventory, 'os' | 'packages'>): ImageContents {
  const p = image.platform;
  return {
    digest: image.digest,
    platform: `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`,
    config: { os: p.os, architecture: p.architecture, variant: p.variant ?? null, user: image.config.user, created: image.config.created },
    layers: image.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })),
    os: inv.os,
    packages: inv.packages,
  };
}

/** The warning a report carries for an image whose OS release is past its end of life. */
export function endOfLifeWarning(ref: string, os: ReportOs | null): string | null {
  if (!os?.endOfLifePassed) return null;
  return `${ref}: ${os.name} reached its end of life on ${os.endOfLife}: it gets no security updates, and advisories may no longer list it`;
}

/** The inventory's gaps as the report states them: the image, the file, why. */
export function inventoryGaps(ref: string, inv: Pick<ImageInventory, 'gaps'>): Gap[] {
  return inv.gaps.map((g) => ({ scope: `${ref} ${g.path}`, reason: g.reason }));
}
