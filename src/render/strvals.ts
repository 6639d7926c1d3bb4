/**
 * helm's pkg/strvals (v4.1.4): the parsers behind `--set`, `--set-string`, `--set-json`,
 * `--set-file` and `--set-literal`, ported rune by rune with their quirks and messages.
 *
 * Values are plain JS data: strings, booleans, `null`, arrays, objects, `bigint` for Go's
 * int64 (what `--set a=1` gives) and `number` for float64 (JSON numbers of `--set-json`).
 * Go panics that helm recovers (type assertions on existing values) become errors worded
 * like Go's: `unable to parse key: interface conversion: interface {} is string, not …`.
 */
import { quote } from './template/index.js';

/** Maximum list index `a[i]` accepts (helm's MaxIndex). */
export const MAX_INDEX = 65536;
/** Maximum nesting of dotted names (helm's MaxNestedNameLevel). */
export const MAX_NESTED_NAME_LEVEL = 30;

export type StrValue = null | boolean | string | bigint | number | StrValue[] | StrMap;
export interface StrMap { [key: string]: StrValue }

/** An error from the strvals parsers; the message is helm's (Go's) text. */
export class StrvalsError extends Error {
  override name = 'StrvalsError';
}

const EOF: unique symbol = Symbol('EOF');
type Eof = typeof EOF;
const NOT_LIST: unique symbol = Symbol('ErrNotList');

/** A Go panic recovered by `key` ("unable to parse key: %s"). */
class Panic extends Error {}

/** Reader of runes over a string (Go's bytes.Buffer ReadRune/UnreadRune). */
class RuneReader {
  readonly runes: string[];
  pos = 0;
  constructor(s: string) { this.runes = Array.from(s); }
  read(): string | Eof {
    if (this.pos >= this.runes.length) return EOF;
    return this.runes[this.pos++]!;
  }
  unread(): void { if (this.pos > 0) this.pos--; }
  rest(): string { return this.runes.slice(this.pos).join(''); }
}

/** Returns [runes read, stop rune or EOF]. Escapes (`\x`) are honoured unless `literal`. */
function runesUntil(in_: RuneReader, stop: ReadonlySet<string>, literal = false): [string, string | Eof] {
  let v = '';
  for (;;) {
    const r = in_.read();
    if (r === EOF) return [v, EOF];
    if (stop.has(r)) return [v, r];
    if (!literal && r === '\\') {
      const next = in_.read();
      if (next === EOF) return [v, EOF];
      v += next;
      continue;
    }
    v += r;
  }
}

function goTypeName(v: StrValue | undefined): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'bigint') return 'int64';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

function isMap(v: StrValue | undefined): v is StrMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function assertList(v: StrValue | undefined): StrValue[] {
  if (Array.isArray(v)) return v;
  throw new Panic(`interface conversion: interface {} is ${goTypeName(v)}, not []interface {}`);
}

function assertMap(v: StrValue | undefined): StrMap {
  if (isMap(v)) return v;
  throw new Panic(`interface conversion: interface {} is ${goTypeName(v)}, not map[string]interface {}`);
}

function has(m: StrMap, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, k);
}

function set(data: StrMap, key: string, val: StrValue): void {
  if (key.length === 0) return;
  Object.defineProperty(data, key, { value: val, enumerable: true, writable: true, configurable: true });
}

function setIndex(list: StrValue[], index: number, val: StrValue): StrValue[] {
  if (index < 0) throw new StrvalsError(`negative ${index} index not allowed`);
  if (index > MAX_INDEX) throw new StrvalsError(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
  if (list.length <= index) {
    const grown: StrValue[] = new Array<StrValue>(index + 1).fill(null);
    for (let i = 0; i < list.length; i++) grown[i] = list[i]!;
    list = grown;
  }
  list[index] = val;
  return list;
}

/** Go's strconv.Atoi. */
function atoi(s: string): number {
  const syntax = (): never => { throw new StrvalsError(`strconv.Atoi: parsing ${quote(s)}: invalid syntax`); };
  if (!/^[+-]?[0-9]+$/.test(s)) syntax();
  const n = BigInt(s);
  if (n > 0x7fffffffffffffffn || n < -0x8000000000000000n) {
    throw new StrvalsError(`strconv.Atoi: parsing ${quote(s)}: value out of range`);
  }
  return Number(n);
}

function quoteRune(r: string): string {
  const q = quote(r);
  const inner = q.slice(1, -1).replace(/\\"/g, '"');
  return `'${inner === "'" ? "\\'" : inner}'`;
}

/** fmt's %q of a []rune: `['a' 'b']`. */
function quoteRunes(s: string): string {
  return `[${Array.from(s).map(quoteRune).join(' ')}]`;
}

/** typedVal: `--set` type inference (true/false/null case-insensitively, int64, else string). */
export function typedVal(val: string, st: boolean): StrValue {
  if (st) return val;
  const lower = val.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (val === '0') return 0n;
  if (val.length !== 0 && val[0] !== '0' && /^[+-]?[0-9]+$/.test(val)) {
    const n = BigInt(val);
    if (n <= 0x7fffffffffffffffn && n >= -0x8000000000000000n) return n;
  }
  return val;
}

/** Reads the value for --set-file: receives the runes after `=`, returns the value. */
export type RunesValueReader = (rs: string) => StrValue;

const KEY_STOP = new Set(['=', '[', ',', '.']);
const INDEX_STOP = new Set([']']);
const LIST_ITEM_STOP = new Set(['[', '.', '=']);
const VAL_STOP = new Set([',']);
const VAL_LIST_STOP = new Set([',', '}']);
const LITERAL_KEY_STOP = new Set(['=', '[', '.']);
const NO_STOP = new Set<string>();

class Parser {
  constructor(
    readonly sc: RuneReader,
    readonly data: StrMap,
    readonly reader: RunesValueReader | null,
    readonly isJsonVal: boolean,
  ) {}

  parse(): void {
    for (;;) {
      const err = this.keyGuarded(this.data, 0);
      if (err === null) continue;
      if (err === EOF) return;
      throw err;
    }
  }

  /** `key` with its deferred recover: returns null, EOF or the error. */
  keyGuarded(data: StrMap, level: number): StrvalsError | Eof | null {
    try {
      return this.key(data, level);
    } catch (e) {
      if (e instanceof Panic) return new StrvalsError(`unable to parse key: ${e.message}`);
      if (e instanceof StrvalsError) return e;
      throw e;
    }
  }

  key(data: StrMap, level: number): StrvalsError | Eof | null {
    const [k, last] = runesUntil(this.sc, KEY_STOP);
    if (last === EOF) {
      if (k.length === 0) return EOF;
      return new StrvalsError(`key ${quote(k)} has no value`);
    }
    switch (last) {
      case '[': {
        let i: number;
        const idx = this.keyIndex();
        if (idx instanceof StrvalsError) return new StrvalsError(`error parsing index: ${idx.message}`);
        if (idx === EOF) return EOF;
        i = idx;
        let list: StrValue[] = [];
        if (has(data, k)) list = assertList(data[k]);
        const [l2, err] = this.listItem(list, i, level);
        set(data, k, l2);
        return err;
      }
      case '=': {
        if (this.isJsonVal) {
          if (this.emptyVal()) { set(data, k, null); return null; }
          const [v, used] = decodeJsonPrefix(this.sc.rest());
          set(data, k, v);
          this.sc.pos += used;
          this.emptyVal();
          return null;
        }
        const vl = this.valList();
        if (vl === EOF) { set(data, k, ''); return EOF; }
        if (vl === NOT_LIST) {
          const [rs] = runesUntil(this.sc, VAL_STOP);
          set(data, k, this.reader!(rs));
          return null;
        }
        set(data, k, vl);
        return null;
      }
      case ',':
        set(data, k, '');
        return new StrvalsError(`key ${quote(k)} has no value (cannot end with ,)`);
      case '.': {
        level++;
        if (level > MAX_NESTED_NAME_LEVEL) {
          return new StrvalsError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
        }
        let inner: StrMap = {};
        if (has(data, k)) inner = assertMap(data[k]);
        const e = this.keyGuarded(inner, level);
        const n = Object.keys(inner).length;
        if (e === null && n === 0) return new StrvalsError(`key map ${quote(k)} has no value`);
        if (n !== 0) set(data, k, inner);
        return e;
      }
    }
    return null;
  }

  keyIndex(): number | StrvalsError | Eof {
    const [v, last] = runesUntil(this.sc, INDEX_STOP);
    if (last === EOF) return EOF;
    try {
      return atoi(v);
    } catch (e) {
      if (e instanceof StrvalsError) return e;
      throw e;
    }
  }

  /** Returns [list, error-or-null]. */
  listItem(list: StrValue[], i: number, level: number): [StrValue[], StrvalsError | Eof | null] {
    if (i < 0) return [list, new StrvalsError(`negative ${i} index not allowed`)];
    const [k, last] = runesUntil(this.sc, LIST_ITEM_STOP);
    if (k.length > 0) return [list, new StrvalsError(`unexpected data at end of array index: ${quoteRunes(k)}`)];
    if (last === EOF) return [list, EOF];
    const trySet = (v: StrValue): [StrValue[], StrvalsError | null] => {
      try {
        return [setIndex(list, i, v), null];
      } catch (e) {
        if (e instanceof StrvalsError) return [list, e];
        throw e;
      }
    };
    switch (last) {
      case '=': {
        if (this.isJsonVal) {
          if (this.emptyVal()) return trySet(null);
          const [v, used] = decodeJsonPrefix(this.sc.rest());
          const r = trySet(v);
          if (r[1]) return r;
          this.sc.pos += used;
          this.emptyVal();
          return r;
        }
        const vl = this.valList();
        if (vl === EOF) return trySet('');
        if (vl === NOT_LIST) {
          const [rs] = runesUntil(this.sc, VAL_STOP);
          return trySet(this.reader!(rs));
        }
        return trySet(vl);
      }
      case '[': {
        const nextI = this.keyIndex();
        if (nextI instanceof StrvalsError) return [list, new StrvalsError(`error parsing index: ${nextI.message}`)];
        if (nextI === EOF) return [list, EOF];
        let crt: StrValue[] = [];
        if (list.length > i) {
          const existed = list[i];
          if (existed !== null && existed !== undefined) crt = assertList(existed);
        }
        const [list2, err] = this.listItem(crt, nextI, level);
        if (err) return [list, err];
        return trySet(list2);
      }
      case '.': {
        let inner: StrMap = {};
        if (list.length > i) {
          const cur = list[i];
          if (isMap(cur)) inner = cur;
          else { inner = {}; list[i] = inner; }
        }
        const e = this.keyGuarded(inner, level);
        if (e) return [list, e];
        return trySet(inner);
      }
    }
    return [[], new StrvalsError(`parse error: unexpected token ${last.codePointAt(0)}`)];
  }

  /** Consumes blanks up to a comma or EOF (true) or stops before another rune (false). */
  emptyVal(): boolean {
    for (;;) {
      const r = this.sc.read();
      if (r === EOF) return true;
      if (r === ',') return true;
      if (!isGoSpace(r)) { this.sc.unread(); return false; }
    }
  }

  valList(): StrValue[] | Eof | typeof NOT_LIST {
    const r = this.sc.read();
    if (r === EOF) return EOF;
    if (r !== '{') { this.sc.unread(); return NOT_LIST; }
    const list: StrValue[] = [];
    for (;;) {
      const [rs, last] = runesUntil(this.sc, VAL_LIST_STOP);
      if (last === EOF) throw new StrvalsError("list must terminate with '}'");
      if (last === '}') {
        const n = this.sc.read();
        if (n !== EOF && n !== ',') this.sc.unread();
        list.push(this.reader!(rs));
        return list;
      }
      list.push(this.reader!(rs));
    }
  }
}

class LiteralParser {
  constructor(readonly sc: RuneReader, readonly data: StrMap) {}

  parse(): void {
    for (;;) {
      const err = this.keyGuarded(this.data, 0);
      if (err === null) continue;
      if (err === EOF) return;
      throw err;
    }
  }

  keyGuarded(data: StrMap, level: number): StrvalsError | Eof | null {
    try {
      return this.key(data, level);
    } catch (e) {
      if (e instanceof Panic) return new StrvalsError(`unable to parse key: ${e.message}`);
      if (e instanceof StrvalsError) return e;
      throw e;
    }
  }

  key(data: StrMap, level: number): StrvalsError | Eof | null {
    const [key, last] = runesUntil(this.sc, LITERAL_KEY_STOP, true);
    if (last === EOF) {
      if (key.length === 0) return EOF;
      return new StrvalsError(`key ${quote(key)} has no value`);
    }
    switch (last) {
      case '=': {
        const [value] = runesUntil(this.sc, NO_STOP, true);
        set(data, key, value);
        return null;
      }
      case '.': {
        level++;
        if (level > MAX_NESTED_NAME_LEVEL) {
          return new StrvalsError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
        }
        let inner: StrMap = {};
        if (has(data, key)) inner = assertMap(data[key]);
        const err = this.keyGuarded(inner, level);
        const n = Object.keys(inner).length;
        if (err === null && n === 0) return new StrvalsError(`key map ${quote(key)} has no value`);
        if (n !== 0) set(data, key, inner);
        return err;
      }
      case '[': {
        const i = this.keyIndex();
        if (i instanceof StrvalsError) return new StrvalsError(`error parsing index: ${i.message}`);
        if (i === EOF) return EOF;
        let list: StrValue[] = [];
        if (has(data, key)) list = assertList(data[key]);
        const [l2, err] = this.listItem(list, i, level);
        set(data, key, l2);
        return err;
      }
    }
    return null;
  }

  keyIndex(): number | StrvalsError | Eof {
    const [v, last] = runesUntil(this.sc, INDEX_STOP, true);
    if (last === EOF) return EOF;
    try {
      return atoi(v);
    } catch (e) {
      if (e instanceof StrvalsError) return e;
      throw e;
    }
  }

  listItem(list: StrValue[], i: number, level: number): [StrValue[], StrvalsError | Eof | null] {
    if (i < 0) return [list, new StrvalsError(`negative ${i} index not allowed`)];
    const [key, last] = runesUntil(this.sc, LIST_ITEM_STOP, true);
    if (key.length > 0) return [list, new StrvalsError(`unexpected data at end of array index: ${quoteRunes(key)}`)];
    if (last === EOF) return [list, EOF];
    const trySet = (v: StrValue): [StrValue[], StrvalsError | null] => {
      try {
        return [setIndex(list, i, v), null];
      } catch (e) {
        if (e instanceof StrvalsError) return [list, e];
        throw e;
      }
    };
    switch (last) {
      case '=': {
        const [value] = runesUntil(this.sc, NO_STOP, true);
        return trySet(value);
      }
      case '.': {
        let inner: StrMap = {};
        if (list.length > i) {
          const cur = list[i];
          if (isMap(cur)) inner = cur;
          else { inner = {}; list[i] = inner; }
        }
        const err = this.keyGuarded(inner, level);
        if (err) return [list, err];
        return trySet(inner);
      }
      case '[': {
        const nextI = this.keyIndex();
        if (nextI instanceof StrvalsError) return [list, new StrvalsError(`error parsing index: ${nextI.message}`)];
        if (nextI === EOF) return [list, EOF];
        let crt: StrValue[] = [];
        if (list.length > i) {
          const existed = list[i];
          if (existed !== null && existed !== undefined) crt = assertList(existed);
        }
        const [list2, err] = this.listItem(crt, nextI, level);
        if (err) return [list, err];
        return trySet(list2);
      }
    }
    return [[], new StrvalsError(`parse error: unexpected token ${last.codePointAt(0)}`)];
  }
}

/** Go's unicode.IsSpace. */
function isGoSpace(r: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u.test(r);
}

function stringReader(st: boolean): RunesValueReader {
  return (rs) => typedVal(rs, st);
}

function run(p: { parse(): void }): void {
  p.parse();
}

/** strvals.ParseInto (`--set`): merges `s` into `dest`. Throws StrvalsError. */
export function parseInto(s: string, dest: StrMap): void {
  run(new Parser(new RuneReader(s), dest, stringReader(false), false));
}

/** strvals.ParseIntoString (`--set-string`). */
export function parseIntoString(s: string, dest: StrMap): void {
  run(new Parser(new RuneReader(s), dest, stringReader(true), false));
}

/** strvals.ParseJSON (`--set-json` with `key=jsonval` pairs). */
export function parseJSON(s: string, dest: StrMap): void {
  run(new Parser(new RuneReader(s), dest, null, true));
}

/** strvals.ParseIntoFile (`--set-file`): the value runes go through `reader`. */
export function parseIntoFile(s: string, dest: StrMap, reader: RunesValueReader): void {
  run(new Parser(new RuneReader(s), dest, reader, false));
}

/** strvals.ParseLiteralInto (`--set-literal`). */
export function parseLiteralInto(s: string, dest: StrMap): void {
  run(new LiteralParser(new RuneReader(s), dest));
}

/** strvals.Parse. */
export function parse(s: string): StrMap {
  const m: StrMap = {};
  parseInto(s, m);
  return m;
}

/** strvals.ParseString. */
export function parseString(s: string): StrMap {
  const m: StrMap = {};
  parseIntoString(s, m);
  return m;
}

/** strvals.ParseLiteral. */
export function parseLiteral(s: string): StrMap {
  const m: StrMap = {};
  parseLiteralInto(s, m);
  return m;
}

/** strvals.ParseFile. */
export function parseFile(s: string, reader: RunesValueReader): StrMap {
  const m: StrMap = {};
  parseIntoFile(s, m, reader);
  return m;
}

// --- encoding/json Decoder: one value from the front of a string

/**
 * Decodes the first JSON value of `s` like Go's json.Decoder.Decode into interface{}
 * (numbers float64) and returns it with the number of code points consumed (InputOffset).
 * Throws StrvalsError on a syntax error.
 */
export function decodeJsonPrefix(s: string): [StrValue, number] {
  let i = 0;
  const n = s.length;
  const fail = (msg: string): never => { throw new StrvalsError(msg); };
  const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  const skipWs = (): void => { while (i < n && isWs(s[i])) i++; };
  const value = (): StrValue => {
    skipWs();
    if (i >= n) fail('unexpected EOF');
    const c = s[i]!;
    if (c === '{') {
      i++;
      const obj: StrMap = {};
      skipWs();
      if (s[i] === '}') { i++; return obj; }
      for (;;) {
        skipWs();
        if (s[i] !== '"') fail(i >= n ? 'unexpected EOF' : `invalid character ${quoteRune(s[i]!)} looking for beginning of object key string`);
        const k = str();
        skipWs();
        if (s[i] !== ':') fail(i >= n ? 'unexpected EOF' : `invalid character ${quoteRune(s[i]!)} after object key`);
        i++;
        set(obj, k, value());
        skipWs();
        if (s[i] === ',') { i++; continue; }
        if (s[i] === '}') { i++; return obj; }
        fail(i >= n ? 'unexpected EOF' : `invalid character ${quoteRune(s[i]!)} after object key:value pair`);
      }
    }
    if (c === '[') {
      i++;
      const arr: StrValue[] = [];
      skipWs();
      if (s[i] === ']') { i++; return arr; }
      for (;;) {
        arr.push(value());
        skipWs();
        if (s[i] === ',') { i++; continue; }
        if (s[i] === ']') { i++; return arr; }
        fail(i >= n ? 'unexpected EOF' : `invalid character ${quoteRune(s[i]!)} after array element`);
      }
    }
    if (c === '"') return str();
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (s.startsWith(lit, i)) { i += lit.length; return v; }
      if (lit.startsWith(s.slice(i)) ) fail('unexpected EOF');
    }
    const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(s.slice(i));
    if (m && m[0] !== '-' && m[0].length > 0) {
      const text = m[0];
      const after = s[i + text.length];
      if (after === undefined && /[.eE+-]$/.test(text)) fail('unexpected EOF');
      i += text.length;
      const f = Number(text);
      if (!Number.isFinite(f)) fail(`json: cannot unmarshal number ${text} into Go value of type float64`);
      return f;
    }
    return fail(`invalid character ${quoteRune(c)} looking for beginning of value`);
  };
  const str = (): string => {
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= n) fail('unexpected EOF');
      const c = s[i]!;
      if (c === '"') { i++; return out; }
      if (c.charCodeAt(0) < 0x20) fail(`invalid character ${quoteRune(c)} in string literal`);
      if (c === '\\') {
        const e = s[i + 1];
        if (e === undefined) fail('unexpected EOF');
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e! in simple) { out += simple[e!]; i += 2; continue; }
        if (e === 'u') {
          const hex = s.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(`invalid character in \\u hexadecimal character escape`);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        fail(`invalid character ${quoteRune(e!)} in string escape code`);
      }
      out += c;
      i++;
    }
  };
  const v = value();
  return [v, Array.from(s.slice(0, i)).length];
}
