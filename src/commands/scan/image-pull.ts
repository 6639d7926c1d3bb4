/**
 * Reading the contents of a scan's images (src/commands/scan/image-contents.ts): each image
 * resolved (registry, mirror directory or cache), each distinct manifest digest read once through
 * the package analysers. Its own bundle: a scan that does not read images never loads the
 * registry client, the layer readers or the analysers.
 */
import type { Gap, ReportImage } from '../../model/report.js';
import type { ResolvedImage } from '../../model/stages.js';
import { LayerResultStore } from '../../cache/results.js';
import { ANALYSERS } from '../../inventory/analysers/index.js';
import { contentsOf, endOfLifeWarning, inventoryGaps, inventoryImage, type ImageInventory } from '../../inventory/index.js';
import type { Env } from '../context.js';
import { imageSources, sourceFor } from '../image-sources.js';
import type { ImageContentOptions, ImageProgress } from './image-options.js';

/** Images pulled and read at the same time: enough to overlap round trips, few enough for memory. */
const CONCURRENCY = 2;

export interface ImageContentsRead {
  /** By reference; null for an image that could not be read (a gap says why). */
  contents: Map<string, ReportImage['contents']>;
  /** In the order the images are listed, whatever order the pulls finished in. */
  gaps: Gap[];
  warnings: string[];
}

export async function readImageContents(
  all: ReportImage[],
  opts: ImageContentOptions,
  e: Env,
  ui: { onRetry?: (message: string) => void; progress?: ImageProgress },
): Promise<ImageContentsRead> {
  const progress = ui.progress;
  const sources = imageSources({
    ...opts,
    ...(opts.imageDeadlineMs !== undefined ? { deadlineMs: opts.imageDeadlineMs } : {}),
    ...(ui.onRetry ? { onRetry: ui.onRetry } : {}),
    ...(progress ? { onProgress: (p: { ref: string; digest: string; bytes: number; total: number }) => progress.bytes(p.ref, p.digest, p.bytes, p.total) } : {}),
  }, e);
  const store = new LayerResultStore({ env: e.env });
  const warnings: string[] = [];
  const gaps: Gap[] = [];
  // One inventory per manifest digest: two references to the same image are read once.
  const byDigest = new Map<string, Promise<ImageInventory>>();
  const contents = new Map<string, ReportImage['contents']>();

  const readOne = async (img: ReportImage): Promise<void> => {
    progress?.start(img.ref);
    let resolved: ResolvedImage;
    try {
      resolved = await sourceFor(img.ref, sources).resolve(img.ref, { platform: opts.platform, offline: opts.offline });
      let inv = byDigest.get(resolved.digest);
      if (!inv) {
        inv = inventoryImage(resolved, ANALYSERS, {
          store,
          today: e.now,
          onCacheError: (m) => warnings.push(m),
          ...(progress ? { onLayer: (i: number) => progress.layer(img.ref, i, resolved.layers.length) } : {}),
        });
        byDigest.set(resolved.digest, inv);
      }
      const got = await inv;
      contents.set(img.ref, { ...contentsOf(resolved, got), from: resolved.origin });
      gaps.push(...inventoryGaps(img.ref, got));
      const eol = endOfLifeWarning(img.ref, got.os);
      if (eol) warnings.push(eol);
    } catch (err) {
      if (!(err instanceof Error) || (err.name !== 'InputError' && err.name !== 'UsageError')) throw err;
      contents.set(img.ref, null);
      // the message usually starts with the reference; the scope says it already
      const why = err.message.startsWith(`${img.ref}: `) ? err.message.slice(img.ref.length + 2) : err.message;
      gaps.push({ scope: img.ref, reason: `the image was not read: ${why}` });
    } finally {
      progress?.done(img.ref);
    }
  };

  const queue = [...all];
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
    for (let img = queue.shift(); img; img = queue.shift()) await readOne(img);
  }));
  const order = new Map(all.map((i, n) => [i.ref, n]));
  gaps.sort((a, b) => (order.get(a.scope.split(' ')[0]!) ?? 0) - (order.get(b.scope.split(' ')[0]!) ?? 0));
  return { contents, gaps, warnings };
}
