/**
 * Which subcharts helm deploys: a port of helm v4.1.4's processDependencyEnabled
 * (pkg/chart/v2/util/dependencies.go) that keeps the disabled instances in the output tree
 * with the reason, and CheckDependencies (pkg/action/install.go).
 *
 * Behaviour kept from helm, including its quirks:
 *  - a chart whose Chart.yaml declares no `dependencies` (absent or null, not `[]`) is not
 *    processed at all: every subchart below it is kept, conditions are never evaluated;
 *  - subcharts in charts/ that match no declared dependency (name + version range) are
 *    always kept; each declared dependency takes the first compatible subchart (copied and
 *    renamed when aliased, so one chart can be deployed several times); a dependency
 *    without a version range matches nothing (Masterminds rejects the empty constraint);
 *  - tags (top-level `tags` table) first, then conditions (first path that resolves to a
 *    boolean wins; paths relative to the parent, helm does not trim spaces after commas);
 *  - disabled dependencies are removed by *name*: an undeclared subchart with the name of a
 *    disabled dependency goes too;
 *  - values for each level come from CoalesceValues of that chart over its parent's
 *    coalesced values; grandchildren copies share metadata with the originals like helm's
 *    shallow copies do.
 */
import type { Chart, ChartNode } from '../model/chart.js';
import { InputError } from '../model/errors.js';
import { CoalesceError, NoValueError, coalesceValues, pathValue, valuesTable, type Values, type ValuesChart } from './coalesce.js';
import { isCompatibleRange, parseConstraints } from './semver-range.js';

/** A *chart.Dependency during processing (the renderer reads the processed ones: .Chart.Dependencies, import-values). */
export interface ProcessedDependency {
  name: string;
  version: string;
  repository: string;
  alias: string;
  condition: string;
  tags: string[];
  enabled: boolean;
  importValues: unknown[] | null;
  /** Why the last evaluation disabled it. */
  reason: string | null;
}
type WDep = ProcessedDependency;

/** The part of a chart's Metadata that processing reads and writes (shared by shallow copies, as in helm). */
export interface ProcessedMetadata {
  /** The chart's name, or the alias it is deployed under. */
  name: string;
  version: string;
  /** The dependencies still declared after processing (null when none). */
  deps: WDep[] | null;
}
type WMeta = ProcessedMetadata;

/** A chart after processDependencyEnabled: its metadata as processing left it and its enabled subcharts. */
export interface ProcessedChart {
  readonly chart: Chart;
  readonly meta: ProcessedMetadata;
  readonly deps: readonly ProcessedChart[];
}

/** A *chart.Chart as processDependencyEnabled sees it. */
class WChart implements ValuesChart {
  /** helm matched it to a dependency of its parent (name and version range). */
  matched = false;
  /** The version range of the dependency it was matched to. */
  matchedRange: string | null = null;
  alias: string | null = null;
  /** For disabled instances: why. */
  reason: string | null = null;

  constructor(
    readonly chart: Chart,
    public meta: WMeta,
    public deps: WChart[],
  ) {}

  get name(): string {
    return this.meta.name;
  }
  get values(): Values {
    return this.chart.values;
  }
  get dependencies(): readonly WChart[] {
    return this.deps;
  }

  static from(chart: Chart): WChart {
    const deps = chart.metadata.dependencies
      ? chart.metadata.dependencies.map((d) => ({
          name: d.name ?? '',
          version: d.version ?? '',
          repository: d.repository ?? '',
          alias: d.alias ?? '',
          condition: d.condition ?? '',
          tags: [...(d.tags ?? [])],
          enabled: false,
          importValues: d['import-values'] ? [...d['import-values']] : null,
          reason: null,
        }))
      : null;
    return new WChart(
      chart,
      { name: chart.metadata.name, version: chart.metadata.version, deps },
      chart.dependencies.map((c) => WChart.from(c)),
    );
  }

  /** `out := *c` (shallow: shares meta and the children list). */
  shallowCopy(): WChart {
    const w = new WChart(this.chart, this.meta, this.deps);
    w.matched = this.matched;
    w.matchedRange = this.matchedRange;
    w.alias = this.alias;
    return w;
  }
}

function copyMetadata(m: WMeta): WMeta {
  return { ...m, deps: m.deps ? m.deps.map((r) => ({ ...r })) : null };
}

function getAliasDependency(charts: WChart[], dep: WDep): WChart | null {
  for (const c of charts) {
    if (c.name !== dep.name) continue;
    if (!isCompatibleRange(dep.version, c.meta.version)) continue;
    const out = new WChart(c.chart, copyMetadata(c.meta), c.deps.map((d) => d.shallowCopy()));
    if (dep.alias !== '') out.meta.name = dep.alias;
    return out;
  }
  return null;
}

function processTags(reqs: WDep[], cvals: Values): void {
  let vt: Values;
  try {
    vt = valuesTable(cvals, 'tags');
  } catch {
    return;
  }
  for (const r of reqs) {
    let hasTrue = false;
    let hasFalse = false;
    const falseTags: string[] = [];
    for (const k of r.tags) {
      if (!Object.hasOwn(vt, k)) continue;
      const b = vt[k];
      if (typeof b === 'boolean') {
        if (b) hasTrue = true;
        else {
          hasFalse = true;
          falseTags.push(k);
        }
      }
    }
    if (!hasTrue && hasFalse) {
      r.enabled = false;
      r.reason = `tag${falseTags.length > 1 ? 's' : ''} ${falseTags.join(', ')} ${falseTags.length > 1 ? 'are' : 'is'} false`;
    } else {
      r.enabled = true;
      r.reason = null;
    }
  }
}

function processConditions(reqs: WDep[], cvals: Values, cpath: string): void {
  for (const r of reqs) {
    for (const c of r.condition.trim().split(',')) {
      if (c.length === 0) continue;
      let vv: unknown;
      try {
        vv = pathValue(cvals, cpath + c);
      } catch (e) {
        if (e instanceof NoValueError) continue;
        continue;
      }
      if (typeof vv === 'boolean') {
        r.enabled = vv;
        r.reason = vv ? null : `condition ${c} is false`;
        break;
      }
    }
  }
}

class Resolver {
  /** For each processed chart: all its instances (helm's order) and the ones removed. */
  private readonly instances = new Map<WChart, { all: WChart[]; gone: Set<WChart> }>();

  process(c: WChart, v: Values, path: string): void {
    const reqs = c.meta.deps;
    if (reqs === null) return;
    const chartDependencies: WChart[] = [];
    outer: for (const existing of c.deps) {
      for (const req of reqs) {
        if (existing.name === req.name && isCompatibleRange(req.version, existing.meta.version)) continue outer;
      }
      chartDependencies.push(existing);
    }
    for (const req of reqs) {
      const cd = getAliasDependency(c.deps, req);
      if (cd) {
        cd.matched = true;
        cd.matchedRange = req.version;
        cd.alias = req.alias !== '' ? req.alias : null;
        chartDependencies.push(cd);
      }
      if (req.alias !== '') req.name = req.alias;
    }
    c.deps = chartDependencies;
    for (const lr of reqs) {
      lr.enabled = true;
      lr.reason = null;
    }
    const cvals = coalesceValues(c, v);
    processTags(reqs, cvals);
    processConditions(reqs, cvals, path);

    const rm = new Map<string, WDep>();
    for (const r of reqs) if (!r.enabled) rm.set(r.name, r);
    const cd: WChart[] = [];
    const gone = new Set<WChart>();
    for (const n of c.deps) {
      const r = rm.get(n.name);
      if (!r) {
        cd.push(n);
        continue;
      }
      gone.add(n);
      const why = r.reason ?? 'disabled';
      // A declared chart outside its range is removed by the same name match; say why plainly.
      n.reason = n.matched || declaredRange(c.chart, n.chart.metadata.name) !== null
        ? why
        : `removed because dependency ${JSON.stringify(r.name)} is disabled (${why}): helm removes subcharts by name`;
    }
    const cdMetadata = reqs.filter((r) => !rm.has(r.name));
    for (const t of cd) this.process(t, cvals, `${path}${t.name}.`);
    c.meta.deps = cdMetadata.length > 0 ? cdMetadata : null;
    this.instances.set(c, { all: chartDependencies, gone });
    c.deps = cd;
  }

  node(w: WChart, path: string, enabled: boolean, reason: string | null, parent: Chart | null): ChartNode {
    const md = w.chart.metadata;
    const constraint = w.matchedRange ?? (parent ? declaredRange(parent, md.name) : null);
    const node: ChartNode = {
      path,
      name: md.name,
      alias: w.alias,
      version: md.version,
      appVersion: md.appVersion ?? null,
      enabled,
      reason: enabled ? null : reason,
      declared: constraint !== null,
      constraint,
      constraintSatisfied: constraint === null ? null : w.matched || isCompatibleRange(constraint, md.version),
      chart: w.chart,
      children: [],
    };
    const inst = this.instances.get(w);
    const all = inst ? inst.all : w.deps;
    for (const child of all) {
      const childEnabled = enabled && !(inst?.gone.has(child) ?? false);
      const childReason = enabled ? child.reason : 'parent disabled';
      node.children.push(this.node(child, `${path}/charts/${child.name}`, childEnabled, childReason, w.chart));
    }
    return node;
  }
}

/**
 * The deployed chart tree for `values` (the user's values: `-f` files and `--set`, already
 * merged; chart defaults are coalesced in here as helm does). Disabled subcharts stay in the
 * tree with `enabled: false` and a reason; their descendants are disabled with
 * `parent disabled`. Throws InputError where helm fails ("chart dependencies processing
 * failed: type mismatch on …").
 */
export function resolveChartTree(chart: Chart, values: Record<string, unknown>): ChartNode {
  const top = WChart.from(chart);
  const r = new Resolver();
  try {
    r.process(top, values ?? {}, '');
  } catch (e) {
    if (e instanceof CoalesceError) {
      throw new InputError(`${chart.metadata.name}: chart dependencies processing failed: ${e.message}`, chart.metadata.name);
    }
    throw e;
  }
  return r.node(top, chart.metadata.name, true, null, null);
}

/**
 * helm's processDependencyEnabled on a fresh copy of the loaded tree, for the renderer (which
 * goes on with import-values): the enabled charts, aliases applied, metadata shared between
 * copies where helm's shallow copies share it. Throws CoalesceError where helm fails.
 */
export function processDependencyEnabled(chart: Chart, values: Record<string, unknown>): ProcessedChart {
  const top = WChart.from(chart);
  new Resolver().process(top, values ?? {}, '');
  return top;
}

/**
 * The version range `parent`'s Chart.yaml (or requirements.yaml) declares for a subchart named
 * `name`, or null when it declares none. Subcharts below a disabled or unmatched one are never
 * processed by helm, so their declaration is read here rather than from the matching.
 */
function declaredRange(parent: Chart, name: string): string | null {
  const dep = parent.metadata.dependencies?.find((d) => d.name === name);
  return dep ? (dep.version ?? '') : null;
}

/**
 * What helm's `dependency list` says of bundled subcharts whose version the parent's declared
 * range excludes ("wrong version", or "invalid constraint" when the range does not parse).
 * helm template and install deploy such a subchart anyway, as one the parent does not declare.
 */
export function constraintWarnings(node: ChartNode): string[] {
  const own: string[] = [];
  if (node.constraintSatisfied === false && node.constraint !== null) {
    const parentPath = node.path.replace(/\/charts\/[^/]+$/, '');
    const range = JSON.stringify(node.constraint);
    const deployed = node.enabled ? '; helm deploys it anyway' : '';
    own.push(
      parseConstraints(node.constraint) === null
        ? `${node.path}: ${parentPath} declares version ${range} for ${node.name}, which is not a version range (helm dependency list: invalid constraint)${deployed}`
        : `${node.path}: bundled version ${node.version} is outside the range ${range} that ${parentPath} declares (helm dependency list: wrong version)${deployed}`,
    );
  }
  return [...own, ...node.children.flatMap(constraintWarnings)];
}

/**
 * helm's CheckDependencies at install/template time: every dependency declared by the top
 * chart must be present in charts/ (compared by name only).
 */
export function checkDependencies(chart: Chart): void {
  const reqs = chart.metadata.dependencies ?? [];
  if (reqs.length === 0) return;
  const present = new Set(chart.dependencies.map((d) => d.metadata.name));
  const missing = reqs.filter((r) => !present.has(r.name)).map((r) => r.name);
  if (missing.length > 0) {
    throw new InputError(
      'an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: ' +
        `found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`,
      chart.metadata.name,
    );
  }
}

/** Enabled instances of the tree, depth first (the charts helm renders). */
export function enabledNodes(node: ChartNode): ChartNode[] {
  if (!node.enabled) return [];
  return [node, ...node.children.flatMap(enabledNodes)];
}

