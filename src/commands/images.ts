/** `chartaudit images`: the chart, its subchart tree and the images it deploys with these values. */
import type { ImagesReport } from '../model/report.js';
import { extractImages } from '../images/extract.js';
import { settleForLongRun } from '../tiering.js';
import { flattenTree, loadWithValues, readChartBytes, render, reportChart, type RenderFlags } from './chart-input.js';

export interface ImagesOptions extends RenderFlags {
  chart: string;
}

export async function images(opts: ImagesOptions): Promise<ImagesReport> {
  const loaded = await loadWithValues(opts.chart, readChartBytes(opts.chart), opts);
  const result = render(loaded, opts, { output: 'hidden' });
  const extracted = extractImages(result.manifests);
  return {
    chart: reportChart(loaded),
    charts: flattenTree(result.tree),
    images: extracted.images,
    customResourceImages: extracted.customResourceImages,
    gaps: extracted.gaps,
  };
}

export type ImagesResult = { file: string } & (ImagesReport | { error: string });

/** `images` for each chart in turn: the chart's report, or the error that stopped it. */
export async function imagesOfEach(charts: string[], flags: RenderFlags): Promise<ImagesResult[]> {
  const out: ImagesResult[] = [];
  for (const file of charts) {
    // several charts in one process: a long run from the start
    settleForLongRun(charts.length > 2);
    // A turn of the event loop between charts lets V8's garbage collection tasks run: a chart read
    // back from the cache renders without one (src/cache/templates.ts), and the heap of 116 charts
    // then grew to 245 MB before a major collection.
    if (out.length > 0) await new Promise((r) => setImmediate(r));
    try {
      out.push({ file, ...(await images({ chart: file, ...flags })) });
    } catch (err) {
      if (!(err instanceof Error) || !['InputError', 'UsageError', 'CheckFailedError'].includes(err.name)) throw err;
      out.push({ file, error: err.message });
    }
  }
  return out;
}
