/**
 * The image stage of `scan`: every image the chart deploys is resolved (registry, mirror
 * directory or cache), each distinct manifest digest read once through the package analysers
 * (layers whose records are cached are not read again), and the facts put on the report's
 * image. An image that cannot be pulled or read is a gap naming it, never a silent "clean".
 */
import type { Gap, ReportImage } from '../../model/report.js';
import type { ResolvedImage } from '../../model/stages.js';
import { LayerResultStore } from '../../cache/results.js';
import { ANALYSERS } from '../../inventory/analysers/index.js';
import { contentsOf, endOfLifeWarning, inventoryGaps, inventoryImage, type ImageInventory } from '../../inventory/index.js';
import type { Env } from '../context.js';
import { imageSources, sourceFor, type ImageSourceOptions } from '../image-sources.js';

export interface ImageContentOptions extends Omit<ImageSourceOptions, 'deadlineMs' | 'onRetry' | 'onProgress'> {
  /** `--skip-image-contents`: list the images, do not pull them. */
  skipImageContents: boolean;
  platform: string;
  /** Most time one image may take (resolve and every layer), retries included. */
  imageDeadlineMs?: number;
}

/** What a terminal shows while images are pulled and read; absent when stderr is not a terminal. */
export interface ImageProgress {
  start(ref: string): void;
  bytes(ref: string, digest: string, bytes: number, total: number): void;
  layer(ref: string, index: number, count: number): void;
  done(ref: string): void;
}

export interface ImageContentResult {
  images: ReportImage[];
  customResourceImages: ReportImage[];
  gaps: Gap[];
  warnings: string[];
}

/** Images pulled and read at the same time: enough to overlap round trips, few enough for memory. */
const CONCURRENCY = 2;

export async function imageContentStage(
  images: ReportImage[],
  customResourceImages: ReportImage[],
  opts: ImageContentOptions,
  e: Env,
  ui: { onRetry?: (message: string) => void; progress?: ImageProgress } = {},
): Promise<ImageContentResult> {
  const all = [...images, ...customResourceImages];
  if (opts.skipImageContents) {
    const off = (list: ReportImage[]) => list.map((i) => ({ ...i, contents: null }));
    const gaps = all.length ? [{ scope: 'images', reason: `the contents of ${all.length} image${all.length === 1 ? '' : 's'} were not examined (--skip-image-contents): only Bitnami images are matched, by their tag` }] : [];
    return { images: off(images), customResourceImages: off(customResourceImages), gaps, warnings: [] };
  }
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
  const withContents = (list: ReportImage[]) => list.map((i) => ({ ...i, contents: contents.get(i.ref) ?? null }));
  // Gaps in the order the images are listed, whatever order the pulls finished in.
  const order = new Map(all.map((i, n) => [i.ref, n]));
  gaps.sort((a, b) => (order.get(a.scope.split(' ')[0]!) ?? 0) - (order.get(b.scope.split(' ')[0]!) ?? 0));
  return { images: withContents(images), customResourceImages: withContents(customResourceImages), gaps, warnings };
}
