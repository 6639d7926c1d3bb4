/**
 * `chartaudit image <ref>`: one image from a registry, an OCI layout or a `docker save`
 * archive, resolved to one platform's manifest, each layer streamed once (checked against its
 * digests) through the package analysers, or its record taken from the per-layer result cache.
 */
import type { Gap, ImageReport } from '../model/report.js';
import { LayerResultStore } from '../cache/results.js';
import { ANALYSERS } from '../inventory/analysers/index.js';
import { contentsOf, endOfLifeWarning, inventoryImage, type ImageInventory } from '../inventory/index.js';
import type { Env } from './context.js';
import { imageSources, sourceFor, type ImageSourceOptions } from './image-sources.js';

export interface ImageOptions extends ImageSourceOptions {
  ref: string;
  /** `os/arch[/variant]`, default linux/amd64. */
  platform: string;
  onWarning?: (message: string) => void;
}

export async function inspectImage(opts: ImageOptions, e: Env): Promise<ImageReport> {
  const sources = imageSources(opts, e);
  const image = await sourceFor(opts.ref, sources).resolve(opts.ref, { platform: opts.platform, offline: opts.offline });
  const inv = await inventoryImage(image, ANALYSERS, {
    store: new LayerResultStore({ env: e.env }),
    today: e.now,
    ...(opts.onWarning ? { onCacheError: opts.onWarning } : {}),
  });
  const eol = endOfLifeWarning(image.ref, inv.os);
  if (eol) opts.onWarning?.(eol);
  return { ref: image.ref, ...contentsOf(image, inv), gaps: inventoryGaps(image.ref, inv) };
}

/** The inventory's gaps as the report states them: the image, the file, why. */
export function inventoryGaps(ref: string, inv: Pick<ImageInventory, 'gaps'>): Gap[] {
  const gaps: Gap[] = inv.gaps.map((g) => ({ scope: `${ref} ${g.path}`, reason: g.reason }));
  return gaps;
}
