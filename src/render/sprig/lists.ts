/**
 * sprig's list functions (list.go): they accept any slice or array through reflection
 * and return `[]interface{}`; the non-`must` variants panic with the same error the
 * `must` variants return, so both report `error calling NAME: <message>`.
 */
import { GoError, typeOf, withType, type FuncMap, type GoValue, type Value } from '../template/index.js';
import { toInt } from './cast.js';
import { deepEqual, empty, fn, num, sliceElems, typeKind } from './util.js';

/** reflect.TypeOf(v).Kind() check shared by the list functions. */
function elemsOrError(v: Value, msg: (kind: string) => string): GoValue[] {
  const k = typeKind(v);
  const e = sliceElems(v);
  if ((k === 'slice' || k === 'array') && e) return e;
  throw new GoError(msg(k));
}

const inList = (hay: readonly GoValue[], needle: GoValue): boolean => hay.some((h) => deepEqual(needle, h));

export const listOps = {
  push(list: Value, v: Value): GoValue[] {
    return [...elemsOrError(list, (k) => `Cannot push on type ${k}`), v ?? null];
  },
  prepend(list: Value, v: Value): GoValue[] {
    return [v ?? null, ...elemsOrError(list, (k) => `Cannot prepend on type ${k}`)];
  },
  chunk(size: number, list: Value): GoValue[][] {
    const l2 = elemsOrError(list, (k) => `Cannot chunk type ${k}`);
    const l = l2.length;
    const csf = Math.floor((l - 1) / size) + 1;
    const cs = Number.isFinite(csf) ? csf : -Infinity;
    if (cs < 0) throw new GoError('runtime error: makeslice: len out of range');
    const nl: GoValue[][] = [];
    for (let i = 0; i < cs; i++) {
      let clen = size;
      if (i === cs - 1) {
        clen = Math.floor(l % size);
        if (Number.isNaN(clen)) clen = Number.MIN_SAFE_INTEGER;
        if (clen === 0) clen = size;
      }
      if (clen < 0) throw new GoError('runtime error: makeslice: len out of range');
      const row: GoValue[] = [];
      for (let j = 0; j < clen; j++) {
        const ix = i * size + j;
        if (ix >= l || ix < 0) throw new GoError(`reflect: slice index out of range`);
        row.push(l2[ix]!);
      }
      nl.push(row);
    }
    return nl;
  },
  last(list: Value): GoValue {
    const l = elemsOrError(list, (k) => `Cannot find last on type ${k}`);
    return l.length === 0 ? null : l[l.length - 1]!;
  },
  first(list: Value): GoValue {
    const l = elemsOrError(list, (k) => `Cannot find first on type ${k}`);
    return l.length === 0 ? null : l[0]!;
  },
  rest(list: Value): GoValue[] {
    return elemsOrError(list, (k) => `Cannot find rest on type ${k}`).slice(1);
  },
  initial(list: Value): GoValue[] {
    return elemsOrError(list, (k) => `Cannot find initial on type ${k}`).slice(0, -1);
  },
  reverse(list: Value): GoValue[] {
    return [...elemsOrError(list, (k) => `Cannot find reverse on type ${k}`)].reverse();
  },
  compact(list: Value): GoValue[] {
    return elemsOrError(list, (k) => `Cannot compact on type ${k}`).filter((x) => !empty(x));
  },
  uniq(list: Value): GoValue[] {
    const dest: GoValue[] = [];
    for (const item of elemsOrError(list, (k) => `Cannot find uniq on type ${k}`)) if (!inList(dest, item)) dest.push(item);
    return dest;
  },
  without(list: Value, omit: GoValue[]): GoValue[] {
    return elemsOrError(list, (k) => `Cannot find without on type ${k}`).filter((x) => !inList(omit, x));
  },
  has(needle: Value, haystack: Value): boolean {
    if (haystack === null || haystack === undefined) return false;
    const l = elemsOrError(haystack, (k) => `Cannot find has on type ${k}`);
    return inList(l, needle ?? null);
  },
  slice(list: Value, indices: Value[]): GoValue {
    const k = typeKind(list);
    const l2 = sliceElems(list);
    if (!((k === 'slice' || k === 'array') && l2)) throw new GoError(`list should be type of slice or array but ${k}`);
    const l = l2.length;
    if (l === 0) return null;
    const start = indices.length > 0 ? num(toInt(indices[0])) : 0;
    const end = indices.length < 2 ? l : num(toInt(indices[1]));
    if (start < 0 || end < start || end > l) throw new GoError('reflect.Value.Slice: slice index out of bounds');
    if (list instanceof Uint8Array) return list.slice(start, end);
    const out = (list as GoValue[]).slice(start, end);
    const t = typeOf(list as GoValue);
    return t.elem && t.elem.kind !== 'interface' ? withType(out, t) : out;
  },
  concat(lists: Value[]): GoValue[] {
    const res: GoValue[] = [];
    for (const list of lists) {
      const k = typeKind(list);
      const e = sliceElems(list);
      if (!((k === 'slice' || k === 'array') && e)) throw new GoError(`Cannot concat type ${k} as list`);
      res.push(...e);
    }
    return res;
  },
};

/** sprig's untilStep. */
export function untilStep(start: bigint, stop: bigint, step: bigint): bigint[] {
  const v: bigint[] = [];
  const limit = 10_000_000;
  if (stop < start) {
    if (step >= 0n) return v;
    for (let i = start; i > stop; i += step) { v.push(i); if (v.length > limit) throw new GoError('runtime error: out of memory'); }
    return v;
  }
  if (step <= 0n) return v;
  for (let i = start; i < stop; i += step) { v.push(i); if (v.length > limit) throw new GoError('runtime error: out of memory'); }
  return v;
}

export function listFuncs(): FuncMap {
  const IF = 'interface {}';
  const L = '[]interface {}';
  const m = (res: string): string => `(${res}, error)`;
  return {
    list: fn(`func(...${IF}) ${L}`, (...v: Value[]) => v.map((x) => x ?? null)),
    tuple: fn(`func(...${IF}) ${L}`, (...v: Value[]) => v.map((x) => x ?? null)),
    append: fn(`func(${IF}, ${IF}) ${L}`, listOps.push),
    push: fn(`func(${IF}, ${IF}) ${L}`, listOps.push),
    mustAppend: fn(`func(${IF}, ${IF}) ${m(L)}`, listOps.push),
    mustPush: fn(`func(${IF}, ${IF}) ${m(L)}`, listOps.push),
    prepend: fn(`func(${IF}, ${IF}) ${L}`, listOps.prepend),
    mustPrepend: fn(`func(${IF}, ${IF}) ${m(L)}`, listOps.prepend),
    first: fn(`func(${IF}) ${IF}`, listOps.first),
    mustFirst: fn(`func(${IF}) ${m(IF)}`, listOps.first),
    rest: fn(`func(${IF}) ${L}`, listOps.rest),
    mustRest: fn(`func(${IF}) ${m(L)}`, listOps.rest),
    last: fn(`func(${IF}) ${IF}`, listOps.last),
    mustLast: fn(`func(${IF}) ${m(IF)}`, listOps.last),
    initial: fn(`func(${IF}) ${L}`, listOps.initial),
    mustInitial: fn(`func(${IF}) ${m(L)}`, listOps.initial),
    reverse: fn(`func(${IF}) ${L}`, listOps.reverse),
    mustReverse: fn(`func(${IF}) ${m(L)}`, listOps.reverse),
    uniq: fn(`func(${IF}) ${L}`, listOps.uniq),
    mustUniq: fn(`func(${IF}) ${m(L)}`, listOps.uniq),
    without: fn(`func(${IF}, ...${IF}) ${L}`, (l: Value, ...o: Value[]) => listOps.without(l, o.map((x) => x ?? null))),
    mustWithout: fn(`func(${IF}, ...${IF}) ${m(L)}`, (l: Value, ...o: Value[]) => listOps.without(l, o.map((x) => x ?? null))),
    has: fn(`func(${IF}, ${IF}) bool`, listOps.has),
    mustHas: fn(`func(${IF}, ${IF}) (bool, error)`, listOps.has),
    slice: fn(`func(${IF}, ...${IF}) ${IF}`, (l: Value, ...i: Value[]) => listOps.slice(l, i)),
    mustSlice: fn(`func(${IF}, ...${IF}) ${m(IF)}`, (l: Value, ...i: Value[]) => listOps.slice(l, i)),
    concat: fn(`func(...${IF}) ${IF}`, (...l: Value[]) => listOps.concat(l)),
    compact: fn(`func(${IF}) ${L}`, listOps.compact),
    mustCompact: fn(`func(${IF}) ${m(L)}`, listOps.compact),
    chunk: fn(`func(int, ${IF}) [][]interface {}`, (size: bigint, l: Value) => listOps.chunk(num(size), l)),
    mustChunk: fn(`func(int, ${IF}) ([][]interface {}, error)`, (size: bigint, l: Value) => listOps.chunk(num(size), l)),
    until: fn('func(int) []int', (count: bigint) => untilStep(0n, count, count < 0n ? -1n : 1n)),
    untilStep: fn('func(int, int, int) []int', untilStep),
  };
}
