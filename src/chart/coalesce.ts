/**
 * helm's value coalescing (pkg/chart/common/util/coalesce.go, v4.1.4) and the Values
 * helpers Table / PathValue (pkg/chart/common/values.go), re-implemented over plain JSON-like
 * objects. Objects are mutated and shared exactly where helm's maps are, so results match in
 * the corner cases (nulls deleting chart defaults, globals copied down, subchart tables merged).
 */
import type { Chart } from '../model/chart.js';
import { setOwn } from './yaml.js';

export type Values = Record<string, unknown>;

/** What coalescing needs of a chart: its (possibly alias) name, default values and subcharts. */
export interface ValuesChart {
  readonly name: string;
  readonly values: Values | null | undefined;
  readonly dependencies: readonly ValuesChart[];
}

/** A type mismatch helm reports as an error ("type mismatch on sub: …"). */
export class CoalesceError extends Error {
  override name = 'CoalesceError';
}

export type WarnFn = (msg: string) => void;

const GLOBAL = 'global';

export function istable(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

const has = (o: Values, k: string): boolean => Object.hasOwn(o, k);

/** copystructure.Copy for JSON-like values. */
export function deepCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(deepCopy) as T;
  if (istable(v)) {
    const out: Values = {};
    const keys = Object.keys(v);
    for (let i = 0; i < keys.length; i++) setOwn(out, keys[i]!, deepCopy(v[keys[i]!]));
    return out as T;
  }
  return v;
}

function concatPrefix(a: string, b: string): string {
  return a === '' ? b : `${a}.${b}`;
}

/** fmt's `%v` for values (enough for the messages helm prints). */
function goFmtV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFmtV).join(' ')}]`;
  if (istable(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goFmtV(v[k])}`).join(' ')}]`;
  return String(v);
}

function goTypeName(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** fmt's `%t` (what helm's "type mismatch" message uses whatever the value's type). */
function goFmtT(v: unknown): string {
  if (typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '%!t(<nil>)';
  return `%!t(${goTypeName(v)}=${goFmtV(v)})`;
}

function asValuesChart(c: ValuesChart | Chart): ValuesChart {
  if ('metadata' in c) return chartValuesView(c);
  return c;
}

/** A ValuesChart over a loaded Chart (names from Chart.yaml, subcharts as loaded). */
export function chartValuesView(c: Chart): ValuesChart {
  let deps: ValuesChart[] | null = null;
  return {
    name: c.metadata.name,
    values: c.values,
    get dependencies() {
      deps ??= c.dependencies.map(chartValuesView);
      return deps;
    },
  };
}

const noWarn: WarnFn = () => {};

/**
 * helm's CoalesceValues: the chart's defaults and its subcharts' defaults (under their names)
 * under the given values, which win; a null in the values deletes the default; `global` is
 * copied down into every subchart. `vals` is not modified.
 */
export function coalesceValues(chart: ValuesChart | Chart, vals: Values | null | undefined, warn: WarnFn = noWarn): Values {
  const copy = deepCopy(vals ?? {});
  return coalesce(asValuesChart(chart), copy, '', false, warn);
}

/** helm's MergeValues: like CoalesceValues but nulls are kept. */
export function mergeValues(chart: ValuesChart | Chart, vals: Values | null | undefined, warn: WarnFn = noWarn): Values {
  const copy = deepCopy(vals ?? {});
  return coalesce(asValuesChart(chart), copy, '', true, warn);
}

/** helm's CoalesceTables: merges src into dst (dst wins); both may be modified. */
export function coalesceTables(dst: Values | null, src: Values | null, warn: WarnFn = noWarn): Values | null {
  return coalesceTablesFullKey(warn, dst, src, '', false);
}

/** helm's MergeTables (nulls kept). */
export function mergeTables(dst: Values | null, src: Values | null, warn: WarnFn = noWarn): Values | null {
  return coalesceTablesFullKey(warn, dst, src, '', true);
}

function coalesce(ch: ValuesChart, dest: Values, prefix: string, merge: boolean, warn: WarnFn): Values {
  coalesceChartValues(warn, ch, dest, prefix, merge);
  return coalesceDeps(warn, ch, dest, prefix, merge);
}

function coalesceDeps(warn: WarnFn, ch: ValuesChart, dest: Values, prefix: string, merge: boolean): Values {
  for (const sub of ch.dependencies) {
    if (!has(dest, sub.name)) setOwn(dest, sub.name, {});
    else if (!istable(dest[sub.name])) throw new CoalesceError(`type mismatch on ${sub.name}: ${goFmtT(dest[sub.name])}`);
    const dvmap = dest[sub.name] as Values;
    const subPrefix = concatPrefix(prefix, ch.name);
    coalesceGlobals(warn, dvmap, dest, subPrefix);
    setOwn(dest, sub.name, coalesce(sub, dvmap, subPrefix, merge, warn));
  }
  return dest;
}

function coalesceGlobals(warn: WarnFn, dest: Values, src: Values, prefix: string): void {
  let dg: Values;
  let sg: Values;
  if (!has(dest, GLOBAL)) dg = {};
  else if (istable(dest[GLOBAL])) dg = dest[GLOBAL];
  else {
    warn(`warning: skipping globals because destination ${GLOBAL} is not a table.`);
    return;
  }
  if (!has(src, GLOBAL)) sg = {};
  else if (istable(src[GLOBAL])) sg = src[GLOBAL];
  else {
    warn(`warning: skipping globals because source ${GLOBAL} is not a table.`);
    return;
  }
  for (const key of Object.keys(sg)) {
    const val = sg[key];
    if (istable(val)) {
      const vv: Values = {};
      for (const k of Object.keys(val)) setOwn(vv, k, val[k]);
      if (!has(dg, key)) setOwn(dg, key, vv);
      else {
        const destv = dg[key];
        if (!istable(destv)) warn(`Conflict: cannot merge map onto non-map for "${key}". Skipping.`);
        else {
          coalesceTablesFullKey(warn, vv, destv, concatPrefix(prefix, key), true);
          setOwn(dg, key, vv);
        }
      }
    } else if (has(dg, key) && istable(dg[key])) {
      warn(`key ${key} is table. Skipping`);
    } else {
      setOwn(dg, key, val);
    }
  }
  setOwn(dest, GLOBAL, dg);
}

function childChartMergeTrue(ch: ValuesChart, key: string, merge: boolean): boolean {
  for (const sub of ch.dependencies) if (sub.name === key) return true;
  return merge;
}

function coalesceChartValues(warn: WarnFn, c: ValuesChart, v: Values, prefix: string, merge: boolean): void {
  const subPrefix = concatPrefix(prefix, c.name);
  const vc = deepCopy(c.values ?? {});
  for (const key of Object.keys(vc)) {
    const val = vc[key];
    if (has(v, key)) {
      const value = v[key];
      if (value === null && !merge) {
        delete v[key];
      } else if (istable(value)) {
        if (!istable(val)) {
          if (val !== null) warn(`warning: skipped value for ${subPrefix}.${key}: Not a table.`);
        } else {
          coalesceTablesFullKey(warn, value, val, concatPrefix(subPrefix, key), childChartMergeTrue(c, key, merge));
        }
      }
    } else {
      setOwn(v, key, val);
    }
  }
}

function coalesceTablesFullKey(warn: WarnFn, dst: Values | null, src: Values | null, prefix: string, merge: boolean): Values | null {
  if (src === null) return dst;
  if (dst === null) return src;
  const srcOriginalNonNil = new Set<string>();
  // index loops: values tables are walked once each, before V8 optimises this; for…of would
  // allocate an iterator result per key
  const srcKeys = Object.keys(src);
  for (let i = 0; i < srcKeys.length; i++) if (src[srcKeys[i]!] !== null) srcOriginalNonNil.add(srcKeys[i]!);
  const dstKeys = Object.keys(dst);
  for (let i = 0; i < dstKeys.length; i++) if (dst[dstKeys[i]!] === null) setOwn(src, dstKeys[i]!, null);
  const keys = Object.keys(src);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const val = src[key];
    const fullkey = concatPrefix(prefix, key);
    const ok = has(dst, key);
    const dv = dst[key];
    if (ok && !merge && dv === null && srcOriginalNonNil.has(key)) {
      delete dst[key];
    } else if (!ok) {
      setOwn(dst, key, val);
    } else if (istable(val)) {
      if (istable(dv)) coalesceTablesFullKey(warn, dv, val, fullkey, merge);
      else warn(`warning: cannot overwrite table with non table for ${fullkey} (${goFmtV(val)})`);
    } else if (istable(dv) && val !== null) {
      warn(`warning: destination for ${fullkey} is a table. Ignoring non-table value (${goFmtV(val)})`);
    }
  }
  return dst;
}

// ---------------------------------------------------------------------------------------
// Values.Table / Values.PathValue

/** helm's ErrNoTable / ErrNoValue. */
export class NoTableError extends Error {
  constructor(readonly key: string) {
    super(`"${key}" is not a table`);
  }
}
export class NoValueError extends Error {
  constructor(readonly key: string) {
    super(`"${key}" is not a value`);
  }
}

function tableLookup(v: Values, simple: string): [Values, NoTableError | null] {
  if (!has(v, simple)) return [v, new NoTableError(simple)];
  const v2 = v[simple];
  if (istable(v2)) return [v2, null];
  return [{}, new NoTableError(simple)];
}

/** helm's Values.Table (dotted names): the table, or a NoTableError. */
export function valuesTable(v: Values, name: string): Values {
  let table = v;
  for (const n of name.split('.')) {
    const [t, err] = tableLookup(table, n);
    table = t;
    if (err) throw err;
  }
  return table;
}

/**
 * helm's Values.PathValue: the non-table value at a dotted path. Throws NoValueError when
 * there is none (and a plain Error for an empty path).
 */
export function pathValue(v: Values, path: string): unknown {
  if (path === '') throw new Error('YAML path cannot be empty');
  const parts = path.split('.');
  if (parts.length === 1) {
    const k = parts[0]!;
    if (has(v, k) && !istable(v[k])) return v[k];
    throw new NoValueError(k);
  }
  const key = parts[parts.length - 1]!;
  let t: Values;
  try {
    t = valuesTable(v, parts.slice(0, -1).join('.'));
  } catch {
    throw new NoValueError(key);
  }
  if (has(t, key) && !istable(t[key])) return t[key];
  throw new NoValueError(key);
}
