/**
 * The value model: how Go values (as seen through `reflect` by text/template) are
 * represented in JS.
 *
 * | Go                                   | JS                                                      |
 * |--------------------------------------|---------------------------------------------------------|
 * | invalid `reflect.Value` ("no value") | `undefined` (only inside the executor and in raw args)   |
 * | nil `interface{}`                    | `null`                                                  |
 * | `bool`                               | `boolean`                                               |
 * | `string`                             | `string` (Go byte semantics are applied where they show: `len`, `index`, `slice`, `%x`) |
 * | `int`                                | `bigint`                                                |
 * | `float64`                            | `number` (helm's YAML values are all float64)           |
 * | other ints/uints, `float32`, named scalars | `GoScalar` (`int64(5)` → `new GoScalar(T.int64, 5n)`, see `int64()`) |
 * | `complex128`                         | `GoComplex`                                             |
 * | `[]interface{}`                      | JS array                                                |
 * | `[]T` (typed slice)                  | JS array marked with `withType(arr, '[]string')`         |
 * | `[]byte`                             | `Uint8Array`                                            |
 * | `map[string]interface{}`             | plain object (own enumerable keys; prototype ignored)   |
 * | `map[string]T`, named map types      | plain object marked with `withType(obj, ...)`            |
 * | struct / pointer to struct           | `GoStruct`                                              |
 * | func                                 | `GoFunc` (see funcs.ts)                                 |
 *
 * Elements of `[]interface{}` and `map[string]interface{}` are interface values: `null`
 * there is a nil interface, which text/template treats differently from a missing key
 * (`.a.b` on a nil `a` is "nil pointer evaluating interface {}.b", on a missing `a` it is
 * `<no value>` unless missingkey=zero). The executor models the static interface type
 * with an internal box; functions never see boxes.
 *
 * Types: every value has a `GoType` (`typeOf`), used for error messages (`%T`, "wrong type
 * for value; expected string; got float64"), assignability to function parameters and zero
 * values (missingkey=zero on a `map[string]string` gives "").
 */

export type Kind =
  | 'invalid' | 'bool'
  | 'int' | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'uintptr'
  | 'float32' | 'float64' | 'complex64' | 'complex128'
  | 'string' | 'slice' | 'array' | 'map' | 'struct' | 'ptr' | 'func' | 'interface' | 'chan';

/** A Go value. `undefined` is not one: see `Value`. */
export type GoValue =
  | null | boolean | string | bigint | number
  | GoValue[] | GoMap | Uint8Array
  | GoScalar | GoComplex | GoStruct | GoFuncLike;

/** `map[string]X` as a plain object. */
export interface GoMap { [key: string]: GoValue }

/** A value or the invalid reflect.Value (`undefined`). */
export type Value = GoValue | undefined;

/** Minimal view of GoFunc (defined in funcs.ts) to avoid an import cycle. */
export interface GoFuncLike {
  readonly isGoFunc: true;
  readonly type: GoType;
}

/** A Go method: `impl` receives the receiver first, then the arguments. */
export interface GoMethod {
  readonly type: GoType; // func type without the receiver
  readonly impl: (recv: GoValue, ...args: Value[]) => GoValue;
}

export class GoType {
  /** Reflect's `Type.String()`, e.g. `map[string]interface {}`, `*chart.Metadata`. */
  readonly name: string;
  readonly kind: Kind;
  readonly elem: GoType | undefined;
  readonly key: GoType | undefined;
  /** True for defined (named) types such as `common.Values`. */
  readonly named: boolean;
  /** For named types, the unnamed type they are defined on (itself otherwise). */
  readonly underlying: GoType;
  /** Methods (of the value and of its pointer, merged). */
  readonly methods: ReadonlyMap<string, GoMethod>;
  /** For func types. */
  readonly sig: Signature | undefined;

  constructor(init: {
    name: string; kind: Kind; elem?: GoType; key?: GoType; named?: boolean; underlying?: GoType;
    methods?: Record<string, GoMethod>; sig?: Signature;
  }) {
    this.name = init.name;
    this.kind = init.kind;
    this.elem = init.elem;
    this.key = init.key;
    this.named = init.named ?? false;
    this.underlying = init.underlying ?? this;
    this.methods = new Map(Object.entries(init.methods ?? {}));
    this.sig = init.sig;
  }

  toString(): string { return this.name; }
}

/** Function signature: parameter types, the variadic element type, result types. */
export interface Signature {
  readonly params: readonly GoType[];
  /** Element type of the final `...T` parameter, or undefined. */
  readonly variadic: GoType | undefined;
  /** One result, or two where the second is `error`. */
  readonly results: readonly GoType[];
}

const typeCache = new Map<string, GoType>();

function basic(name: string, kind: Kind): GoType {
  const t = new GoType({ name, kind });
  typeCache.set(name, t);
  return t;
}

/** Predeclared and common types. */
export const T = {
  bool: basic('bool', 'bool'),
  int: basic('int', 'int'),
  int8: basic('int8', 'int8'),
  int16: basic('int16', 'int16'),
  int32: basic('int32', 'int32'),
  int64: basic('int64', 'int64'),
  uint: basic('uint', 'uint'),
  uint8: basic('uint8', 'uint8'),
  uint16: basic('uint16', 'uint16'),
  uint32: basic('uint32', 'uint32'),
  uint64: basic('uint64', 'uint64'),
  uintptr: basic('uintptr', 'uintptr'),
  float32: basic('float32', 'float32'),
  float64: basic('float64', 'float64'),
  complex64: basic('complex64', 'complex64'),
  complex128: basic('complex128', 'complex128'),
  string: basic('string', 'string'),
  iface: basic('interface {}', 'interface'),
  error: basic('error', 'interface'),
  /** reflect.Value: parameters of this type receive raw values (undefined for "no value"). */
  reflectValue: basic('reflect.Value', 'struct'),
} as const;
typeCache.set('any', T.iface);
typeCache.set('interface{}', T.iface);
typeCache.set('byte', T.uint8);
typeCache.set('rune', T.int32);

export const sliceOf = (elem: GoType): GoType => cached(`[]${elem.name}`, () => new GoType({ name: `[]${elem.name}`, kind: 'slice', elem }));
export const mapOf = (key: GoType, elem: GoType): GoType =>
  cached(`map[${key.name}]${elem.name}`, () => new GoType({ name: `map[${key.name}]${elem.name}`, kind: 'map', key, elem }));
export const ptrTo = (elem: GoType): GoType => cached(`*${elem.name}`, () => new GoType({ name: `*${elem.name}`, kind: 'ptr', elem, methods: Object.fromEntries(elem.methods) }));

function cached(name: string, make: () => GoType): GoType {
  let t = typeCache.get(name);
  if (!t) { t = make(); typeCache.set(name, t); }
  return t;
}

export const T_SLICE_IFACE = sliceOf(T.iface);
export const T_MAP_IFACE = mapOf(T.string, T.iface);
export const T_BYTES = sliceOf(T.uint8);

/**
 * A defined type, e.g. `namedType('common.Values', T_MAP_IFACE)` or a map type with methods
 * (helm's `.Files`). Not cached: each call makes a distinct type.
 */
export function namedType(name: string, underlying: GoType, methods?: Record<string, GoMethod>): GoType {
  return new GoType({
    name, kind: underlying.kind, elem: underlying.elem, key: underlying.key, sig: underlying.sig,
    named: true, underlying: underlying.underlying, methods,
  });
}

/** A struct type. Field declarations give the order used when printing and the static field types. */
export function structType(name: string, fields: ReadonlyArray<readonly [string, GoType]>, methods?: Record<string, GoMethod>): GoType {
  const t = new GoType({ name, kind: 'struct', named: true, methods });
  structFields.set(t, fields);
  return t;
}
const structFields = new WeakMap<GoType, ReadonlyArray<readonly [string, GoType]>>();
export function fieldsOf(t: GoType): ReadonlyArray<readonly [string, GoType]> {
  return structFields.get(t) ?? [];
}

/**
 * Makes a named type known to `parseType`, so function signatures (goFunc) can mention the
 * types that function libraries define: `time.Time`, `*semver.Version`, `sprig.certificate`.
 */
export function registerType(name: string, t: GoType): GoType {
  typeCache.set(name, t);
  return t;
}

/**
 * Parses a Go type expression: `int`, `[]string`, `map[string]interface {}`, `any`,
 * `reflect.Value`, `*T` (for known element types). Unknown names are an error.
 */
export function parseType(src: string): GoType {
  const s = src.trim();
  const hit = typeCache.get(s);
  if (hit) return hit;
  if (s.startsWith('[]')) return sliceOf(parseType(s.slice(2)));
  if (s.startsWith('*')) return ptrTo(parseType(s.slice(1)));
  if (s.startsWith('map[')) {
    let depth = 0;
    for (let i = 3; i < s.length; i++) {
      if (s[i] === '[') depth++;
      else if (s[i] === ']' && --depth === 0) return mapOf(parseType(s.slice(4, i)), parseType(s.slice(i + 1)));
    }
  }
  if (/^interface\s*\{\s*\}$/.test(s)) return T.iface;
  throw new Error(`unknown Go type ${JSON.stringify(src)}`);
}

/** Typed scalar for non-default scalar types (int64, uint8, float32, named string types...). */
export class GoScalar {
  constructor(readonly type: GoType, readonly v: bigint | number | string | boolean) {}
  toString(): string { return String(this.v); }
}

export class GoComplex {
  constructor(readonly re: number, readonly im: number, readonly type: GoType = T.complex128) {}
}

/** A struct value, or a pointer to one (`pointer`). A nil pointer has `nil` set. */
export class GoStruct {
  constructor(
    /** The struct type (see `structType`). */
    readonly structType: GoType,
    readonly fields: Record<string, GoValue>,
    readonly pointer = false,
    readonly nil = false,
  ) {}
  get type(): GoType { return this.pointer ? ptrTo(this.structType) : this.structType; }
}

export const GO_TYPE: unique symbol = Symbol.for('chartaudit.render.goType');

/** Marks an array or plain object with its Go type (e.g. `[]string`, `map[string]string`). */
export function withType<V extends GoValue[] | GoMap>(v: V, type: GoType | string): V {
  const t = typeof type === 'string' ? parseType(type) : type;
  Object.defineProperty(v, GO_TYPE, { value: t, enumerable: false, configurable: true, writable: true });
  return v;
}

export const int = (n: bigint | number): bigint => (typeof n === 'bigint' ? n : BigInt(Math.trunc(n)));
export const int64 = (n: bigint | number): GoScalar => new GoScalar(T.int64, BigInt.asIntN(64, int(n)));
export const uint8 = (n: bigint | number): GoScalar => new GoScalar(T.uint8, BigInt.asUintN(8, int(n)));
export const float32 = (n: number): GoScalar => new GoScalar(T.float32, Math.fround(n));

export function isGoFunc(v: unknown): v is GoFuncLike {
  return typeof v === 'object' && v !== null && (v as { isGoFunc?: unknown }).isGoFunc === true;
}

/** True for a plain object used as a map. */
export function isGoMap(v: unknown): v is GoMap {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

export function typeOf(v: GoValue): GoType {
  switch (typeof v) {
    case 'boolean': return T.bool;
    case 'string': return T.string;
    case 'bigint': return T.int;
    case 'number': return T.float64;
    case 'object':
      if (v === null) return T.iface;
      if (Array.isArray(v)) return (v as unknown as { [GO_TYPE]?: GoType })[GO_TYPE] ?? T_SLICE_IFACE;
      if (v instanceof Uint8Array) return T_BYTES;
      if (v instanceof GoScalar || v instanceof GoComplex || v instanceof GoStruct) return v.type;
      if (isGoFunc(v)) return v.type;
      return (v as { [GO_TYPE]?: GoType })[GO_TYPE] ?? T_MAP_IFACE;
    default:
      throw new TypeError(`not a Go value: ${typeof v}`);
  }
}

export function kindOf(v: Value): Kind {
  if (v === undefined) return 'invalid';
  return typeOf(v).kind;
}

const INT_KINDS = new Set<Kind>(['int', 'int8', 'int16', 'int32', 'int64']);
const UINT_KINDS = new Set<Kind>(['uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr']);
export const isIntKind = (k: Kind): boolean => INT_KINDS.has(k);
export const isUintKind = (k: Kind): boolean => UINT_KINDS.has(k);
export const isFloatKind = (k: Kind): boolean => k === 'float32' || k === 'float64';
export const isComplexKind = (k: Kind): boolean => k === 'complex64' || k === 'complex128';

/** The integer of an int/uint-kind value (bigint or GoScalar). */
export function intOf(v: GoValue): bigint {
  if (typeof v === 'bigint') return v;
  if (v instanceof GoScalar && typeof v.v === 'bigint') return v.v;
  throw new TypeError('not an integer value');
}

/** Length in Go terms: bytes for strings, elements for slices, keys for maps. */
export function lenOf(v: GoValue): number {
  if (typeof v === 'string') return utf8Length(v);
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length;
  if (v instanceof GoScalar && typeof v.v === 'string') return utf8Length(v.v);
  if (isGoMap(v)) return Object.keys(v).length;
  throw new TypeError('value has no length');
}

/** UTF-8 byte length of a JS string (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) { n += 1; continue; }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n += 2; i++; continue; } // 4 bytes for 2 units
    }
    n += 2;
  }
  return n;
}

/**
 * Go's truth (text/template IsTrue): false for the zero value of the type, empty
 * maps/slices/strings, nil; structs are always true.
 */
export function isTrue(v: Value): boolean {
  switch (typeof v) {
    case 'undefined': return false;
    case 'boolean': return v;
    case 'string': return v.length > 0;
    case 'bigint': return v !== 0n;
    case 'number': return v !== 0;
    case 'object':
      if (v === null) return false;
      if (Array.isArray(v) || v instanceof Uint8Array) return v.length > 0;
      if (v instanceof GoScalar) {
        const x = v.v;
        return typeof x === 'string' ? x.length > 0 : typeof x === 'boolean' ? x : typeof x === 'bigint' ? x !== 0n : x !== 0;
      }
      if (v instanceof GoComplex) return v.re !== 0 || v.im !== 0;
      if (v instanceof GoStruct) return !v.nil;
      if (isGoFunc(v)) return true;
      for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k)) return true;
      return false;
  }
  return false;
}

/** Go's reflect.Zero for a type, in this value model. */
export function zeroOf(t: GoType): Value {
  switch (t.kind) {
    case 'bool': return t === T.bool ? false : new GoScalar(t, false);
    case 'string': return t === T.string ? '' : new GoScalar(t, '');
    case 'int': return t === T.int ? 0n : new GoScalar(t, 0n);
    case 'int8': case 'int16': case 'int32': case 'int64':
    case 'uint': case 'uint8': case 'uint16': case 'uint32': case 'uint64': case 'uintptr':
      return new GoScalar(t, 0n);
    case 'float64': return t === T.float64 ? 0 : new GoScalar(t, 0);
    case 'float32': return new GoScalar(t, 0);
    case 'complex64': case 'complex128': return new GoComplex(0, 0, t);
    case 'interface': return null;
    case 'slice': return t === T_BYTES ? new Uint8Array(0) : withType([], t);
    case 'map': return withType({} as GoMap, t);
    case 'struct':
      if (t === T.reflectValue) return undefined;
      return new GoStruct(t, Object.fromEntries(fieldsOf(t).map(([n, ft]) => [n, zeroOf(ft) ?? null])));
    case 'ptr':
      return t.elem && t.elem.kind === 'struct' ? new GoStruct(t.elem, {}, true, true) : null;
    default: return null;
  }
}

/** Own property lookup on a map object (never the prototype chain). */
export function mapGet(m: GoMap, key: string): GoValue | undefined {
  return Object.prototype.hasOwnProperty.call(m, key) ? m[key] : undefined;
}

/** Go's map key order for strings: byte-wise, which is code-point order. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (U+10000+) sort after U+E000..U+FFFF in code-point order.
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1; // a surrogate encodes a code point above every BMP unit
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : 1;
}

/** Sorted keys of a map object, in Go's fmtsort order. */
export function sortedKeys(m: GoMap): string[] {
  return Object.keys(m).sort(compareStrings);
}

/** Converts plain JSON-like data (e.g. parsed YAML) into the value model: ints stay float64. */
export function fromJS(x: unknown): GoValue {
  if (x === null || x === undefined) return null;
  switch (typeof x) {
    case 'boolean': case 'string': case 'bigint': case 'number': return x;
    case 'object':
      if (Array.isArray(x)) return x.map(fromJS);
      if (x instanceof Uint8Array || x instanceof GoScalar || x instanceof GoComplex || x instanceof GoStruct || isGoFunc(x)) return x as GoValue;
      if (isGoMap(x)) {
        const out: GoMap = {};
        for (const k of Object.keys(x)) Object.defineProperty(out, k, { value: fromJS((x as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
        const t = (x as { [GO_TYPE]?: GoType })[GO_TYPE];
        if (t) withType(out, t);
        return out;
      }
      if (x instanceof Map) {
        const out: GoMap = {};
        for (const [k, v] of x) Object.defineProperty(out, String(k), { value: fromJS(v), enumerable: true, writable: true, configurable: true });
        return out;
      }
      if (x instanceof Date) return x.toISOString();
      return null;
    default:
      return null;
  }
}

/**
 * Internal: a non-nil value held in an interface-typed slot (reflect Kind Interface), e.g.
 * an element of a `map[string]interface{}` reached by a field chain or a range. Only the
 * executor and raw (`reflect.Value`) builtins see these; `unbox` removes them.
 */
export class Iface {
  constructor(readonly v: GoValue) {}
}

/** A raw value as the executor passes it around: a Value or a boxed interface value. */
export type RawValue = Value | Iface;

/** Go's indirectInterface: the concrete value; a nil interface becomes the invalid value. */
export function unbox(v: RawValue): Value {
  if (v instanceof Iface) return v.v;
  if (v === null) return undefined;
  return v;
}

/** Go's indirect: through interfaces and pointers; reports whether it stopped at a nil. */
export function indirect(raw: RawValue): [Value, boolean] {
  const v: Value = raw instanceof Iface ? raw.v : raw;
  if (v === null) return [null, true];
  if (v instanceof GoStruct && v.pointer) {
    if (v.nil) return [v, true];
    return [new GoStruct(v.structType, v.fields), false];
  }
  return [v, false];
}

/** Boxes an element read from a container whose element type is `elem`. */
export function boxFor(elem: GoType, v: GoValue): RawValue {
  if (elem.kind === 'interface') return v === null ? null : new Iface(v);
  return v;
}

/** Static type name of a raw value (interface {} for boxed and nil values). */
export function staticTypeName(v: RawValue): string {
  if (v instanceof Iface || v === null) return 'interface {}';
  if (v === undefined) return '<invalid>';
  return typeOf(v).name;
}
