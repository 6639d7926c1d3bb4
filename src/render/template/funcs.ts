/**
 * Template functions: the FuncMap interface that sprig/helm functions plug into, and
 * text/template's builtins (and, or, not, len, index, slice, call, print, printf,
 * println, eq, ne, lt, le, gt, ge, html, js, urlquery) following src/text/template/funcs.go.
 *
 * A function declares its Go signature; the executor uses it exactly as Go's reflect does:
 * arity errors ("wrong number of args for X: want N got M"), literal arguments checked by
 * parameter kind ("expected string; found 3"), computed arguments checked for
 * assignability ("wrong type for value; expected string; got float64"), nil/missing
 * values become the parameter type's zero value where Go allows it.
 *
 * ```ts
 * const upper = goFunc('func(string) string', (s: string) => s.toUpperCase());
 * const fail  = goFunc('func(string) (string, error)', (msg: string) => { throw new GoError(msg); });
 * const deflt = goFunc('func(interface {}, ...interface {}) interface {}', (d, ...given) => ...);
 * set.addFuncs({ upper, fail, default: deflt });
 * ```
 *
 * Implementations receive values in the value model (value.ts): `interface {}` parameters
 * get `null` for nil/no value, `int` parameters a bigint, `float64` a number, `string` a
 * string. To fail, throw (any Error); the executor reports
 * `error calling NAME: <message>` like Go does for a returned error or a panic.
 * A function declared with `{ context: true }` receives a CallContext first (used by
 * include/tpl to execute templates of the same set under the same limits).
 */
import {
  GoComplex, GoScalar, GoStruct, GoType, Iface, T, boxFor, compareStrings, indirect,
  isComplexKind, isFloatKind, isGoMap, isIntKind, isTrue, isUintKind, lenOf, mapGet, parseType,
  sliceOf, typeOf, unbox, withType, zeroOf,
  type GoFuncLike, type GoMap, type GoValue, type RawValue, type Signature, type Value,
} from './value.js';
import { sprint, sprintf, sprintln } from './fmt.js';

/** An error returned by a template function (Go's `error` result). */
export class GoError extends Error {
  override name = 'GoError';
}

export interface GoFuncOptions {
  /** Pass a CallContext (exec.ts) as the first argument. */
  context?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GoFuncImpl = (...args: any[]) => RawValue;

export class GoFunc implements GoFuncLike {
  readonly isGoFunc = true as const;
  private signature: Signature | string;
  private funcType: GoType | undefined;
  /** `sig` may be Go's text of it, parsed at the first use: a render creates ~200 functions and calls a few dozen. */
  constructor(sig: Signature | string, readonly impl: GoFuncImpl, readonly options: GoFuncOptions = {}) {
    this.signature = sig;
  }

  get sig(): Signature {
    const s = this.signature;
    return typeof s === 'string' ? (this.signature = parseSignature(s)) : s;
  }

  get type(): GoType {
    return (this.funcType ??= funcType(this.sig));
  }
}

export type FuncMap = Record<string, GoFunc>;

/** Creates a GoFunc from a Go signature such as `func(string, ...interface {}) (string, error)`. */
export function goFunc(signature: string, impl: GoFuncImpl, options?: GoFuncOptions): GoFunc {
  return new GoFunc(signature, impl, options);
}

const funcTypes = new Map<string, GoType>();
function funcType(sig: Signature): GoType {
  const params = sig.params.map((p) => p.name);
  if (sig.variadic) params.push('...' + sig.variadic.name);
  let name = `func(${params.join(', ')})`;
  if (sig.results.length === 1) name += ' ' + sig.results[0]!.name;
  else if (sig.results.length > 1) name += ` (${sig.results.map((r) => r.name).join(', ')})`;
  let t = funcTypes.get(name);
  if (!t) { t = new GoType({ name, kind: 'func', sig }); funcTypes.set(name, t); }
  return t;
}

function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0) { out.push(cur.trim()); cur = ''; continue; }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** Parses `func(A, B, ...C) R` or `func(A) (R, error)`; parameter names are allowed and ignored. */
export function parseSignature(src: string): Signature {
  let s = src.trim();
  if (s.startsWith('func')) s = s.slice(4).trim();
  if (!s.startsWith('(')) throw new Error(`bad signature ${JSON.stringify(src)}`);
  let depth = 0;
  let close = -1;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) { close = i; break; }
  }
  if (close < 0) throw new Error(`bad signature ${JSON.stringify(src)}`);
  const paramSrc = splitTop(s.slice(1, close));
  let resSrc = s.slice(close + 1).trim();
  if (resSrc.startsWith('(') && resSrc.endsWith(')')) resSrc = resSrc.slice(1, -1);
  const results = splitTop(resSrc).map(typeOfDecl);
  const params: GoType[] = [];
  let variadic: GoType | undefined;
  paramSrc.forEach((p, i) => {
    const decl = stripName(p);
    if (decl.startsWith('...')) {
      if (i !== paramSrc.length - 1) throw new Error(`variadic parameter must be last in ${src}`);
      variadic = parseType(decl.slice(3));
    } else params.push(parseType(decl));
  });
  if (results.length < 1 || results.length > 2 || (results.length === 2 && results[1] !== T.error)) {
    throw new Error(`function must have 1 result, or 2 with the second an error: ${src}`);
  }
  return { params, variadic, results };
}

function stripName(p: string): string {
  // "name type" → "type" (types never contain a space at the top level except "interface {}").
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.+)$/.exec(p);
  if (m && !/^interface\s*\{/.test(p) && !/^map\[/.test(p)) return m[2]!.trim();
  return p.trim();
}

function typeOfDecl(p: string): GoType { return parseType(stripName(p)); }

/** Converts an implementation's JS result to the value model of the declared result type. */
export function coerceResult(v: RawValue, t: GoType): RawValue {
  if (t === T.reflectValue || v instanceof Iface) return v;
  if (v === undefined) return t.kind === 'interface' ? null : zeroOf(t);
  switch (t.kind) {
    case 'interface': return v;
    case 'int': case 'int8': case 'int16': case 'int32': case 'int64':
    case 'uint': case 'uint8': case 'uint16': case 'uint32': case 'uint64': case 'uintptr':
      if (typeof v === 'number') v = BigInt(Math.trunc(v));
      if (typeof v === 'bigint') return t === T.int ? v : new GoScalar(t, v);
      return v;
    case 'float64':
      if (typeof v === 'bigint') return Number(v);
      return t === T.float64 ? v : typeof v === 'number' ? new GoScalar(t, v) : v;
    case 'float32': return typeof v === 'number' ? new GoScalar(t, Math.fround(v)) : v;
    case 'string': return t === T.string || typeof v !== 'string' ? v : new GoScalar(t, v);
    case 'bool': return t === T.bool || typeof v !== 'boolean' ? v : new GoScalar(t, v);
    case 'slice':
      if (v === null) return zeroOf(t);
      if (Array.isArray(v) && t !== typeOf(v) && t.elem !== T.iface) return withType(v, t);
      return v;
    case 'map':
      if (v === null) return zeroOf(t);
      if (isGoMap(v) && t !== typeOf(v) && t.elem !== T.iface) return withType(v, t);
      return v;
    default: return v;
  }
}

// ---------------------------------------------------------------------------
// Builtins

const ERR_BAD_COMPARISON_TYPE = 'invalid type for comparison';
const ERR_NO_COMPARISON = 'missing argument for comparison';

/** Go's truth for a raw value. */
export function truth(v: RawValue): boolean { return isTrue(unbox(v)); }

function indexArg(index: Value, cap: number): number {
  const k = index === undefined ? 'invalid' : index === null ? 'interface' : typeOf(index).kind;
  let x: bigint;
  if (isIntKind(k) || isUintKind(k)) x = typeof index === 'bigint' ? index : (index as GoScalar).v as bigint;
  else if (k === 'invalid') throw new GoError('cannot index slice/array with nil');
  else throw new GoError(`cannot index slice/array with type ${typeOf(index as GoValue).name}`);
  if (x < 0n || x > BigInt(cap)) throw new GoError(`index out of range: ${x}`);
  return Number(x);
}

function stringBytes(v: GoValue): Buffer | null {
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  if (v instanceof GoScalar && typeof v.v === 'string') return Buffer.from(v.v, 'utf8');
  return null;
}

function prepareMapKey(index: Value, keyType: GoType): string {
  if (index === undefined || index === null) {
    throw new GoError(`value is nil; should be of type ${keyType.name}`);
  }
  const t = typeOf(index);
  if (t === keyType || (keyType.kind === 'string' && t.kind === 'string' && (!t.named || !keyType.named))) {
    return typeof index === 'string' ? index : String((index as GoScalar).v);
  }
  throw new GoError(`value has type ${t.name}; should be ${keyType.name}`);
}

/** index item idx... (Go semantics, including reflect's panics at len). */
export function indexFn(item0: RawValue, ...indexes: RawValue[]): RawValue {
  let item: RawValue = unbox(item0);
  if (item === undefined) throw new GoError('index of untyped nil');
  for (const idx0 of indexes) {
    const index = unbox(idx0);
    const [it, isNil] = indirect(item);
    if (isNil) throw new GoError('index of nil pointer');
    const v = it as GoValue;
    const t = typeOf(v);
    switch (t.kind) {
      case 'slice': case 'array': {
        const arr = v instanceof Uint8Array ? Array.from(v, (b) => new GoScalar(T.uint8, BigInt(b))) : (v as GoValue[]);
        const x = indexArg(index, arr.length);
        if (x === arr.length) throw new GoError(`reflect: ${t.kind} index out of range`);
        item = boxFor(t.elem ?? T.iface, arr[x]!);
        break;
      }
      case 'string': {
        const b = stringBytes(v)!;
        const x = indexArg(index, b.length);
        if (x === b.length) throw new GoError('reflect: string index out of range');
        item = new GoScalar(T.uint8, BigInt(b[x]!));
        break;
      }
      case 'map': {
        const key = prepareMapKey(index, t.key ?? T.string);
        const hit = mapGet(v as GoMap, key);
        const elem = t.elem ?? T.iface;
        item = hit === undefined ? zeroOf(elem) : boxFor(elem, hit);
        break;
      }
      default:
        throw new GoError(`can't index item of type ${t.name}`);
    }
  }
  return item;
}

/** slice item [i [j [k]]]. */
export function sliceFn(item0: RawValue, ...indexes: RawValue[]): RawValue {
  const item = unbox(item0);
  if (item === undefined || item === null) throw new GoError('slice of untyped nil');
  if (indexes.length > 3) throw new GoError(`too many slice indexes: ${indexes.length}`);
  const t = typeOf(item);
  let cap: number;
  switch (t.kind) {
    case 'string':
      if (indexes.length === 3) throw new GoError('cannot 3-index slice a string');
      cap = lenOf(item);
      break;
    case 'array': case 'slice':
      cap = lenOf(item);
      break;
    default:
      throw new GoError(`can't slice item of type ${t.name}`);
  }
  const idx = [0, lenOf(item), 0];
  indexes.forEach((ix, i) => { idx[i] = indexArg(unbox(ix), cap); });
  if (idx[0]! > idx[1]!) throw new GoError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new GoError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (t.kind === 'string') {
    const b = stringBytes(item)!.subarray(idx[0], idx[1]);
    const s = b.toString('utf8');
    return typeof item === 'string' ? s : new GoScalar(t, s);
  }
  if (item instanceof Uint8Array) return item.slice(idx[0], idx[1]);
  const out = (item as GoValue[]).slice(idx[0], idx[1]);
  return t === sliceOf(T.iface) ? out : withType(out, t);
}

/** len item. */
export function lengthFn(item0: RawValue): RawValue {
  const [item, isNil] = indirect(item0);
  if (isNil) throw new GoError('len of nil pointer');
  if (item === undefined) throw new GoError('reflect: call of reflect.Value.Type on zero Value');
  const k = typeOf(item).kind;
  switch (k) {
    case 'array': case 'chan': case 'map': case 'slice': case 'string':
      return BigInt(lenOf(item));
  }
  throw new GoError(`len of type ${typeOf(item).name}`);
}

type BasicKind = 'invalid' | 'bool' | 'complex' | 'int' | 'float' | 'string' | 'uint';

function basicKind(v: Value): BasicKind {
  if (v === undefined || v === null) return 'invalid';
  const k = typeOf(v).kind;
  if (k === 'bool') return 'bool';
  if (isIntKind(k)) return 'int';
  if (isUintKind(k)) return 'uint';
  if (isFloatKind(k)) return 'float';
  if (isComplexKind(k)) return 'complex';
  if (k === 'string') return 'string';
  return 'invalid';
}

function scalar(v: Value): bigint | number | string | boolean {
  if (v instanceof GoScalar) return v.v;
  return v as bigint | number | string | boolean;
}

function typeName(v: Value): string { return v === undefined || v === null ? '<nil>' : typeOf(v).name; }

function isNilValue(v: Value): boolean {
  return v === undefined || v === null || (v instanceof GoStruct && v.pointer && v.nil);
}

function comparable(v: GoValue): boolean {
  const k = typeOf(v).kind;
  return !(k === 'map' || k === 'slice' || k === 'func');
}

function structEqual(a: GoValue, b: GoValue): boolean {
  if (a instanceof GoStruct && b instanceof GoStruct) {
    if (a.pointer || b.pointer) return a === b || (a.fields === b.fields && a.nil === b.nil);
    if (a.structType !== b.structType) return false;
    for (const k of new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])) {
      const x = a.fields[k] ?? null;
      const y = b.fields[k] ?? null;
      if (basicKind(x) !== 'invalid' || basicKind(y) !== 'invalid') {
        if (basicKind(x) !== basicKind(y) || scalar(x) !== scalar(y)) return false;
      } else if (!structEqual(x, y)) return false;
    }
    return true;
  }
  return a === b;
}

/** eq arg1 arg2... */
export function eqFn(a1: RawValue, ...rest: RawValue[]): boolean {
  const arg1 = unbox(a1);
  if (rest.length === 0) throw new GoError(ERR_NO_COMPARISON);
  const k1 = basicKind(arg1);
  for (const a of rest) {
    const arg = unbox(a);
    const k2 = basicKind(arg);
    let t = false;
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') t = (scalar(arg1) as bigint) >= 0n && scalar(arg1) === scalar(arg);
      else if (k1 === 'uint' && k2 === 'int') t = (scalar(arg) as bigint) >= 0n && scalar(arg1) === scalar(arg);
      else if (arg1 !== undefined && arg !== undefined) {
        throw new GoError(`incompatible types for comparison: ${typeName(arg1)} and ${typeName(arg)}`);
      }
    } else {
      switch (k1) {
        case 'bool': case 'float': case 'int': case 'string': case 'uint':
          t = scalar(arg1) === scalar(arg);
          break;
        case 'complex': {
          const x = arg1 as GoComplex;
          const y = arg as GoComplex;
          t = x.re === y.re && x.im === y.im;
          break;
        }
        default: {
          const kk1 = arg1 === undefined ? 'invalid' : typeOf(arg1).kind;
          const kk2 = arg === undefined ? 'invalid' : typeOf(arg).kind;
          if (!(kk1 === kk2 || kk1 === 'invalid' || kk2 === 'invalid')) {
            throw new GoError(`non-comparable types ${sprintf('%s', [arg1])}: ${typeName(arg1)}, ${typeName(arg)}: ${sprintf('%v', [arg])}`);
          }
          if (isNilValue(arg1) || isNilValue(arg)) t = isNilValue(arg) === isNilValue(arg1);
          else {
            if (!comparable(arg as GoValue)) throw new GoError(`non-comparable type ${sprintf('%s', [arg])}: ${typeName(arg)}`);
            t = structEqual(arg1 as GoValue, arg as GoValue);
          }
        }
      }
    }
    if (t) return true;
  }
  return false;
}

/** lt arg1 arg2. */
export function ltFn(a1: RawValue, a2: RawValue): boolean {
  const arg1 = unbox(a1);
  const k1 = basicKind(arg1);
  if (k1 === 'invalid') throw new GoError(ERR_BAD_COMPARISON_TYPE);
  const arg2 = unbox(a2);
  const k2 = basicKind(arg2);
  if (k2 === 'invalid') throw new GoError(ERR_BAD_COMPARISON_TYPE);
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return (scalar(arg1) as bigint) < 0n || (scalar(arg1) as bigint) < (scalar(arg2) as bigint);
    if (k1 === 'uint' && k2 === 'int') return (scalar(arg2) as bigint) >= 0n && (scalar(arg1) as bigint) < (scalar(arg2) as bigint);
    throw new GoError(`incompatible types for comparison: ${typeName(arg1)} and ${typeName(arg2)}`);
  }
  switch (k1) {
    case 'bool': case 'complex': throw new GoError(ERR_BAD_COMPARISON_TYPE);
    case 'string': return compareStrings(scalar(arg1) as string, scalar(arg2) as string) < 0;
    default: return (scalar(arg1) as number) < (scalar(arg2) as number);
  }
}

export function leFn(a1: RawValue, a2: RawValue): boolean { return ltFn(a1, a2) || eqFn(a1, a2); }
export function gtFn(a1: RawValue, a2: RawValue): boolean { return !leFn(a1, a2); }
export function geFn(a1: RawValue, a2: RawValue): boolean { return !ltFn(a1, a2); }

/** text/template's evalArgs: Sprint with "<no value>" for nil and pointers dereferenced. */
export function evalArgs(args: readonly Value[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => {
    if (a === null || a === undefined) return '<no value>';
    if (a instanceof GoStruct && a.pointer) return a.nil ? '<no value>' : new GoStruct(a.structType, a.fields);
    return a;
  }));
}

/** template.HTMLEscapeString. */
export function htmlEscapeString(s: string): string {
  if (!/['"&<>\0]/.test(s)) return s;
  return s.replace(/['"&<>\0]/g, (c) => ({ "'": '&#39;', '"': '&#34;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\0': '\uFFFD' })[c]!);
}

/** template.JSEscapeString. */
export function jsEscapeString(s: string): string {
  let out = '';
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    switch (ch) {
      case '\\': out += '\\\\'; continue;
      case "'": out += "\\'"; continue;
      case '"': out += '\\"'; continue;
      case '<': out += '\\u003C'; continue;
      case '>': out += '\\u003E'; continue;
      case '&': out += '\\u0026'; continue;
      case '=': out += '\\u003D'; continue;
    }
    if (r < 0x20) { out += '\\u00' + r.toString(16).toUpperCase().padStart(2, '0'); continue; }
    if (r < 0x80) { out += ch; continue; }
    if (/^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch) && !(r >= 0xd800 && r <= 0xdfff)) out += ch;
    else out += '\\u' + r.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x5f || b === 0x2e || b === 0x7e) {
      out += String.fromCharCode(b);
    } else if (b === 0x20) out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

const RV = 'reflect.Value';

function unreachable(): never { throw new GoError('unreachable'); }

/** text/template's builtin functions. `and`, `or` and `call` are special-cased by the executor. */
export function builtins(): FuncMap {
  return {
    and: goFunc(`func(${RV}, ...${RV}) ${RV}`, unreachable),
    or: goFunc(`func(${RV}, ...${RV}) ${RV}`, unreachable),
    call: goFunc(`func(${RV}, ...${RV}) ${RV}`, unreachable),
    html: goFunc('func(...interface {}) string', (...a: Value[]) => htmlEscapeString(evalArgs(a))),
    index: goFunc(`func(${RV}, ...${RV}) (${RV}, error)`, indexFn),
    slice: goFunc(`func(${RV}, ...${RV}) (${RV}, error)`, sliceFn),
    js: goFunc('func(...interface {}) string', (...a: Value[]) => jsEscapeString(evalArgs(a))),
    len: goFunc(`func(${RV}) (int, error)`, lengthFn),
    not: goFunc(`func(${RV}) bool`, (a: RawValue) => !truth(a)),
    print: goFunc('func(...interface {}) string', (...a: Value[]) => sprint(a)),
    printf: goFunc('func(string, ...interface {}) string', (f: string, ...a: Value[]) => sprintf(f, a)),
    println: goFunc('func(...interface {}) string', (...a: Value[]) => sprintln(a)),
    urlquery: goFunc('func(...interface {}) string', (...a: Value[]) => queryEscape(evalArgs(a))),
    eq: goFunc(`func(${RV}, ...${RV}) (bool, error)`, eqFn),
    ge: goFunc(`func(${RV}, ${RV}) (bool, error)`, geFn),
    gt: goFunc(`func(${RV}, ${RV}) (bool, error)`, gtFn),
    le: goFunc(`func(${RV}, ${RV}) (bool, error)`, leFn),
    lt: goFunc(`func(${RV}, ${RV}) (bool, error)`, ltFn),
    ne: goFunc(`func(${RV}, ${RV}) (bool, error)`, (a: RawValue, b: RawValue) => !eqFn(a, b)),
  };
}

export const BUILTINS: Readonly<FuncMap> = Object.freeze(builtins());

