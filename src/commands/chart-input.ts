/**
 * The chart and values that template, images and scan render: the chart as the user named it
 * (archive or directory), the values from -f and --set flags, and the render itself.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { TemplateTreeCache } from '../cache/templates.js';
import { archiveDigest } from '../hash/sha256.js';
import { InputError } from '../model/errors.js';
import type { Chart, ChartNode } from '../model/chart.js';
import type { ReportChart, ReportChartNode } from '../model/report.js';
import { loadChart } from '../chart/load.js';
import { checkDependencies, constraintWarnings } from '../chart/dependencies.js';
import { buildUserValues, renderChart, type RenderResult } from '../render/index.js';
import type { ParsedTreeStore } from '../render/template/exec.js';
import { isDirectory, readInput } from './context.js';

/** Values and release settings, as helm template takes them. */
export interface RenderFlags {
  valuesFiles: string[];
  set: string[];
  setString: string[];
  setJson: string[];
  setFile: string[];
  setLiteral: string[];
  releaseName: string;
  namespace: string;
  kubeVersion?: string;
  apiVersions: string[];
  /**
   * The cache directory whose parsed templates, inflated chart archives and parsed values files
   * renders read and add to (none: inflate every archive, parse every text).
   */
  templateCache?: string;
}

export interface LoadedChart {
  /** The chart as the user named it. */
  path: string;
  chart: Chart;
  /** The archive bytes; null for a chart directory. */
  archive: Buffer | null;
  userValues: Record<string, unknown>;
  /** The files the user's values were read from: each -f file, each --set-file's file (path as given). */
  valueFiles: { valuesFiles: { name: string; bytes: Buffer }[]; setFiles: { name: string; bytes: Buffer }[] };
}

/** The archive's bytes, or null for a chart directory. */
export const readChartBytes = (chartPath: string): Buffer | null => (isDirectory(chartPath) ? null : readInput(chartPath, 'chart'));

export async function loadWithValues(chartPath: string, archive: Buffer | null, flags: RenderFlags): Promise<LoadedChart> {
  const cache = templateCache(flags.templateCache);
  const digest = archive && cache ? archiveDigest(archive).slice('sha256:'.length) : undefined;
  const chart = await loadChart(chartPath, archive ?? undefined, undefined, cache && digest ? { inflated: cache.inflatedArchive(digest), values: cache.parsedValues(digest) } : {});
  try {
    checkDependencies(chart);
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`${chartPath}: ${err.message}`, chartPath);
    throw err;
  }
  const valuesFiles = flags.valuesFiles.map((f) => ({ name: f, bytes: readInput(f, 'values file') }));
  const setFiles: { name: string; bytes: Buffer }[] = [];
  const userValues = buildUserValues({
    valuesFiles, set: flags.set, setString: flags.setString, setJson: flags.setJson, setFile: flags.setFile, setLiteral: flags.setLiteral,
  }, (name) => {
    const bytes = readFileSync(name);
    setFiles.push({ name, bytes });
    return bytes;
  });
  return { path: chartPath, chart, archive, userValues, valueFiles: { valuesFiles, setFiles } };
}

/**
 * Renders like helm template. `output: 'hidden'` is for renders whose text nobody sees
 * (images, scan): keys that templates generate may then be throwaway keys (render/sprig/keys.ts).
 */
export function render(l: LoadedChart, flags: RenderFlags, extra: { includeCrds?: boolean; output: 'shown' | 'hidden' }): RenderResult {
  try {
    return renderChart(l.chart, {
      releaseName: flags.releaseName, namespace: flags.namespace, values: l.userValues,
      kubeVersion: flags.kubeVersion, apiVersions: flags.apiVersions, includeCrds: extra.includeCrds,
      keys: extra.output === 'hidden' ? 'throwaway' : 'secure',
      parsedTrees: parsedTreeStore(l, flags.templateCache),
    });
  } catch (err) {
    // helm's render messages name the template, not the chart file: say which chart it was.
    if (err instanceof Error && (err.name === 'InputError' || err.name === 'UsageError') && !err.message.includes(basename(l.path))) {
      err.message = `${l.path}: ${err.message}`;
    }
    throw err;
  }
}

export function reportChart(l: LoadedChart): ReportChart {
  return {
    name: l.chart.metadata.name,
    version: l.chart.metadata.version,
    appVersion: l.chart.metadata.appVersion ?? null,
    digest: l.archive ? archiveDigest(l.archive) : null,
  };
}

/** Parsed templates kept between runs: an archive's all in one entry, a directory's text by text. */
function parsedTreeStore(l: LoadedChart, cacheDir: string | undefined): ParsedTreeStore | undefined {
  const store = templateCache(cacheDir);
  if (store === undefined) return undefined;
  return l.archive ? store.forArchive(archiveDigest(l.archive).slice('sha256:'.length)) : store;
}

const templateCaches = new Map<string, TemplateTreeCache>();

/** One store a cache directory in a process: seen.log read once, one append a render. */
export function templateCache(cacheDir: string | undefined): TemplateTreeCache | undefined {
  if (cacheDir === undefined) return undefined;
  let store = templateCaches.get(cacheDir);
  if (store === undefined) templateCaches.set(cacheDir, (store = new TemplateTreeCache(cacheDir)));
  return store;
}

export function flattenTree(tree: ChartNode): ReportChartNode[] {
  const out: ReportChartNode[] = [];
  const walk = (n: ChartNode) => {
    out.push({ path: n.path, name: n.name, alias: n.alias, version: n.version, enabled: n.enabled, reason: n.reason, declared: n === tree || n.declared, constraint: n.constraint, constraintSatisfied: n.constraintSatisfied });
    n.children.forEach(walk);
  };
  walk(tree);
  return out;
}

/** The loader's warnings (links in the archive, …) of the chart and every subchart, then subcharts outside their declared range. */
export function treeWarnings(tree: ChartNode): string[] {
  const loader = (n: ChartNode): string[] => [...n.chart.warnings.map((w) => `${n.path}: ${w}`), ...n.children.flatMap(loader)];
  return [...loader(tree), ...constraintWarnings(tree)];
}
