/**
 * Go's encoding/json over the value model: Marshal / MarshalIndent / Encoder without
 * HTML escaping, and Unmarshal into interface{} (or a map / slice, as helm's fromJson
 * and fromJsonArray do), with Go's error messages.
 *
 * Exported for the helm function layer (toJson, mustToJson, fromJson, fromJsonArray).
 */
import {
  GoComplex, GoError, GoScalar, GoStruct, fieldsOf, formatFloat, isGoFunc, isGoMap, sortedKeys, typeOf,
  type GoMap, type GoType, type GoValue, type Value,
} from '../template/index.js';
import { parseFloat64 } from '../template/strconv.js';
import { mapSet } from './util.js';

/** A type's own MarshalJSON (time.Time, *semver.Version ...): returns the JSON text. */
export const jsonMarshalers = new WeakMap<GoType, (v: GoValue) => string>();

export interface MarshalOptions {
  escapeHTML?: boolean;
  /** MarshalIndent's indent (prefix is always ""). */
  indent?: string;
}

const HEX = '0123456789abcdef';

/** encoding/json's string encoding. */
export function jsonString(s: string, escapeHTML = true): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && (!escapeHTML || (c !== 0x3c && c !== 0x3e && c !== 0x26))) { out += s[i]; continue; }
      switch (c) {
        case 0x22: out += '\\"'; continue;
        case 0x5c: out += '\\\\'; continue;
        case 0x0a: out += '\\n'; continue;
        case 0x0d: out += '\\r'; continue;
        case 0x09: out += '\\t'; continue;
        case 0x08: out += '\\b'; continue;
        case 0x0c: out += '\\f'; continue;
      }
      out += '\\u00' + HEX[c >> 4] + HEX[c & 15];
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) { out += s[i]! + s[i + 1]!; i++; continue; }
      out += '\\ufffd';
      continue;
    }
    if (c === 0x2028 || c === 0x2029) { out += '\\u202' + HEX[c & 15]; continue; }
    out += s[i];
  }
  return out + '"';
}

/** encoding/json's float encoding; throws UnsupportedValueError for NaN/Inf. */
export function jsonFloat(f: number, bits: 32 | 64 = 64): string {
  if (!Number.isFinite(f)) throw new GoError(`json: unsupported value: ${formatFloat(f, 'g', -1, bits)}`);
  const abs = Math.abs(f);
  let fmt = 'f';
  if (abs !== 0) {
    if (bits === 64 && (abs < 1e-6 || abs >= 1e21)) fmt = 'e';
    if (bits === 32 && (Math.fround(abs) < Math.fround(1e-6) || Math.fround(abs) >= Math.fround(1e21))) fmt = 'e';
  }
  let b = formatFloat(f, fmt, -1, bits);
  if (fmt === 'e') {
    const n = b.length;
    if (n >= 4 && b[n - 4] === 'e' && b[n - 3] === '-' && b[n - 2] === '0') b = b.slice(0, n - 2) + b[n - 1];
  }
  return b;
}

class Encoder {
  depth = 0;
  constructor(readonly escapeHTML: boolean, readonly indent: string | undefined) {}

  nl(level: number): string { return this.indent === undefined ? '' : '\n' + this.indent.repeat(level); }

  enc(v: Value, level: number): string {
    if (++this.depth > 1000) throw new GoError('json: unsupported value: encountered a cycle');
    try { return this.enc0(v, level); } finally { this.depth--; }
  }

  private enc0(v: Value, level: number): string {
    if (v === undefined || v === null) return 'null';
    switch (typeof v) {
      case 'boolean': return v ? 'true' : 'false';
      case 'string': return jsonString(v, this.escapeHTML);
      case 'bigint': return v.toString();
      case 'number': return jsonFloat(v, 64);
    }
    const t = typeOf(v);
    const custom = jsonMarshalers.get(t) ?? (t.kind === 'ptr' && t.elem ? jsonMarshalers.get(t.elem) : undefined);
    if (custom) {
      if (v instanceof GoStruct && v.nil) return 'null';
      const raw = custom(v);
      return this.indent === undefined ? compact(raw, this.escapeHTML) : reindent(raw, this.indent, level, this.escapeHTML);
    }
    if (v instanceof Uint8Array) return '"' + Buffer.from(v).toString('base64') + '"';
    if (v instanceof GoScalar) {
      const x = v.v;
      if (typeof x === 'boolean') return x ? 'true' : 'false';
      if (typeof x === 'string') return jsonString(x, this.escapeHTML);
      if (typeof x === 'bigint') return (t.kind.startsWith('uint') ? BigInt.asUintN(64, x) : x).toString();
      return jsonFloat(x, t.kind === 'float32' ? 32 : 64);
    }
    if (v instanceof GoComplex) throw new GoError(`json: unsupported type: ${t.name}`);
    if (isGoFunc(v)) throw new GoError(`json: unsupported type: ${t.name}`);
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      const parts = v.map((x) => this.enc(x, level + 1));
      if (this.indent === undefined) return '[' + parts.join(',') + ']';
      return '[' + parts.map((p) => this.nl(level + 1) + p).join(',') + this.nl(level) + ']';
    }
    if (v instanceof GoStruct) {
      if (v.nil) return 'null';
      const fields = fieldsOf(v.structType).filter(([n]) => /^\p{Lu}/u.test(n));
      if (fields.length === 0) return '{}';
      const parts = fields.map(([n]) => jsonString(n, this.escapeHTML) + (this.indent === undefined ? ':' : ': ') + this.enc(v.fields[n] ?? null, level + 1));
      if (this.indent === undefined) return '{' + parts.join(',') + '}';
      return '{' + parts.map((p) => this.nl(level + 1) + p).join(',') + this.nl(level) + '}';
    }
    if (isGoMap(v)) {
      if (t.key && t.key.kind !== 'string') throw new GoError(`json: unsupported type: ${t.name}`);
      const keys = sortedKeys(v);
      if (keys.length === 0) return '{}';
      const parts = keys.map((k) => jsonString(k, this.escapeHTML) + (this.indent === undefined ? ':' : ': ') + this.enc((v as GoMap)[k], level + 1));
      if (this.indent === undefined) return '{' + parts.join(',') + '}';
      return '{' + parts.map((p) => this.nl(level + 1) + p).join(',') + this.nl(level) + '}';
    }
    throw new GoError(`json: unsupported type: ${t.name}`);
  }
}

/** Re-encodes a MarshalJSON result (Go compacts it, escaping HTML if asked). */
function compact(raw: string, escapeHTML: boolean): string {
  const v = jsonUnmarshal(raw);
  return new Encoder(escapeHTML, undefined).enc(v, 0);
}

function reindent(raw: string, indent: string, level: number, escapeHTML: boolean): string {
  const v = jsonUnmarshal(raw);
  return new Encoder(escapeHTML, indent).enc(v, level);
}

/** json.Marshal / MarshalIndent(v, "", indent) / Encoder (escapeHTML false, no newline). */
export function jsonMarshal(v: Value, opts: MarshalOptions = {}): string {
  return new Encoder(opts.escapeHTML ?? true, opts.indent).enc(v, 0);
}

// ---------------------------------------------------------------------------
// Decoding

/** Go's quoteChar for scanner errors. */
function quoteChar(b: number): string {
  if (b === 0x27) return "'\\''";
  if (b === 0x22) return `'"'`;
  const s = JSON.stringify(String.fromCharCode(b));
  const r = b < 0x20 || b === 0x7f ? goQuoteControl(b) : b >= 0x80 && b < 0xa0 ? '\\u00' + HEX[b >> 4] + HEX[b & 15] : s.slice(1, -1);
  return "'" + r + "'";
}

function goQuoteControl(b: number): string {
  switch (b) {
    case 7: return '\\a';
    case 8: return '\\b';
    case 12: return '\\f';
    case 10: return '\\n';
    case 13: return '\\r';
    case 9: return '\\t';
    case 11: return '\\v';
  }
  return '\\x' + HEX[b >> 4] + HEX[b & 15];
}

class Syntax extends GoError {}

class Parser {
  i = 0;
  depth = 0;
  readonly b: Buffer;
  constructor(text: string) { this.b = Buffer.from(text, 'utf8'); }

  err(msg: string): never { throw new Syntax(msg); }
  eof(): never { this.err('unexpected end of JSON input'); }
  bad(ctx: string): never { this.err(`invalid character ${quoteChar(this.b[this.i] ?? 0x20)} ${ctx}`); }
  /** At the end of input Go's scanner steps one ' ': an error where a space is invalid. */
  eofAs(ctx: string): never { this.err(`invalid character ' ' ${ctx}`); }

  ws(): void {
    while (this.i < this.b.length) {
      const c = this.b[this.i]!;
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++;
      else break;
    }
  }

  top(): GoValue {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.i < this.b.length) this.bad('after top-level value');
    return v;
  }

  value(): GoValue {
    if (this.i >= this.b.length) this.eof();
    const c = this.b[this.i]!;
    switch (c) {
      case 0x7b: return this.object();
      case 0x5b: return this.array();
      case 0x22: return this.string();
      case 0x74: this.literal('true'); return true;
      case 0x66: this.literal('false'); return false;
      case 0x6e: this.literal('null'); return null;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    this.bad('looking for beginning of value');
  }

  literal(word: string): void {
    for (let k = 0; k < word.length; k++) {
      if (this.i >= this.b.length) this.eofAs(`in literal ${word} (expecting ${quoteChar(word.charCodeAt(k))})`);
      if (this.b[this.i] !== word.charCodeAt(k)) this.bad(`in literal ${word} (expecting ${quoteChar(word.charCodeAt(k))})`);
      this.i++;
    }
  }

  nest(): void { if (++this.depth > 10000) this.err('exceeded max depth'); }

  object(): GoMap {
    this.nest();
    this.i++;
    const m: GoMap = {};
    this.ws();
    if (this.i >= this.b.length) this.eof();
    if (this.b[this.i] === 0x7d) { this.i++; this.depth--; return m; }
    for (;;) {
      this.ws();
      if (this.i >= this.b.length) this.eof();
      if (this.b[this.i] !== 0x22) this.bad('looking for beginning of object key string');
      const k = this.string();
      this.ws();
      if (this.i >= this.b.length) this.eof();
      if (this.b[this.i] !== 0x3a) this.bad('after object key');
      this.i++;
      this.ws();
      const v = this.value();
      mapSet(m, k, v);
      this.ws();
      if (this.i >= this.b.length) this.eof();
      const c = this.b[this.i]!;
      if (c === 0x2c) { this.i++; continue; }
      if (c === 0x7d) { this.i++; this.depth--; return m; }
      this.bad('after object key:value pair');
    }
  }

  array(): GoValue[] {
    this.nest();
    this.i++;
    const a: GoValue[] = [];
    this.ws();
    if (this.i >= this.b.length) this.eof();
    if (this.b[this.i] === 0x5d) { this.i++; this.depth--; return a; }
    for (;;) {
      this.ws();
      a.push(this.value());
      this.ws();
      if (this.i >= this.b.length) this.eof();
      const c = this.b[this.i]!;
      if (c === 0x2c) { this.i++; continue; }
      if (c === 0x5d) { this.i++; this.depth--; return a; }
      this.bad('after array element');
    }
  }

  string(): string {
    this.i++;
    const parts: number[] = [];
    let out = '';
    const flush = (): void => { if (parts.length) { out += Buffer.from(parts).toString('utf8'); parts.length = 0; } };
    for (;;) {
      if (this.i >= this.b.length) this.eof();
      const c = this.b[this.i]!;
      if (c === 0x22) { this.i++; flush(); return out; }
      if (c < 0x20) this.bad('in string literal');
      if (c !== 0x5c) { parts.push(c); this.i++; continue; }
      this.i++;
      if (this.i >= this.b.length) this.eofAs('in string escape code');
      const e = this.b[this.i]!;
      const simple: Record<number, string> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };
      if (simple[e] !== undefined) { flush(); out += simple[e]; this.i++; continue; }
      if (e !== 0x75) this.bad('in string escape code');
      this.i++;
      const r = this.hex4();
      flush();
      if (r >= 0xd800 && r < 0xdc00) {
        // A surrogate pair, if a valid low surrogate follows.
        if (this.b[this.i] === 0x5c && this.b[this.i + 1] === 0x75) {
          const save = this.i;
          this.i += 2;
          const r2 = this.hex4();
          if (r2 >= 0xdc00 && r2 < 0xe000) { out += String.fromCharCode(r, r2); continue; }
          this.i = save;
        }
        out += '\ufffd';
        continue;
      }
      if (r >= 0xdc00 && r < 0xe000) { out += '\ufffd'; continue; }
      out += String.fromCharCode(r);
    }
  }

  hex4(): number {
    let r = 0;
    for (let k = 0; k < 4; k++) {
      if (this.i >= this.b.length) this.eofAs('in \\u hexadecimal character escape');
      const c = this.b[this.i]!;
      const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
      if (d < 0) this.bad('in \\u hexadecimal character escape');
      r = r * 16 + d;
      this.i++;
    }
    return r;
  }

  number(): number | null {
    const start = this.i;
    const b = this.b;
    const digit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
    if (b[this.i] === 0x2d) {
      this.i++;
      if (this.i >= b.length) this.eofAs('in numeric literal');
      if (!digit(b[this.i])) this.bad('in numeric literal');
    }
    if (b[this.i] === 0x30) this.i++;
    else while (digit(b[this.i])) this.i++;
    if (b[this.i] === 0x2e) {
      this.i++;
      if (this.i >= b.length) this.eofAs('after decimal point in numeric literal');
      if (!digit(b[this.i])) this.bad('after decimal point in numeric literal');
      while (digit(b[this.i])) this.i++;
    }
    if (b[this.i] === 0x65 || b[this.i] === 0x45) {
      this.i++;
      if (this.i >= b.length) this.eofAs('in exponent of numeric literal');
      if (b[this.i] === 0x2b || b[this.i] === 0x2d) {
        this.i++;
        if (this.i >= b.length) this.eofAs('in exponent of numeric literal');
      }
      if (!digit(b[this.i])) this.bad('in exponent of numeric literal');
      while (digit(b[this.i])) this.i++;
    }
    const text = b.toString('latin1', start, this.i);
    const f = parseFloat64(text);
    if (f === null) {
      // Out of range: Go records an UnmarshalTypeError and keeps going.
      this.typeErr ??= `json: cannot unmarshal number ${text} into Go value of type float64`;
      return null;
    }
    return f;
  }

  typeErr: string | undefined;
}

/**
 * json.Unmarshal into interface{}: the value (null after a syntax error; filled in as far
 * as Go does after a type error) and Go's error message.
 */
export function jsonDecode(text: string): { value: GoValue; error: string | null } {
  const p = new Parser(text);
  try {
    if (text.length === 0) p.eof();
    const v = p.top();
    return { value: v, error: p.typeErr ?? null };
  } catch (e) {
    if (e instanceof Syntax) return { value: null, error: e.message };
    throw e;
  }
}

/** json.Unmarshal into interface{}; throws GoError with Go's message. */
export function jsonUnmarshal(text: string): GoValue {
  const r = jsonDecode(text);
  if (r.error !== null) throw new GoError(r.error);
  return r.value;
}

/**
 * json.Unmarshal into a `map[string]interface{}` ('map') or `[]interface{}` ('slice'):
 * the value and the error Go reports (the value is still filled in where Go does).
 */
export function jsonUnmarshalInto(text: string, into: 'map' | 'slice'): { value: GoValue; error: string | null } {
  const r = jsonDecode(text);
  if (r.error !== null && r.value === null) return r;
  const v = r.value;
  const want = into === 'map' ? 'map[string]interface {}' : '[]interface {}';
  if (v === null) return { value: null, error: null };
  const kind = typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? 'array' : 'object';
  if ((into === 'map' && kind === 'object') || (into === 'slice' && kind === 'array')) return { value: v, error: r.error };
  return { value: null, error: `json: cannot unmarshal ${kind} into Go value of type ${want}` };
}
