/**
 * sprig's dict.go: dict, get, set, unset, hasKey, pluck, keys, pick, omit, values, dig,
 * merge / mergeOverwrite (dario.cat/mergo v1.0.1 semantics, including its in-place
 * mutation of nested maps) and deepCopy (mitchellh/copystructure).
 */
import {
  GO_TYPE, GoError, GoStruct, T_MAP_IFACE, isGoMap, typeOf, withType,
  type FuncMap, type GoMap, type GoValue, type Value,
} from '../template/index.js';
import { assertionError, empty, fn, hasOwn, mapSet, strval } from './util.js';
import { noteMapWrite, noteNewMap } from './effects.js';

// ---------------------------------------------------------------------------
// mergo

/** The concrete reflect kind of an interface element. */
function concreteKind(v: GoValue): string {
  if (v === null) return 'invalid';
  const k = typeOf(v).kind;
  return k;
}

/** mergo's isEmptyValue with dereferencing (ShouldNotDereference false). */
function mergoEmpty(v: GoValue | undefined): boolean {
  if (v === undefined || v === null) return true;
  if (v instanceof GoStruct) return v.pointer ? v.nil : false;
  return empty(v);
}

/** mergo deepMerge for two maps (dst is mutated). */
function mergeMaps(dst: GoMap, src: GoMap, overwrite: boolean, depth: number): void {
  if (depth > 10000) throw new GoError('runtime: goroutine stack exceeds 1000000000-byte limit');
  noteMapWrite(dst);
  const dstIsIface = (typeOf(dst).elem ?? T_MAP_IFACE.elem!).kind === 'interface';
  const srcIsIface = (typeOf(src).elem ?? T_MAP_IFACE.elem!).kind === 'interface';
  for (const key of Object.keys(src)) {
    const srcElement = src[key]!;
    const dstHas = hasOwn(dst, key);
    const dstElement = dstHas ? dst[key]! : undefined;
    // srcElement.Kind(): Interface for map[string]interface{} elements.
    const srcKind = srcIsIface ? 'interface' : concreteKind(srcElement);
    if (['chan', 'func', 'map', 'interface', 'slice'].includes(srcKind) && srcElement === null) {
      if (overwrite) mapSet(dst, key, null);
      continue;
    }
    const ck = concreteKind(srcElement);
    if (ck === 'map' || ck === 'struct' || ck === 'ptr') {
      if (ck === 'map' && dstHas && dstElement !== null && isGoMap(dstElement)) {
        mergeMaps(dstElement, srcElement as GoMap, overwrite, depth + 1);
      }
    } else if (ck === 'slice') {
      // mergo tests the emptiness of the parent maps here, not of the elements.
      let dstSlice: GoValue;
      if (!dstHas || dstElement === null) dstSlice = withType([], typeOf(srcElement));
      else dstSlice = dstElement!;
      if (!mergoEmpty(src) && (overwrite || mergoEmpty(dst))) dstSlice = srcElement;
      if (!dstIsIface && typeOf(dstSlice) !== typeOf(dst).elem) {
        throw new GoError(`reflect.Value.SetMapIndex: value of type ${typeOf(dstSlice).name} is not assignable to type ${typeOf(dst).elem!.name}`);
      }
      mapSet(dst, key, dstSlice);
    }
    if (dstHas && !mergoEmpty(dstElement)) {
      if (ck === 'slice') continue;
      if (ck === 'map' && dstElement !== null && concreteKind(dstElement!) === 'map') continue;
    }
    const srcIsPtr = srcKind === 'ptr';
    if ((!srcIsPtr && overwrite) || !dstHas || mergoEmpty(dstElement)) {
      if (!dstIsIface && srcElement !== null && typeOf(srcElement) !== typeOf(dst).elem) {
        throw new GoError(`reflect.Value.SetMapIndex: value of type ${typeOf(srcElement).name} is not assignable to type ${typeOf(dst).elem!.name}`);
      }
      mapSet(dst, key, srcElement);
    }
  }
}

export function merge(dst: GoMap, srcs: GoMap[], overwrite: boolean): GoMap {
  for (const src of srcs) {
    if (typeOf(dst).name !== typeOf(src).name && !(typeOf(dst).underlying === T_MAP_IFACE && typeOf(src).underlying === T_MAP_IFACE)) {
      throw new GoError('src and dst must be of same type');
    }
    mergeMaps(dst, src, overwrite, 0);
  }
  return dst;
}

// ---------------------------------------------------------------------------
// copystructure

export function deepCopyValue(v: Value, depth = 0): GoValue {
  if (depth > 10000) throw new GoError('deepCopy error: too deep');
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return v.slice();
  if (Array.isArray(v)) {
    const out = v.map((x) => deepCopyValue(x, depth + 1));
    const t = (v as unknown as { [GO_TYPE]?: unknown })[GO_TYPE];
    return t ? withType(out, typeOf(v)) : out;
  }
  if (isGoMap(v)) {
    const out: GoMap = {};
    for (const k of Object.keys(v)) mapSet(out, k, deepCopyValue(v[k], depth + 1));
    const t = (v as { [GO_TYPE]?: unknown })[GO_TYPE];
    return t ? withType(out, typeOf(v)) : out;
  }
  return v;
}

/** copystructure.Copy panics on a nil interface (reflect on the zero Value). */
function deepCopyChecked(v: Value): GoValue {
  if (v === null || v === undefined) throw new GoError('reflect: call of reflect.Value.Type on zero Value');
  return deepCopyValue(v);
}

// ---------------------------------------------------------------------------

function asDict(v: Value): GoMap {
  if (v !== null && v !== undefined && isGoMap(v) && typeOf(v) === T_MAP_IFACE) return v;
  throw assertionError(v, 'map[string]interface {}');
}

function digFromDict(dict: GoMap, d: GoValue, ks: string[]): GoValue {
  const [k, ...ns] = ks;
  if (!hasOwn(dict, k!)) return d;
  const step = dict[k!]!;
  if (ns.length === 0) return step;
  return digFromDict(asDict(step), d, ns);
}

const M = 'map[string]interface {}';
const IF = 'interface {}';

export function dictFuncs(): FuncMap {
  const mergeFn = (overwrite: boolean) => (dst: GoMap, ...srcs: GoMap[]) => merge(dst, srcs, overwrite);
  return {
    dict: fn(`func(...${IF}) ${M}`, (...v: Value[]) => {
      const d: GoMap = {};
      noteNewMap(d);
      for (let i = 0; i < v.length; i += 2) {
        const key = strval(v[i] ?? null);
        mapSet(d, key, i + 1 >= v.length ? '' : (v[i + 1] ?? null));
      }
      return d;
    }),
    get: fn(`func(${M}, string) ${IF}`, (d: GoMap, key: string) => (hasOwn(d, key) ? d[key]! : '')),
    set: fn(`func(${M}, string, ${IF}) ${M}`, (d: GoMap, key: string, value: Value) => { noteMapWrite(d); mapSet(d, key, value ?? null); return d; }),
    unset: fn(`func(${M}, string) ${M}`, (d: GoMap, key: string) => { noteMapWrite(d); delete d[key]; return d; }),
    hasKey: fn(`func(${M}, string) bool`, (d: GoMap, key: string) => hasOwn(d, key)),
    pluck: fn(`func(string, ...${M}) []interface {}`, (key: string, ...ds: GoMap[]) => ds.filter((d) => hasOwn(d, key)).map((d) => d[key]!)),
    keys: fn(`func(...${M}) []string`, (...ds: GoMap[]) => ds.flatMap((d) => Object.keys(d))),
    pick: fn(`func(${M}, ...string) ${M}`, (d: GoMap, ...ks: string[]) => {
      const res: GoMap = {};
      noteNewMap(res);
      for (const k of ks) if (hasOwn(d, k)) mapSet(res, k, d[k]!);
      return res;
    }),
    omit: fn(`func(${M}, ...string) ${M}`, (d: GoMap, ...ks: string[]) => {
      const res: GoMap = {};
      noteNewMap(res);
      const skip = new Set(ks);
      for (const k of Object.keys(d)) if (!skip.has(k)) mapSet(res, k, d[k]!);
      return res;
    }),
    merge: fn(`func(${M}, ...${M}) ${IF}`, (dst: GoMap, ...srcs: GoMap[]) => {
      try { return merge(dst, srcs, false); } catch { return ''; }
    }),
    mustMerge: fn(`func(${M}, ...${M}) (${IF}, error)`, mergeFn(false)),
    mergeOverwrite: fn(`func(${M}, ...${M}) ${IF}`, (dst: GoMap, ...srcs: GoMap[]) => {
      try { return merge(dst, srcs, true); } catch { return ''; }
    }),
    mustMergeOverwrite: fn(`func(${M}, ...${M}) (${IF}, error)`, mergeFn(true)),
    values: fn(`func(${M}) []interface {}`, (d: GoMap) => Object.keys(d).map((k) => d[k]!)),
    deepCopy: fn(`func(${IF}) ${IF}`, (v: Value) => deepCopyChecked(v)),
    mustDeepCopy: fn(`func(${IF}) (${IF}, error)`, (v: Value) => deepCopyChecked(v)),
    dig: fn(`func(...${IF}) (${IF}, error)`, (...ps: Value[]) => {
      if (ps.length < 3) throw new GoError('dig needs at least three arguments');
      const dict = asDict(ps[ps.length - 1]);
      const def = ps[ps.length - 2] ?? null;
      const ks = ps.slice(0, -2).map((k) => {
        if (typeof k !== 'string') throw assertionError(k, 'string');
        return k;
      });
      return digFromDict(dict, def, ks);
    }),
  };
}
