/**
 * The chart tree as helm v4.1.4 renders it: ProcessDependencies (pkg/chart/v2/util/
 * dependencies.go) = processDependencyEnabled (aliases become copies named after the alias,
 * disabled dependencies removed, tags then conditions) followed by
 * processDependencyImportValues (import-values and `exports.` imports merged into each
 * parent's default values, bottom-up, with MergeValues semantics: nulls kept).
 *
 * `RChart` mirrors helm's *chart.Chart after processing: its name (alias applied), its
 * metadata dependencies as rewritten by processing, its (possibly replaced) default values
 * and enabled subcharts. Shallow copies share metadata exactly where helm's do.
 */
import { coalesceValues, mergeValues, mergeTables, valuesTable, pathValue, CoalesceError, NoValueError, deepCopy, type Values, type ValuesChart } from '../chart/coalesce.js';
import { isCompatibleRange } from '../chart/semver-range.js';
import type { Chart } from '../model/chart.js';
import { InputError } from '../model/errors.js';

/** A *chart.Dependency during processing. */
export interface RDep {
  name: string;
  version: string;
  repository: string;
  condition: string;
  tags: string[];
  enabled: boolean;
  importValues: unknown[] | null;
  alias: string;
}

/** The parts of *chart.Metadata processing reads and writes (shared by shallow copies). */
export interface RMeta {
  name: string;
  version: string;
  deps: RDep[] | null;
}

export class RChart implements ValuesChart {
  parent: RChart | null = null;

  constructor(
    readonly chart: Chart,
    public meta: RMeta,
    public values: Values,
    public deps: RChart[],
  ) {}

  get name(): string { return this.meta.name; }
  get dependencies(): readonly RChart[] { return this.deps; }
  get isRoot(): boolean { return this.parent === null; }

  /** helm's ChartFullPath: `top/charts/sub/charts/subsub`. */
  fullPath(): string {
    return this.parent ? `${this.parent.fullPath()}/charts/${this.name}` : this.name;
  }

  isLibrary(): boolean {
    return (this.chart.metadata.type ?? '').toLowerCase() === 'library';
  }

  setDependencies(deps: RChart[]): void {
    this.deps = [];
    for (const d of deps) { d.parent = this; this.deps.push(d); }
  }

  static from(chart: Chart): RChart {
    const c = new RChart(chart, {
      name: chart.metadata.name,
      version: chart.metadata.version,
      deps: chart.metadata.dependencies
        ? chart.metadata.dependencies.map((d) => ({
          name: d.name ?? '',
          version: d.version ?? '',
          repository: d.repository ?? '',
          condition: d.condition ?? '',
          tags: [...(d.tags ?? [])],
          enabled: false,
          importValues: d['import-values'] ? [...d['import-values']] : null,
          alias: d.alias ?? '',
        }))
        : null,
    }, chart.values, []);
    c.setDependencies(chart.dependencies.map((d) => RChart.from(d)));
    return c;
  }

  /** `cpy := *c` */
  shallowCopy(): RChart {
    const c = new RChart(this.chart, this.meta, this.values, this.deps);
    c.parent = this.parent;
    return c;
  }
}

function copyMetadata(m: RMeta): RMeta {
  return { ...m, deps: m.deps ? m.deps.map((d) => ({ ...d })) : null };
}

function getAliasDependency(charts: readonly RChart[], dep: RDep): RChart | null {
  for (const c of charts) {
    if (c.name !== dep.name) continue;
    if (!isCompatibleRange(dep.version, c.meta.version)) continue;
    const out = new RChart(c.chart, copyMetadata(c.meta), c.values, []);
    out.parent = c.parent;
    out.setDependencies(c.deps.map((d) => d.shallowCopy()));
    if (dep.alias !== '') out.meta.name = dep.alias;
    return out;
  }
  return null;
}

function processTags(reqs: RDep[], cvals: Values): void {
  let vt: Values;
  try {
    vt = valuesTable(cvals, 'tags');
  } catch {
    return;
  }
  for (const r of reqs) {
    let hasTrue = false;
    let hasFalse = false;
    for (const k of r.tags) {
      if (!Object.hasOwn(vt, k)) continue;
      const b = vt[k];
      if (typeof b === 'boolean') {
        if (b) hasTrue = true; else hasFalse = true;
      }
    }
    if (!hasTrue && hasFalse) r.enabled = false;
    else r.enabled = true;
  }
}

function processConditions(reqs: RDep[], cvals: Values, cpath: string): void {
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
      if (typeof vv === 'boolean') { r.enabled = vv; break; }
    }
  }
}

function processDependencyEnabled(c: RChart, v: Values, path: string): void {
  const reqs0 = c.meta.deps;
  if (reqs0 === null) return;
  const chartDependencies: RChart[] = [];
  outer: for (const existing of c.deps) {
    for (const req of reqs0) {
      if (existing.name === req.name && isCompatibleRange(req.version, existing.meta.version)) continue outer;
    }
    chartDependencies.push(existing);
  }
  for (const req of reqs0) {
    const cd = getAliasDependency(c.deps, req);
    if (cd) chartDependencies.push(cd);
    if (req.alias !== '') req.name = req.alias;
  }
  c.setDependencies(chartDependencies);
  for (const lr of reqs0) lr.enabled = true;
  const cvals = coalesceValues(c, v);
  processTags(reqs0, cvals);
  processConditions(reqs0, cvals, path);
  const rm = new Set<string>();
  for (const r of reqs0) if (!r.enabled) rm.add(r.name);
  const cd = c.deps.filter((n) => !rm.has(n.meta.name));
  const cdMetadata = reqs0.filter((n) => !rm.has(n.name));
  for (const t of cd) processDependencyEnabled(t, cvals, `${path}${t.meta.name}.`);
  c.meta.deps = cdMetadata.length > 0 ? [...cdMetadata] : null;
  c.setDependencies(cd);
}

function goSprintV(x: unknown): string {
  if (x === null || x === undefined) return '<nil>';
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'bigint' || typeof x === 'boolean') return String(x);
  if (Array.isArray(x)) return `[${x.map(goSprintV).join(' ')}]`;
  const o = x as Record<string, unknown>;
  return `map[${Object.keys(o).sort().map((k) => `${k}:${goSprintV(o[k])}`).join(' ')}]`;
}

function pathToMap(path: string, data: Values): Values {
  if (path === '.') return data;
  const parts = path.split('.');
  let cur: Values = data;
  for (let i = parts.length - 1; i >= 0; i--) {
    const m: Values = {};
    Object.defineProperty(m, parts[i]!, { value: cur, enumerable: true, writable: true, configurable: true });
    cur = m;
  }
  return cur;
}

function processImportValues(c: RChart): void {
  const reqs = c.meta.deps;
  if (reqs === null) return;
  const cvals = mergeValues(c, null);
  let b: Values = {};
  for (const r of reqs) {
    const outiv: unknown[] = [];
    for (const riv of r.importValues ?? []) {
      if (typeof riv === 'string') {
        const child = `exports.${riv}`;
        outiv.push({ child, parent: '.' });
        let vm: Values;
        try {
          vm = valuesTable(cvals, `${r.name}.${child}`);
        } catch {
          continue;
        }
        b = mergeTables(b, vm) ?? b;
      } else if (riv !== null && typeof riv === 'object' && !Array.isArray(riv)) {
        const iv = riv as Record<string, unknown>;
        const child = goSprintV(iv.child);
        const parent = goSprintV(iv.parent);
        outiv.push({ child, parent });
        let vv: Values;
        try {
          vv = valuesTable(cvals, `${r.name}.${child}`);
        } catch {
          continue;
        }
        b = mergeTables(b, pathToMap(parent, vv)) ?? b;
      }
    }
    r.importValues = outiv;
  }
  c.values = mergeTables(deepCopy(cvals), b) ?? {};
}

function processDependencyImportValues(c: RChart): void {
  for (const d of c.deps) processDependencyImportValues(d);
  processImportValues(c);
}

/**
 * helm's ProcessDependencies on a fresh copy of the loaded chart tree. Throws InputError
 * `chart dependencies processing failed: …` like helm.
 */
export function processDependencies(chart: Chart, values: Values): RChart {
  const top = RChart.from(chart);
  try {
    processDependencyEnabled(top, values ?? {}, '');
    processDependencyImportValues(top);
  } catch (e) {
    if (e instanceof CoalesceError) throw new InputError(`chart dependencies processing failed: ${e.message}`, chart.metadata.name);
    throw e;
  }
  return top;
}

/** All charts of the processed tree, depth first. */
export function allCharts(c: RChart): RChart[] {
  return [c, ...c.deps.flatMap(allCharts)];
}
