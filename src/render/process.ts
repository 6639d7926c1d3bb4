/**
 * The chart tree as helm v4.1.4 renders it: ProcessDependencies (pkg/chart/v2/util/
 * dependencies.go) = processDependencyEnabled (chart/dependencies.ts, the one implementation:
 * aliases become copies named after the alias, disabled dependencies removed, tags then
 * conditions) followed by processDependencyImportValues (import-values and `exports.` imports
 * merged into each parent's default values, bottom-up, with MergeValues semantics: nulls kept).
 *
 * `RChart` mirrors helm's *chart.Chart after processing: its name (alias applied), its
 * metadata dependencies as rewritten by processing, its (possibly replaced) default values
 * and enabled subcharts. Metadata is shared exactly where helm's shallow copies share it.
 */
import { mergeValues, mergeTables, valuesTable, CoalesceError, deepCopy, type Values, type ValuesChart } from '../chart/coalesce.js';
import { processDependencyEnabled, type ProcessedChart, type ProcessedDependency, type ProcessedMetadata } from '../chart/dependencies.js';
import type { Chart } from '../model/chart.js';
import { InputError } from '../model/errors.js';

/** A *chart.Dependency after processing. */
export type RDep = ProcessedDependency;

export class RChart implements ValuesChart {
  parent: RChart | null = null;
  deps: RChart[] = [];

  constructor(
    readonly chart: Chart,
    /** Shared with other instances where helm's shallow copies share it (import-values rewrites it). */
    readonly meta: ProcessedMetadata,
    public values: Values,
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

  static from(p: ProcessedChart): RChart {
    const c = new RChart(p.chart, p.meta, p.chart.values);
    for (const d of p.deps) {
      const child = RChart.from(d);
      child.parent = c;
      c.deps.push(child);
    }
    return c;
  }
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
  try {
    const top = RChart.from(processDependencyEnabled(chart, values ?? {}));
    processDependencyImportValues(top);
    return top;
  } catch (e) {
    if (e instanceof CoalesceError) throw new InputError(`chart dependencies processing failed: ${e.message}`, chart.metadata.name);
    throw e;
  }
}

/** All charts of the processed tree, depth first. */
export function allCharts(c: RChart): RChart[] {
  return [c, ...c.deps.flatMap(allCharts)];
}
