/**
 * Go's encoding/json as helm's `toJson`, `mustToJson`, `fromJson` and `fromJsonArray` use it
 * (json.Marshal / json.Unmarshal into map[string]interface{} or []interface{}), and the
 * JSON tree that sigs.k8s.io/yaml's Marshal converts to YAML.
 *
 * Marshal: map keys sorted byte-wise, HTML-safe string escaping (`<` `>` `&` as \u003c…),
 * U+2028/U+2029 escaped, invalid UTF-8 (lone surrogates here) as \ufffd, float64 in 'f'
 * form unless |f| < 1e-6 or |f| >= 1e21 ('e' form with a cleaned exponent), NaN/Inf an
 * UnsupportedValueError, []byte as base64.
 */
import {
  GoComplex, GoScalar, GoStruct, fieldsOf, isGoFunc, isGoMap, compareStrings, typeOf,
  type GoMap, type GoType, type GoValue,
} from '../template/value.js';
import { formatFloat, quote } from '../template/strconv.js';
import { isGoTime, timeRFC3339 } from './time.js';

/** An error from an encoder or decoder, worded like the Go library's. */
export class EncodingError extends Error {
  override name = 'EncodingError';
}

/** A JSON number as Go writes it (the text decides int vs float downstream). */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A JSON object: keys in Go's output order (byte-wise sorted for maps, declaration order for structs). */
export class JsonObject {
  constructor(readonly entries: Array<[string, JsonNode]>) {}
}

/** What json.Marshal writes, as a tree. */
export type JsonNode = null | boolean | string | JsonNumber | JsonNode[] | JsonObject;

/** How a struct type marshals to JSON (Go's `json:"name,omitempty"` tags). */
export interface JsonFieldSpec {
  /** Go field name in `GoStruct.fields`. */
  readonly field: string;
  /** JSON key; '-' skips the field. */
  readonly name: string;
  readonly omitempty?: boolean;
  /** `,string` option is not supported. */
}

const structSpecs = new WeakMap<GoType, readonly JsonFieldSpec[]>();

/**
 * Declares the JSON tags of a struct type (e.g. helm's chart.Metadata). Without one, a
 * struct marshals its exported fields under their Go names, in declaration order.
 */
export function registerJsonFields(structType: GoType, spec: readonly JsonFieldSpec[]): void {
  structSpecs.set(structType, spec);
}

/** json.Marshal's view of a value: the tree it would write. Throws EncodingError like Go. */
export function toJsonTree(v: GoValue): JsonNode {
  return new Marshaller().value(v, 0);
}

class Marshaller {
  private readonly seen = new Set<object>();

  value(v: GoValue, depth: number): JsonNode {
    if (v === null) return null;
    switch (typeof v) {
      case 'boolean': return v;
      case 'string': return v;
      case 'bigint': return new JsonNumber(v.toString());
      case 'number': return floatNumber(v, 64);
    }
    if (v instanceof GoScalar) {
      const k = v.type.kind;
      if (typeof v.v === 'boolean' || typeof v.v === 'string') return v.v;
      if (typeof v.v === 'bigint') return new JsonNumber(v.v.toString());
      return floatNumber(v.v, k === 'float32' ? 32 : 64);
    }
    if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
    if (v instanceof GoComplex || isGoFunc(v)) throw new EncodingError(`json: unsupported type: ${typeOf(v).name}`);
    if (depth > 1000) {
      // Go detects cycles after 1000 levels of pointers/maps/slices.
      throw new EncodingError(`json: unsupported value: encountered a cycle via ${typeOf(v).name}`);
    }
    if (Array.isArray(v)) {
      if (this.seen.has(v)) throw new EncodingError(`json: unsupported value: encountered a cycle via ${typeOf(v).name}`);
      this.seen.add(v);
      try {
        return v.map((x) => this.value(x, depth + 1));
      } finally {
        this.seen.delete(v);
      }
    }
    if (v instanceof GoStruct) {
      if (v.pointer && v.nil) return null;
      if (isGoTime(v)) return timeRFC3339(v);
      return this.struct(v, depth);
    }
    if (isGoMap(v)) {
      if (this.seen.has(v)) throw new EncodingError(`json: unsupported value: encountered a cycle via ${typeOf(v).name}`);
      this.seen.add(v);
      try {
        const keys = Object.keys(v).sort(compareStrings);
        return new JsonObject(keys.map((k) => [k, this.value((v as GoMap)[k] as GoValue, depth + 1)]));
      } finally {
        this.seen.delete(v);
      }
    }
    throw new EncodingError(`json: unsupported type: ${typeOf(v).name}`);
  }

  private struct(s: GoStruct, depth: number): JsonObject {
    const spec = structSpecs.get(s.structType);
    const out: Array<[string, JsonNode]> = [];
    if (spec) {
      for (const f of spec) {
        if (f.name === '-') continue;
        const x = (Object.prototype.hasOwnProperty.call(s.fields, f.field) ? s.fields[f.field] : null) ?? null;
        if (f.omitempty && isEmptyValue(x)) continue;
        out.push([f.name, this.value(x, depth + 1)]);
      }
      return new JsonObject(out);
    }
    for (const [name] of fieldsOf(s.structType)) {
      if (!/^\p{Lu}/u.test(name)) continue; // unexported
      const x = s.fields[name] ?? null;
      out.push([name, this.value(x, depth + 1)]);
    }
    return new JsonObject(out);
  }
}

/** encoding/json's isEmptyValue (for omitempty). */
function isEmptyValue(v: GoValue): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case 'boolean': return !v;
    case 'string': return v === '';
    case 'bigint': return v === 0n;
    case 'number': return v === 0;
  }
  if (v instanceof GoScalar) return v.v === false || v.v === '' || v.v === 0n || v.v === 0;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (v instanceof GoStruct) return v.pointer && v.nil;
  if (isGoMap(v)) return Object.keys(v).length === 0;
  return false;
}

/** encoding/json's floatEncoder. */
function floatNumber(f: number, bits: 32 | 64): JsonNumber {
  if (!Number.isFinite(f)) {
    throw new EncodingError(`json: unsupported value: ${formatFloat(f, 'g', -1, bits)}`);
  }
  const abs = Math.abs(bits === 32 ? Math.fround(f) : f);
  let fmt = 'f';
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) fmt = 'e';
  let s = formatFloat(f, fmt, -1, bits);
  if (fmt === 'e') {
    const n = s.length;
    if (n >= 4 && s[n - 4] === 'e' && s[n - 3] === '-' && s[n - 2] === '0') s = s.slice(0, n - 2) + s[n - 1];
  }
  return new JsonNumber(s);
}

const HEX = '0123456789abcdef';

/** Go's appendString with escapeHTML = true. */
export function jsonQuote(s: string, escapeHTML = true): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && !(escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26))) continue;
      switch (c) {
        case 0x22: rep = '\\"'; break;
        case 0x5c: rep = '\\\\'; break;
        case 0x08: rep = '\\b'; break;
        case 0x0c: rep = '\\f'; break;
        case 0x0a: rep = '\\n'; break;
        case 0x0d: rep = '\\r'; break;
        case 0x09: rep = '\\t'; break;
        default: rep = '\\u00' + HEX[c >> 4]! + HEX[c & 0xf]!;
      }
    } else if (c === 0x2028 || c === 0x2029) {
      rep = c === 0x2028 ? '\\u2028' : '\\u2029';
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
      if (pair) { i++; continue; }
      rep = '\\ufffd';
    } else {
      continue;
    }
    out += s.slice(start, i) + rep;
    start = i + 1;
  }
  return out + s.slice(start) + '"';
}

/** Serialises a JSON tree compactly, as json.Marshal does. */
export function stringifyJson(n: JsonNode): string {
  const parts: string[] = [];
  const walk = (x: JsonNode): void => {
    if (x === null) { parts.push('null'); return; }
    if (typeof x === 'boolean') { parts.push(x ? 'true' : 'false'); return; }
    if (typeof x === 'string') { parts.push(jsonQuote(x)); return; }
    if (x instanceof JsonNumber) { parts.push(x.text); return; }
    if (Array.isArray(x)) {
      parts.push('[');
      x.forEach((e, i) => { if (i > 0) parts.push(','); walk(e); });
      parts.push(']');
      return;
    }
    parts.push('{');
    x.entries.forEach(([k, e], i) => {
      if (i > 0) parts.push(',');
      parts.push(jsonQuote(k), ':');
      walk(e);
    });
    parts.push('}');
  };
  walk(n);
  return parts.join('');
}

/** json.Marshal(v) as a string; throws EncodingError. */
export function jsonMarshal(v: GoValue): string {
  return stringifyJson(toJsonTree(v));
}

/** helm's `toJson`: "" on error. */
export function toJson(v: GoValue): string {
  try {
    return jsonMarshal(v);
  } catch (e) {
    if (e instanceof EncodingError) return '';
    throw e;
  }
}

/** helm's `mustToJson`: the marshal error is thrown (the template reports `error calling mustToJson: …`). */
export function mustToJson(v: GoValue): string {
  return jsonMarshal(v);
}

// ---------------------------------------------------------------------------------------
// Decoding (json.Unmarshal into interface{} containers)

/** Go's quoteChar for syntax errors. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const q = quote(String.fromCharCode(c));
  return "'" + q.slice(1, -1) + "'";
}

/** Bytes of a JS string as UTF-8 (lone surrogates as U+FFFD). */
function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Go's checkValid (the scanner): the first syntax error, worded like Go, or null. */
export function jsonSyntaxError(data: Uint8Array): string | null {
  const scan = new SyntaxScanner(data);
  try {
    scan.value(0);
    scan.skipSpace();
    if (!scan.atEnd()) scan.fail('after top-level value');
    return null;
  } catch (e) {
    if (e instanceof SyntaxFail) return e.message;
    throw e;
  }
}

class SyntaxFail {
  constructor(readonly message: string) {}
}

const isJsonSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** Walks JSON bytes as Go's scanner does, throwing SyntaxFail with Go's wording at the first error. */
class SyntaxScanner {
  private i = 0;
  private readonly n: number;

  constructor(private readonly data: Uint8Array) {
    this.n = data.length;
  }

  atEnd(): boolean {
    return this.i >= this.n;
  }

  skipSpace(): void {
    while (this.i < this.n && isJsonSpace(this.data[this.i]!)) this.i++;
  }

  private at(c: number): boolean {
    return this.i < this.n && this.data[this.i] === c;
  }

  /**
   * At the end of input Go's scanner steps once more with ' ': states that reject a space
   * (inside literals, numbers and escapes) report it; the others say "unexpected end".
   */
  fail(ctx: string, spaceAtEof = false): never {
    if (this.i >= this.n) {
      if (spaceAtEof) throw new SyntaxFail(`invalid character ' ' ${ctx}`);
      throw new SyntaxFail('unexpected end of JSON input');
    }
    throw new SyntaxFail(`invalid character ${quoteChar(this.data[this.i]!)} ${ctx}`);
  }

  // Objects and arrays are walked here, not in helpers, so that each nesting level costs one
  // stack frame: Go's depth limit (10000) must be reached before the JS stack runs out.
  value(depth: number): void {
    if (depth > 10000) throw new SyntaxFail('exceeded max depth');
    this.skipSpace();
    if (this.i >= this.n) this.fail('looking for beginning of value');
    const c = this.data[this.i]!;
    if (c === 0x7b) {
      this.i++;
      this.skipSpace();
      if (this.at(0x7d)) { this.i++; return; }
      for (;;) {
        this.skipSpace();
        if (!this.at(0x22)) this.fail('looking for beginning of object key string');
        this.string();
        this.skipSpace();
        if (!this.at(0x3a)) this.fail('after object key');
        this.i++;
        this.value(depth + 1);
        if (this.endOfElement(0x7d, 'after object key:value pair')) return;
      }
    }
    if (c === 0x5b) {
      this.i++;
      this.skipSpace();
      if (this.at(0x5d)) { this.i++; return; }
      for (;;) {
        this.value(depth + 1);
        if (this.endOfElement(0x5d, 'after array element')) return;
      }
    }
    if (c === 0x22) return this.string();
    if (c === 0x2d || isDigit(c)) return this.number();
    if (c === 0x74) return this.literal('true');
    if (c === 0x66) return this.literal('false');
    if (c === 0x6e) return this.literal('null');
    this.fail('looking for beginning of value');
  }

  /** After an element: a comma (false: more follow) or the closing `close` (true). */
  private endOfElement(close: number, ctx: string): boolean {
    this.skipSpace();
    if (this.at(0x2c)) { this.i++; return false; }
    if (this.at(close)) { this.i++; return true; }
    return this.fail(ctx);
  }

  private literal(word: string): void {
    this.i++;
    for (let k = 1; k < word.length; k++) {
      if (!this.at(word.charCodeAt(k))) this.fail(`in literal ${word} (expecting ${quoteChar(word.charCodeAt(k))})`, true);
      this.i++;
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      if (this.i >= this.n) this.fail('');
      const c = this.data[this.i]!;
      if (c === 0x22) { this.i++; return; }
      if (c === 0x5c) {
        this.escape();
        continue;
      }
      if (c < 0x20) this.fail('in string literal');
      this.i++;
    }
  }

  /** A backslash escape inside a string. */
  private escape(): void {
    this.i++;
    if (this.i >= this.n) this.fail('in string escape code', true);
    const e = this.data[this.i]!;
    if ('"\\/bfnrt'.includes(String.fromCharCode(e))) { this.i++; return; }
    if (e !== 0x75) this.fail('in string escape code');
    this.i++;
    for (let k = 0; k < 4; k++) {
      if (this.i >= this.n || !isHex(this.data[this.i]!)) this.fail('in \\u hexadecimal character escape', true);
      this.i++;
    }
  }

  private digits(): void {
    while (isDigit(this.data[this.i])) this.i++;
  }

  private number(): void {
    if (this.data[this.i] === 0x2d) {
      this.i++;
      if (!isDigit(this.data[this.i])) this.fail('in numeric literal', true);
    }
    if (this.data[this.i] === 0x30) this.i++;
    else this.digits();
    if (this.at(0x2e)) {
      this.i++;
      if (!isDigit(this.data[this.i])) this.fail('after decimal point in numeric literal', true);
      this.digits();
    }
    if (this.at(0x65) || this.at(0x45)) {
      this.i++;
      if (this.at(0x2b) || this.at(0x2d)) this.i++;
      if (!isDigit(this.data[this.i])) this.fail('in exponent of numeric literal', true);
      this.digits();
    }
  }
}

/** Decodes valid JSON into the value model the way json.Unmarshal fills interface{}: float64 numbers. */
class JsonDecoder {
  private i = 0;
  /** First UnmarshalTypeError met (decoding goes on, as Go's does). */
  error: string | null = null;

  constructor(private readonly s: string) {}

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++;
      else break;
    }
  }

  /** The next value's kind without consuming it. */
  peekKind(): 'object' | 'array' | 'string' | 'number' | 'bool' | 'null' {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return 'object';
    if (c === '[') return 'array';
    if (c === '"') return 'string';
    if (c === 't' || c === 'f') return 'bool';
    if (c === 'n') return 'null';
    return 'number';
  }

  value(): GoValue {
    this.ws();
    const s = this.s;
    const c = s[this.i];
    if (c === '{') {
      this.i++;
      const out: GoMap = {};
      this.ws();
      if (s[this.i] === '}') { this.i++; return out; }
      for (;;) {
        this.ws();
        const k = this.string();
        this.ws();
        this.i++; // ':'
        const v = this.value();
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
        this.ws();
        if (s[this.i++] === '}') return out;
      }
    }
    if (c === '[') {
      this.i++;
      const out: GoValue[] = [];
      this.ws();
      if (s[this.i] === ']') { this.i++; return out; }
      for (;;) {
        out.push(this.value());
        this.ws();
        if (s[this.i++] === ']') return out;
      }
    }
    if (c === '"') return this.string();
    if (s.startsWith('true', this.i)) { this.i += 4; return true; }
    if (s.startsWith('false', this.i)) { this.i += 5; return false; }
    if (s.startsWith('null', this.i)) { this.i += 4; return null; }
    const m = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
    m.lastIndex = this.i;
    const r = m.exec(s)!;
    this.i += r[0].length;
    const f = Number(r[0]);
    if (!Number.isFinite(f)) {
      this.error ??= `json: cannot unmarshal number ${r[0]} into Go value of type float64`;
      return null;
    }
    return f;
  }

  /** Skips one value. */
  skip(): void {
    this.value();
  }

  private string(): string {
    const s = this.s;
    this.i++; // opening quote
    let out = '';
    let start = this.i;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 0x22) { out += s.slice(start, this.i); this.i++; return out; }
      if (c !== 0x5c) { this.i++; continue; }
      out += s.slice(start, this.i);
      const e = s[this.i + 1]!;
      this.i += 2;
      switch (e) {
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          let r = parseInt(s.slice(this.i, this.i + 4), 16);
          this.i += 4;
          if (r >= 0xd800 && r <= 0xdfff) {
            // utf16.DecodeRune of a surrogate pair, else U+FFFD.
            if (r <= 0xdbff && s[this.i] === '\\' && s[this.i + 1] === 'u') {
              const r2 = parseInt(s.slice(this.i + 2, this.i + 6), 16);
              if (r2 >= 0xdc00 && r2 <= 0xdfff) {
                out += String.fromCharCode(r, r2);
                this.i += 6;
                break;
              }
            }
            r = 0xfffd;
          }
          out += String.fromCharCode(r);
          break;
        }
        default: out += e; // " \ /
      }
      start = this.i;
    }
  }
}

/** A decoded result plus Go's error text (syntax or first type error), if any. */
export interface DecodeResult<T> { value: T; error: string | null }

/** json.Unmarshal(data, &m) with m a fresh map[string]interface{}. `value` null when Go sets m to nil (JSON null). */
export function jsonUnmarshalMap(text: string): DecodeResult<GoMap | null> {
  const bytes = utf8(text);
  const syntax = jsonSyntaxError(bytes);
  if (syntax !== null) return { value: {}, error: syntax };
  const d = new JsonDecoder(new TextDecoder().decode(bytes));
  const kind = d.peekKind();
  if (kind === 'null') return { value: null, error: null };
  if (kind !== 'object') {
    return { value: {}, error: `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}` };
  }
  const v = d.value() as GoMap;
  return { value: v, error: d.error };
}

/** json.Unmarshal(data, &a) with a a fresh []interface{}. `value` null when Go sets a to nil (JSON null). */
export function jsonUnmarshalArray(text: string): DecodeResult<GoValue[] | null> {
  const bytes = utf8(text);
  const syntax = jsonSyntaxError(bytes);
  if (syntax !== null) return { value: [], error: syntax };
  const d = new JsonDecoder(new TextDecoder().decode(bytes));
  const kind = d.peekKind();
  if (kind === 'null') return { value: null, error: null };
  if (kind !== 'array') {
    return { value: [], error: `json: cannot unmarshal ${kind} into Go value of type []interface {}` };
  }
  const v = d.value() as GoValue[];
  return { value: v, error: d.error };
}

/**
 * helm's `fromJson`: the decoded map; on error the map (possibly partly filled) gets an
 * `Error` key with Go's message. JSON `null` gives an empty map here (Go: a nil map, which
 * prints the same in templates but marshals as `null`).
 */
export function fromJson(str: string): GoMap {
  const r = jsonUnmarshalMap(str);
  const m = r.value ?? {};
  if (r.error !== null) m['Error'] = r.error;
  return m;
}

/** helm's `fromJsonArray`: on error a one-element list holding Go's message. */
export function fromJsonArray(str: string): GoValue[] {
  const r = jsonUnmarshalArray(str);
  if (r.error !== null) return [r.error];
  return r.value ?? [];
}

