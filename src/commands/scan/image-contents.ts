/**
 * The image stage of `scan`: every image the chart deploys is resolved (registry, mirror
 * directory or cache), each distinct manifest digest read once through the package analysers
 * (layers whose records are cached are not read again), and the facts put on the report's
 * image. An image that cannot be pulled or read is a gap naming it, never a silent "clean".
 */
import type { Gap, ReportImage } from '../../model/report.js';
import type { Env } from '../context.js';
import type { ImageContentOptions, ImageProgress } from './image-options.js';

export interface ImageContentResult {
  images: ReportImage[];
  customResourceImages: ReportImage[];
  gaps: Gap[];
  warnings: string[];
}

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
  // Registries, layers and package analysers: a bundle of their own, loaded only to read images.
  const { readImageContents } = await import('./image-pull.js');
  const { contents, gaps, warnings } = await readImageContents(all, opts, e, ui);
  const withContents = (list: ReportImage[]) => list.map((i) => ({ ...i, contents: contents.get(i.ref) ?? null }));
  return { images: withContents(images), customResourceImages: withContents(customResourceImages), gaps, warnings };
}
