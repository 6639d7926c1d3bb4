/**
 * What a scanned chart deploys: the chart rendered with the user's values, the images its
 * manifests name, and the posture checks' findings on them. None of it depends on the advisories,
 * so a rescan of the same archive with the same values and settings (a CI job that checks a pinned
 * chart against each day's advisories) reads it back from the template cache instead of rendering
 * again, as Trivy keeps what it found in a layer and matches vulnerabilities afresh.
 *
 * The entry is `deployed-<id>.json`, id the SHA-256 of the program's build (every source file),
 * the archive's digest, the chart as named, the values as given (file bytes, --set flags, --set-file
 * bytes) and each setting the render and the checks take. It is kept by the cache's seen-once rule
 * (noted at the first scan, written at the second), and never for a chart directory (its files
 * can change under the same name), a render that failed, or one that read the clock or the time
 * zone (its output depends on when and where it ran). Random strings and keys are not counted:
 * a throwaway render's are as good as any other run's. The chart is still loaded (its tree,
 * metadata and warnings come from it); a damaged entry is rendered afresh and written again.
 */
import { resolveChartTree } from '../../chart/dependencies.js';
import { extractImages } from '../../images/extract.js';
import { archiveDigest, sha256Hex } from '../../hash/sha256.js';
import type { ChartNode } from '../../model/chart.js';
import type { Gap, ReportImage, ScanPosture } from '../../model/report.js';
import { ambientReadCount, type RenderResult } from '../../render/index.js';
import { render, templateCache, type LoadedChart, type RenderFlags } from '../chart-input.js';
import { postureScan, type PostureScanOptions } from './posture.js';
import { SOURCE_BUILD } from '../../cache/templates.js';

export interface Deployment {
  tree: ChartNode;
  images: ReportImage[];
  customResourceImages: ReportImage[];
  /** Images that could not be told, or the render's failure. */
  gaps: Gap[];
  /** Null with --skip-posture or when the chart did not render. */
  posture: ScanPosture | null;
  postureGaps: Gap[];
}

/** What an entry holds: the deployment but its tree (which the loaded chart gives). */
type KeptDeployment = Omit<Deployment, 'tree'>;

const ENTRY_FORMAT = 'chartaudit deployed 1';
/** An entry larger than this is not read (a chart's images and findings: kilobytes). */
const MAX_ENTRY = 16 * 1024 * 1024;


export function deploymentOf(loaded: LoadedChart, opts: RenderFlags & PostureScanOptions): Deployment {
  const kept = keptDeployments(loaded, opts);
  const hit = kept?.get();
  if (hit !== undefined) return { tree: resolveChartTree(loaded.chart, loaded.userValues), ...hit };
  const ambientBefore = ambientReadCount();
  const rendered = renderImages(loaded, opts);
  // the posture checks render again for --values-keys
  const judged = postureScan(loaded, rendered.result, opts, opts);
  const deployment: Deployment = {
    tree: rendered.tree, images: rendered.images, customResourceImages: rendered.customResourceImages, gaps: rendered.gaps,
    posture: judged.posture, postureGaps: judged.gaps,
  };
  if (kept !== undefined && rendered.result !== null && ambientReadCount() === ambientBefore) kept.put(deployment);
  return deployment;
}

/**
 * Renders and lists the images. A chart that does not render with these values still has a
 * provenance and a tree to report; what it deploys is then unknown, and a gap says so.
 */
function renderImages(loaded: LoadedChart, flags: RenderFlags): { tree: ChartNode; result: RenderResult | null; images: ReportImage[]; customResourceImages: ReportImage[]; gaps: Gap[] } {
  try {
    const result = render(loaded, flags, { output: 'hidden' });
    const extracted = extractImages(result.manifests);
    return { tree: result.tree, result, images: extracted.images, customResourceImages: extracted.customResourceImages, gaps: extracted.gaps };
  } catch (err) {
    if (!(err instanceof Error) || (err.name !== 'InputError' && err.name !== 'UsageError')) throw err;
    const tree = resolveChartTree(loaded.chart, loaded.userValues);
    return { tree, result: null, images: [], customResourceImages: [], gaps: [{ scope: tree.path, reason: `the chart did not render, so its images are unknown (and its configuration was not judged): ${err.message}` }] };
  }
}

/** The kept entry for this archive, values and settings; undefined without a template cache or a build, or for a directory. */
function keptDeployments(loaded: LoadedChart, opts: RenderFlags & PostureScanOptions): { get(): KeptDeployment | undefined; put(d: Deployment): void } | undefined {
  const store = templateCache(opts.templateCache);
  if (store === undefined || SOURCE_BUILD === undefined || loaded.archive === null) return undefined;
  // the values as given: each file by its name and the SHA-256 of its bytes, the --set flags in order
  const files = (list: { name: string; bytes: Buffer }[]) => list.map((f) => [f.name, sha256Hex(f.bytes)]);
  const id = `deployed-${store.hash(ENTRY_FORMAT, SOURCE_BUILD, archiveDigest(loaded.archive), JSON.stringify([
    loaded.path, files(loaded.valueFiles.valuesFiles), opts.set, opts.setString, opts.setJson, opts.setFile, opts.setLiteral,
    files(loaded.valueFiles.setFiles), opts.releaseName, opts.namespace, opts.kubeVersion ?? null, opts.apiVersions,
    opts.skipPosture === true, opts.pssLevel ?? null, opts.pssVersion ?? null, opts.valuesKeys === true,
  ]))}`;
  return {
    // a damaged entry is rendered afresh and written again
    get: () => asKeptDeployment(store.readJson(id, MAX_ENTRY)),
    put: (d) => store.keep(id, () => `${JSON.stringify({
      format: ENTRY_FORMAT, images: d.images, customResourceImages: d.customResourceImages, gaps: d.gaps, posture: d.posture, postureGaps: d.postureGaps,
    })}\n`),
  };
}

/** The entry's deployment when it has the shape this build writes. */
function asKeptDeployment(o: unknown): KeptDeployment | undefined {
  if (o === null || typeof o !== 'object') return undefined;
  const e = o as Record<string, unknown>;
  const posture = e.posture as ScanPosture | null | undefined;
  if (e.format !== ENTRY_FORMAT || !Array.isArray(e.images) || !Array.isArray(e.customResourceImages) || !Array.isArray(e.gaps) || !Array.isArray(e.postureGaps)) return undefined;
  if (posture !== null && (typeof posture !== 'object' || !Array.isArray(posture.findings))) return undefined;
  return { images: e.images as ReportImage[], customResourceImages: e.customResourceImages as ReportImage[], gaps: e.gaps as Gap[], posture, postureGaps: e.postureGaps as Gap[] };
}
