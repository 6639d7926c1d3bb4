/**
 * Shared helpers for the sprig functions: declaring functions whose Go signatures use
 * types the template package does not know (time.Time, *semver.Version, ...), Go's
 * reflect-like views of values (kind names, slice elements, DeepEqual, sprig's `empty`),
 * sprig's `strval`, Go's unicode predicates and simple case mappings, and UTF-8 byte
 * helpers for functions that work on Go strings byte by byte.
 */
import {
  GoComplex, GoError, GoFunc, GoScalar, GoStruct, T, fieldsOf, goFunc, isGoFunc, isGoMap, registerType, sprintf, typeOf,
  type GoFuncImpl, type GoFuncOptions, type GoMap, type GoType, type GoValue, type Value,
} from '../template/index.js';
import { runes } from '../runes.js';
import {
  isDigit, isLetter, isLowerText, isNumberText, isPunctText, isSpace, isTitleText, isUpperText,
} from '../template/unicode.js';

// ---------------------------------------------------------------------------
// Function declaration with sprig's own types

/** Registers a named type so that `fn` signatures can mention it (e.g. `time.Time`). */
export { registerType };

/** template's goFunc; signatures may use the types registered with registerType. */
export function fn(sig: string, impl: GoFuncImpl, options?: GoFuncOptions): GoFunc {
  return goFunc(sig, impl, options);
}

// ---------------------------------------------------------------------------
// Maps

/** A new `map[string]interface{}` (plain object). */
export function newMap(): GoMap { return {}; }

/** Sets a key on a map object without ever touching the prototype (`__proto__` safe). */
export function mapSet(m: GoMap, key: string, v: GoValue): void {
  Object.defineProperty(m, key, { value: v, enumerable: true, writable: true, configurable: true });
}

export function hasOwn(m: GoMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, key);
}

// ---------------------------------------------------------------------------
// Go runtime panics (their messages as text/template reports them)

export const NIL_DEREF = 'runtime error: invalid memory address or nil pointer dereference';

/** Go's runtime bounds panics for x[lo:hi] (`kind` length for strings, capacity for slices). */
export function sliceBoundsError(lo: number | null, hi: number, len: number, kind: 'length' | 'capacity' = 'length'): GoError {
  if (lo === null) {
    return new GoError(hi < 0 ? `runtime error: slice bounds out of range [:${hi}]` : `runtime error: slice bounds out of range [:${hi}] with ${kind} ${len}`);
  }
  return new GoError(lo < 0 ? `runtime error: slice bounds out of range [${lo}:]` : `runtime error: slice bounds out of range [${lo}:${hi}]`);
}

/** Checks Go's x[lo:hi] bounds (hi defaults to len). */
export function checkSlice(lo: number, hi: number | undefined, len: number, kind: 'length' | 'capacity' = 'length'): [number, number] {
  const h = hi ?? len;
  if (hi !== undefined && (h < 0 || h > len)) throw sliceBoundsError(null, h, len, kind);
  if (lo < 0 || lo > h) throw sliceBoundsError(lo, h, len, kind);
  return [lo, h];
}

/** A panic for a failed type assertion `x.(T)` on an interface{} value. */
export function assertionError(v: Value, want: string): GoError {
  if (v === null || v === undefined) return new GoError(`interface conversion: interface {} is nil, not ${want}`);
  return new GoError(`interface conversion: interface {} is ${typeOf(v).name}, not ${want}`);
}

// ---------------------------------------------------------------------------
// Reflection

/** reflect.Kind's String() for a value (nil interface: "invalid"). */
export function kindName(v: Value): string {
  if (v === undefined || v === null) return 'invalid';
  const k = typeOf(v).kind;
  return k === 'ptr' ? 'ptr' : k;
}

/** `reflect.TypeOf(v).Kind()` as sprig uses it; nil panics like Go (nil Type). */
export function typeKind(v: Value): string {
  if (v === undefined || v === null) throw new GoError(NIL_DEREF);
  return kindName(v);
}

/** The elements of a slice/array value (`l2.Index(i).Interface()`), or null if not one. */
export function sliceElems(v: Value): GoValue[] | null {
  if (v === undefined || v === null) return null;
  if (v instanceof Uint8Array) return Array.from(v, (b) => new GoScalar(T.uint8, BigInt(b)));
  if (Array.isArray(v)) return v;
  return null;
}

/** Go's `%v`-based conversion used by sprig (strval). */
export function strval(v: Value): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return sprintf('%v', [v === undefined ? null : v]);
}

/** sprig's `empty`: the zero value of its type, nil, or an empty collection. */
export function empty(v: Value): boolean {
  if (v === undefined || v === null) return true;
  switch (typeof v) {
    case 'string': return v.length === 0;
    case 'boolean': return !v;
    case 'bigint': return v === 0n;
    case 'number': return v === 0;
  }
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (v instanceof GoScalar) {
    const x = v.v;
    return typeof x === 'string' ? x.length === 0 : typeof x === 'boolean' ? !x : typeof x === 'bigint' ? x === 0n : x === 0;
  }
  if (v instanceof GoComplex) return v.re === 0 && v.im === 0;
  if (v instanceof GoStruct) return v.pointer ? v.nil : false;
  if (isGoFunc(v)) return false;
  if (isGoMap(v)) return Object.keys(v).length === 0;
  return false;
}

/** reflect.DeepEqual over the value model. */
export function deepEqual(a: Value, b: Value): boolean {
  if (a === undefined || a === null || b === undefined || b === null) {
    return (a === undefined || a === null) && (b === undefined || b === null);
  }
  if (a === b) return true;
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb && ta.name !== tb.name) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return a === b || (typeof a === 'number' && typeof b === 'number' && a === b);
  if (a instanceof GoScalar && b instanceof GoScalar) return a.v === b.v;
  if (a instanceof GoComplex && b instanceof GoComplex) return a.re === b.re && a.im === b.im;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof GoStruct && b instanceof GoStruct) {
    if (a.nil || b.nil) return a.nil === b.nil;
    const custom = structEquals.get(a.structType);
    if (custom) return custom(a, b);
    const names = new Set([...fieldsOf(a.structType).map(([n]) => n), ...Object.keys(a.fields), ...Object.keys(b.fields)]);
    for (const n of names) if (!deepEqual(a.fields[n] ?? null, b.fields[n] ?? null)) return false;
    return true;
  }
  if (isGoFunc(a) || isGoFunc(b)) return false; // funcs are only DeepEqual if both nil
  if (isGoMap(a) && isGoMap(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) {
      if (!hasOwn(b, k)) return false;
      if (!deepEqual(a[k], b[k])) return false;
    }
    return true;
  }
  return false;
}

/** DeepEqual for struct types whose data lives outside `fields` (time.Time, semver). */
export const structEquals = new WeakMap<GoType, (a: GoStruct, b: GoStruct) => boolean>();

// ---------------------------------------------------------------------------
// Unicode (Go's unicode package)

const ch = (r: number): string => String.fromCodePoint(r);

export { isDigit, isLetter, isSpace };
export const isUpper = (r: number): boolean => (r < 0x80 ? r >= 65 && r <= 90 : isUpperText(ch(r)));
export const isLower = (r: number): boolean => (r < 0x80 ? r >= 97 && r <= 122 : isLowerText(ch(r)));
export const isTitle = (r: number): boolean => r >= 0x80 && isTitleText(ch(r));
export const isNumber = (r: number): boolean => (r < 0x80 ? r >= 48 && r <= 57 : isNumberText(ch(r)));
export const isPunct = (r: number): boolean => isPunctText(ch(r));

// Simple (one-to-one) case mappings. JS's String case functions use full mappings
// (ß → SS); Go's unicode.ToUpper etc. keep a rune a rune.
const SPECIAL_UPPER: Record<number, number> = { 0x1c5: 0x1c4, 0x1c8: 0x1c7, 0x1cb: 0x1ca, 0x1f2: 0x1f1 };
const SPECIAL_LOWER: Record<number, number> = { 0x130: 0x69 };
const TITLE_MAP: Record<number, number> = {
  0x1c4: 0x1c5, 0x1c5: 0x1c5, 0x1c6: 0x1c5, 0x1c7: 0x1c8, 0x1c8: 0x1c8, 0x1c9: 0x1c8,
  0x1ca: 0x1cb, 0x1cb: 0x1cb, 0x1cc: 0x1cb, 0x1f1: 0x1f2, 0x1f2: 0x1f2, 0x1f3: 0x1f2,
};

function single(s: string, orig: number): number {
  const cp = s.codePointAt(0)!;
  return s.length === (cp > 0xffff ? 2 : 1) ? cp : orig;
}

export function toUpperRune(r: number): number {
  if (r < 0x80) return r >= 97 && r <= 122 ? r - 32 : r;
  const sp = SPECIAL_UPPER[r];
  if (sp !== undefined) return sp;
  if (r === 0x131) return 0x49; // dotless i
  if (r === 0x17f) return 0x53; // long s
  return single(ch(r).toUpperCase(), r);
}

export function toLowerRune(r: number): number {
  if (r < 0x80) return r >= 65 && r <= 90 ? r + 32 : r;
  const sp = SPECIAL_LOWER[r];
  if (sp !== undefined) return sp;
  if (r === 0x1c5 || r === 0x1c8 || r === 0x1cb || r === 0x1f2) return r + 1;
  return single(ch(r).toLowerCase(), r);
}

export function toTitleRune(r: number): number {
  const t = TITLE_MAP[r];
  if (t !== undefined) return t;
  return toUpperRune(r);
}

export { runes };

export const fromRunes = (rs: readonly number[]): string => {
  let s = '';
  for (let i = 0; i < rs.length; i += 4096) s += String.fromCodePoint(...rs.slice(i, i + 4096));
  return s;
};

/** strings.Map with a rune function. */
export const mapRunes = (s: string, f: (r: number) => number): string => fromRunes(runes(s).map(f));

// ---------------------------------------------------------------------------
// Bytes

export const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
export const fromUtf8 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
/** Go's string(rune(b)) per byte then UTF-8: how byte-wise loops over strings re-encode. */
export const latin1Runes = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/** Go's `len(s)` for a string. */
export const byteLen = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Go's s[lo:hi] on a string (bytes), with Go's panics. */
export function sliceString(s: string, lo: number, hi: number | undefined): string {
  const b = utf8(s);
  const [l, h] = checkSlice(lo, hi, b.length);
  return fromUtf8(b.subarray(l, h));
}

/** A bigint int parameter as a JS number (Go ints are 64-bit; huge ones clamp). */
export function num(i: bigint): number {
  if (i > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (i < BigInt(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER;
  return Number(i);
}

/** Go's int64 wraparound. */
export const wrap64 = (n: bigint): bigint => BigInt.asIntN(64, n);

export { GoError };
