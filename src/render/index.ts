/**
 * The render stage: `helm template` (helm v4.1.4) without helm.
 *
 * Public API
 * ----------
 * - `buildUserValues({ valuesFiles, set, setString, setJson, setFile, setLiteral }, readFile?)`
 *   → the user values, merged in helm's order (`-f` files, then `--set-json`, `--set`,
 *   `--set-string`, `--set-file`, `--set-literal`). `readFile(path)` serves `--set-file`.
 * - `renderChart(chart, opts)` → `RenderResult`: runs helm's install pipeline in client
 *   mode: installable check, dependency check, ProcessDependencies (conditions, tags,
 *   aliases, import-values), CoalesceValues, values.schema.json validation, kubeVersion
 *   check, template rendering, NOTES.txt, manifest splitting and install-order sorting.
 *   `opts`: `releaseName` (default `release-name`), `namespace` (`default`), `values` (user
 *   values from buildUserValues), `kubeVersion`, `apiVersions`, `includeCrds`, `isUpgrade`,
 *   `skipSchemaValidation`.
 * - `formatTemplateOutput(result, { showOnly?, skipTests? })` → exactly what
 *   `helm template` prints on stdout.
 *
 * Errors: `InputError` (src/model/errors.ts) with helm's message (without helm's `Error: `
 * prefix): values files, `--set` syntax, schema failures, template parse/execution errors
 * (`execution error at (chart/templates/x.yaml:3:4): message`), YAML errors in rendered
 * manifests, `--show-only` patterns that match nothing. `UsageError` for a bad
 * `--kube-version`.
 *
 * Values model: YAML numbers are float64 (JS number), `--set` integers int64 (bigint in raw
 * values, `int64` GoScalar in templates). See values.ts.
 */
import { checkDependencies, resolveChartTree } from '../chart/dependencies.js';
import { coalesceValues } from '../chart/coalesce.js';
import { isCompatibleRange } from '../chart/semver-range.js';
import type { Chart, ChartNode } from '../model/chart.js';
import { InputError, UsageError } from '../model/errors.js';
import { capabilitiesValue, makeCapabilities, type Capabilities } from './capabilities.js';
import { TemplateRenderError, renderTemplates } from './engine.js';
import { ManifestError, ShowOnlyError, goTrimSpace, showOnly as filterShowOnly, sortManifests } from './manifests.js';
import { processDependencies, type RChart } from './process.js';
import { noteDocumentValue } from './resources.js';
import { validateAgainstSchema } from './schema.js';
import { toValuesMap } from './values.js';
import type { GoMap, ParsedTreeStore } from './template/index.js';
import { setKeyGeneration, type KeyGeneration } from './sprig/keys.js';
import { ambientReads } from './sprig/ambient.js';

export { buildUserValues, toTemplateValue, toValuesMap, VALUES_TYPE } from './values.js';
export type { ValuesOptions, ReadFile } from './values.js';
export { parseKubeVersion, makeCapabilities, DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION } from './capabilities.js';
export { splitManifests, sortManifests, INSTALL_ORDER } from './manifests.js';
export { validateAgainstSchema, validateAgainstSingleSchema } from './schema.js';
export { compileGlob } from './files.js';

export interface RenderOptions {
  /** `.Release.Name`; helm template's default is `release-name`. */
  releaseName?: string;
  /** `.Release.Namespace`; default `default`. */
  namespace?: string;
  /** User values (already merged, see buildUserValues). */
  values?: Record<string, unknown>;
  /** `--kube-version` (e.g. `1.29`, `v1.30.2`). */
  kubeVersion?: string;
  /** `--api-versions` (each entry may be a comma-separated list). */
  apiVersions?: string[];
  /** `--include-crds`: put the charts' crds/ files in front of the manifests. */
  includeCrds?: boolean;
  /** `--is-upgrade`. */
  isUpgrade?: boolean;
  /** `--skip-schema-validation`. */
  skipSchemaValidation?: boolean;
  /**
   * Keys that templates generate (genPrivateKey, genCA, …): `secure` (default) for output people
   * deploy; `throwaway` for renders nobody sees (images, scan), see sprig/keys.ts.
   */
  keys?: KeyGeneration;
  /** Parsed templates kept between runs (src/cache/templates.ts); none: every text is parsed. */
  parsedTrees?: ParsedTreeStore;
}

export interface RenderedManifest {
  /** The `# Source:` path, e.g. `storefront/charts/queue/templates/master/application.yaml`. */
  source: string;
  /** The chart instance that owns it, e.g. `storefront/charts/queue`. */
  chartPath: string;
  /** The document text as helm prints it. */
  content: string;
  /** `crd` (crds/ files, only with includeCrds), `manifest`, or `hook`. */
  section: 'crd' | 'manifest' | 'hook';
  kind?: string;
  name?: string;
  /** For hooks: the `helm.sh/hook` events (comma-joined, normalised). */
  hook?: string;
  /** For hooks: the hook weight. */
  hookWeight?: number;
}

export interface RenderResult {
  /** In helm template's print order: CRDs (if requested), manifests by install order, hooks. */
  manifests: RenderedManifest[];
  /** The top chart's rendered NOTES.txt, if it has one. */
  notes?: string;
  /** The deployed chart tree (disabled subcharts kept, flagged). */
  tree: ChartNode;
  /** Every crds/ file of the enabled charts (printed only with includeCrds). */
  crds: { source: string; chartPath: string; content: string }[];
}

/**
 * How many times templates have read the machine's clock or time zone in this process: a render
 * during which it grew depends on when and where it ran, not only on the chart, values and
 * settings.
 */
export const ambientReadCount = (): number => ambientReads.count;

function chartPathOf(source: string, dir: 'templates' | 'crds'): string {
  const i = source.lastIndexOf(`/${dir}/`);
  return i >= 0 ? source.slice(0, i) : source;
}

function hasManifestExtension(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const ext = dot >= 0 ? base.slice(dot).toLowerCase() : '';
  return ext === '.yaml' || ext === '.yml' || ext === '.json';
}

function cleanJoin(a: string, b: string): string {
  const parts: string[] = [];
  for (const p of `${a}/${b}`.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') { if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop(); else parts.push('..'); continue; }
    parts.push(p);
  }
  return parts.join('/');
}

/** helm's CRDObjects: crds/*.{yaml,yml,json} of the chart, then of its enabled subcharts. */
function crdObjects(c: RChart): RenderResult['crds'] {
  const out: RenderResult['crds'] = [];
  for (const f of c.chart.files) {
    if (f.name.startsWith('crds/') && hasManifestExtension(f.name)) {
      out.push({ source: cleanJoin(c.fullPath(), f.name), chartPath: c.fullPath(), content: f.data.toString('utf8') });
    }
  }
  for (const d of c.deps) out.push(...crdObjects(d));
  return out;
}

function releaseMap(name: string, namespace: string, isUpgrade: boolean): GoMap {
  return { Name: name, Namespace: namespace, IsUpgrade: isUpgrade, IsInstall: !isUpgrade, Revision: 1n, Service: 'Helm' };
}

/** Renders a loaded chart like `helm template`. Throws InputError / UsageError. */
export function renderChart(chart: Chart, opts: RenderOptions = {}): RenderResult {
  setKeyGeneration(opts.keys ?? 'secure');
  try {
    return renderWithKeys(chart, opts);
  } finally {
    setKeyGeneration('secure');
  }
}

function renderWithKeys(chart: Chart, opts: RenderOptions): RenderResult {
  const releaseName = opts.releaseName ?? 'release-name';
  const namespace = opts.namespace ?? 'default';
  const userValues = opts.values ?? {};
  let caps: Capabilities;
  try {
    caps = makeCapabilities({ kubeVersion: opts.kubeVersion, apiVersions: opts.apiVersions });
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message);
    throw e;
  }

  const type = chart.metadata.type ?? '';
  if (type !== '' && type !== 'application') throw new InputError(`${type} charts are not installable`, chart.metadata.name);
  if ((chart.metadata.dependencies ?? []).length > 0) checkDependencies(chart);

  const root = processDependencies(chart, userValues);
  const tree = resolveChartTree(chart, userValues);

  // ToRenderValuesWithSchemaValidation
  const vals = coalesceValues(root, userValues);
  if (!opts.skipSchemaValidation) {
    const err = validateAgainstSchema(root, vals);
    if (err !== null) {
      throw new InputError(`values don't meet the specifications of the schema(s) in the following chart(s):\n${err}`, chart.metadata.name);
    }
  }
  const capsValue = capabilitiesValue(caps);
  const top: GoMap = {
    Chart: null,
    Capabilities: capsValue,
    Release: releaseMap(releaseName, namespace, opts.isUpgrade ?? false),
    Values: toValuesMap(vals),
  };

  // renderResources
  const kubeVersionConstraint = chart.metadata.kubeVersion ?? '';
  if (kubeVersionConstraint !== '' && !isCompatibleRange(kubeVersionConstraint, caps.kube.normalized)) {
    throw new InputError(`chart requires kubeVersion: ${kubeVersionConstraint} which is incompatible with Kubernetes ${caps.kube.version}`, chart.metadata.name);
  }
  let files: Map<string, string>;
  try {
    files = renderTemplates(root, top, { parsedTrees: opts.parsedTrees });
  } catch (e) {
    if (e instanceof TemplateRenderError) throw new InputError(e.message, e.file);
    throw e;
  }
  let notes: string | undefined;
  const notesKey = `${root.name}/templates/NOTES.txt`;
  for (const k of [...files.keys()]) {
    if (k.endsWith('NOTES.txt')) {
      if (k === notesKey) notes = files.get(k);
      files.delete(k);
    }
  }
  let sorted: ReturnType<typeof sortManifests>;
  try {
    sorted = sortManifests(files);
  } catch (e) {
    if (e instanceof ManifestError) throw new InputError(e.message, e.file);
    throw e;
  }
  const crds = crdObjects(root);
  const manifests: RenderedManifest[] = [];
  if (opts.includeCrds) {
    for (const c of crds) manifests.push({ source: c.source, chartPath: c.chartPath, content: c.content, section: 'crd' });
  }
  for (const m of sorted.manifests) {
    const rendered: RenderedManifest = {
      source: m.name, chartPath: chartPathOf(m.name, 'templates'), content: m.content, section: 'manifest',
      kind: m.head.kind || undefined, name: m.head.metadata?.name || undefined,
    };
    noteDocumentValue(rendered, m.value);
    manifests.push(rendered);
  }
  for (const h of sorted.hooks) {
    const rendered: RenderedManifest = {
      source: h.path, chartPath: chartPathOf(h.path, 'templates'), content: h.manifest, section: 'hook',
      kind: h.kind || undefined, name: h.name || undefined, hook: h.events.join(','), hookWeight: h.weight,
    };
    noteDocumentValue(rendered, h.value);
    manifests.push(rendered);
  }
  const result: RenderResult = { manifests, tree, crds };
  if (notes !== undefined) result.notes = notes;
  return result;
}

export interface FormatOptions {
  /** `--show-only` patterns (Go filepath.Match against the path below the chart name). */
  showOnly?: string[];
  /** `--skip-tests`: leave out hooks with the `test` event. */
  skipTests?: boolean;
}

/** What `helm template` prints for a render result. Throws InputError for an unmatched --show-only. */
export function formatTemplateOutput(result: RenderResult, opts: FormatOptions = {}): string {
  let b = '';
  for (const m of result.manifests) {
    if (m.section === 'hook') continue;
    b += `---\n# Source: ${m.source}\n${m.content}\n`;
  }
  let out = `${goTrimSpace(b)}\n`;
  for (const m of result.manifests) {
    if (m.section !== 'hook') continue;
    if (opts.skipTests && (m.hook ?? '').split(',').includes('test')) continue;
    out += `---\n# Source: ${m.source}\n${m.content}\n`;
  }
  if (opts.showOnly && opts.showOnly.length > 0) {
    try {
      return filterShowOnly(out, opts.showOnly);
    } catch (e) {
      if (e instanceof ShowOnlyError) throw new InputError(e.message);
      throw e;
    }
  }
  return out;
}
