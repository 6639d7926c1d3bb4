/**
 * helm's `toToml` and `fromToml`: github.com/BurntSushi/toml v1.6.0 (Encoder.Encode into a
 * buffer; toml.Unmarshal into map[string]interface{}).
 *
 * Encoder: within a table, keys whose values are not tables come first, then sub-tables and
 * arrays of tables, each group sorted byte-wise; nested table headers and their keys are
 * indented two spaces per level; nil values are skipped; floats always carry a '.' or an
 * exponent; an array containing nil is an error, and so is a top-level array of tables.
 * toToml returns the error text instead of the document (helm does), except for Go panics
 * that are not encoder errors (a nil top-level value), which it throws.
 */
import {
  GoComplex, GoScalar, GoStruct, compareStrings, fieldsOf, isGoFunc, isGoMap, typeOf,
  type GoMap, type GoValue,
} from '../template/value.js';
import { formatFloat } from '../template/strconv.js';
import { EncodingError } from './json.js';
import { isGoTime, timeToml } from './time.js';

export { fromToml } from './toml-decode.js';

type TomlType = 'Integer' | 'Float' | 'String' | 'Bool' | 'Array' | 'Hash' | 'ArrayHash' | 'Datetime';

/** A toml encode error: toToml returns its text. */
class TomlEncodeError extends Error {}

const CTRL_ESCAPES: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

/** dblQuotedReplacer. */
function tomlEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20 || c === 0x7f) out += CTRL_ESCAPES[ch] ?? '\\u00' + c.toString(16).padStart(2, '0');
    else if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd';
    else out += ch;
  }
  return out;
}

const isBare = (s: string): boolean => s !== '' && /^[A-Za-z0-9_-]+$/.test(s);

function quoteKeyPart(k: string): string {
  if (k === '') return '""';
  return isBare(k) ? k : `"${tomlEscape(k)}"`;
}

/** Key.String(). */
function keyString(key: readonly string[]): string {
  return key.map(quoteKeyPart).join('.');
}

function isNil(v: GoValue): boolean {
  return v === null || (v instanceof GoStruct && v.pointer && v.nil);
}

function kindName(v: GoValue): string {
  return typeOf(v).kind;
}

/** tomlTypeOfGo; null for nil. */
function tomlTypeOf(v: GoValue): TomlType | null {
  if (isNil(v)) return null;
  if (isGoTime(v)) return 'Datetime';
  if (v instanceof GoStruct) return 'Hash';
  switch (typeof v) {
    case 'boolean': return 'Bool';
    case 'string': return 'String';
    case 'bigint': return 'Integer';
    case 'number': return 'Float';
  }
  if (v instanceof GoScalar) {
    const k = v.type.kind;
    if (k === 'bool') return 'Bool';
    if (k === 'string') return 'String';
    if (k === 'float32' || k === 'float64') return 'Float';
    return 'Integer';
  }
  if (Array.isArray(v)) return isTableArray(v) ? 'ArrayHash' : 'Array';
  if (v instanceof Uint8Array) return v.length === 0 ? 'Array' : 'Array';
  if (isGoMap(v)) return 'Hash';
  throw new TomlEncodeError(`unsupported type: ${kindName(v as GoValue)}`);
}

function isTableArray(arr: readonly GoValue[]): boolean {
  if (arr.length === 0) return false;
  let ret = true;
  for (const e of arr) {
    const tt = tomlTypeOf(e);
    if (tt === null) throw new TomlEncodeError('toml: cannot encode array with nil element');
    if (ret && tt !== 'Hash') ret = false;
  }
  return ret;
}

const isTable = (t: TomlType | null): boolean => t === 'Hash' || t === 'ArrayHash';

class TomlEncoder {
  private readonly out: string[] = [];
  private hasWritten = false;
  private readonly indent = '  ';

  result(): string {
    return this.out.join('');
  }

  private write(s: string): void {
    this.out.push(s);
    this.hasWritten = true;
  }

  private newline(): void {
    if (this.hasWritten) this.write('\n');
  }

  private indentStr(key: readonly string[]): string {
    return this.indent.repeat(key.length - 1);
  }

  encode(key: readonly string[], v: GoValue): void {
    if (v === null) return;
    if (v instanceof GoStruct) {
      if (v.pointer && v.nil) return;
      if (isGoTime(v)) { this.writeKeyValue(key, v, false); return; }
      this.eTable(key, v);
      return;
    }
    switch (typeof v) {
      case 'boolean': case 'string': case 'bigint': case 'number':
        this.writeKeyValue(key, v, false);
        return;
    }
    if (v instanceof GoScalar) {
      this.writeKeyValue(key, v, false);
      return;
    }
    if (Array.isArray(v)) {
      if (tomlTypeOf(v) === 'ArrayHash') this.eArrayOfTables(key, v);
      else this.writeKeyValue(key, v, false);
      return;
    }
    if (v instanceof Uint8Array) {
      this.writeKeyValue(key, v, false);
      return;
    }
    if (isGoMap(v)) {
      this.eTable(key, v);
      return;
    }
    throw new TomlEncodeError(`unsupported type for key '${keyString(key)}': ${kindName(v)}`);
  }

  private eElement(v: GoValue): void {
    if (typeof v === 'string') { this.write(`"${tomlEscape(v)}"`); return; }
    if (typeof v === 'boolean') { this.write(v ? 'true' : 'false'); return; }
    if (typeof v === 'bigint') { this.write(v.toString()); return; }
    if (typeof v === 'number') { this.write(tomlFloat(v, 64)); return; }
    if (v instanceof GoScalar) {
      const x = v.v;
      if (typeof x === 'string') this.write(`"${tomlEscape(x)}"`);
      else if (typeof x === 'boolean') this.write(x ? 'true' : 'false');
      else if (typeof x === 'bigint') this.write(x.toString());
      else this.write(tomlFloat(x, v.type.kind === 'float32' ? 32 : 64));
      return;
    }
    if (Array.isArray(v)) {
      this.write('[');
      v.forEach((e, i) => {
        this.eElement(e);
        if (i !== v.length - 1) this.write(', ');
      });
      this.write(']');
      return;
    }
    if (v instanceof Uint8Array) {
      this.write('[' + Array.from(v, String).join(', ') + ']');
      return;
    }
    if (v instanceof GoStruct) {
      if (v.pointer && v.nil) throw new EncodingError('reflect: call of reflect.Value.Interface on zero Value');
      if (isGoTime(v)) { this.write(timeToml(v)); return; }
      this.eStruct([], v, true);
      return;
    }
    if (isGoMap(v)) {
      this.eMap([], v, true);
      return;
    }
    if (v === null) throw new EncodingError('reflect: call of reflect.Value.Interface on zero Value');
    throw new TomlEncodeError(`unexpected type: ${typeOf(v).name}`);
  }

  private eArrayOfTables(key: readonly string[], arr: readonly GoValue[]): void {
    if (key.length === 0) throw new TomlEncodeError('toml: top-level values must be Go maps or structs');
    for (const t of arr) {
      if (isNil(t)) continue;
      this.newline();
      this.write(`${this.indentStr(key)}[[${keyString(key)}]]`);
      this.newline();
      this.eMapOrStruct(key, t, false);
    }
  }

  private eTable(key: readonly string[], v: GoMap | GoStruct): void {
    if (key.length === 1) this.newline();
    if (key.length > 0) {
      this.write(`${this.indentStr(key)}[${keyString(key)}]`);
      this.newline();
    }
    this.eMapOrStruct(key, v, false);
  }

  private eMapOrStruct(key: readonly string[], v: GoValue, inline: boolean): void {
    if (v instanceof GoStruct) this.eStruct(key, v, inline);
    else this.eMap(key, v as GoMap, inline);
  }

  private eMap(key: readonly string[], m: GoMap, inline: boolean): void {
    const direct: string[] = [];
    const sub: string[] = [];
    for (const k of Object.keys(m)) {
      if (isTable(tomlTypeOf(m[k] as GoValue))) sub.push(k);
      else direct.push(k);
    }
    const writeKeys = (keys: string[], trailC: boolean): void => {
      keys.sort(compareStrings);
      keys.forEach((k, i) => {
        const val = m[k] as GoValue;
        if (isNil(val)) return;
        if (inline) {
          this.writeKeyValue([k], val, true);
          if (trailC || i !== keys.length - 1) this.write(', ');
        } else {
          this.encode([...key, k], val);
        }
      });
    };
    if (inline) this.write('{');
    writeKeys(direct, sub.length > 0);
    writeKeys(sub, false);
    if (inline) this.write('}');
  }

  private eStruct(key: readonly string[], s: GoStruct, inline: boolean): void {
    const fields = fieldsOf(s.structType).map(([n]) => n).filter((n) => /^\p{Lu}/u.test(n));
    const direct: string[] = [];
    const sub: string[] = [];
    for (const f of fields) {
      if (isTable(tomlTypeOf(s.fields[f] ?? null))) sub.push(f);
      else direct.push(f);
    }
    const total = direct.length + sub.length;
    const writeFields = (list: string[]): void => {
      for (const f of list) {
        const val = s.fields[f] ?? null;
        if (isNil(val)) continue;
        if (inline) {
          this.writeKeyValue([f], val, true);
          if (fields.indexOf(f) !== total - 1) this.write(', ');
        } else {
          this.encode([...key, f], val);
        }
      }
    };
    if (inline) this.write('{');
    writeFields(direct);
    writeFields(sub);
    if (inline) this.write('}');
  }

  private writeKeyValue(key: readonly string[], v: GoValue, inline: boolean): void {
    if (key.length === 0) {
      this.eElement(v);
      return;
    }
    this.write(`${this.indentStr(key)}${quoteKeyPart(key[key.length - 1]!)} = `);
    this.eElement(v);
    if (!inline) this.newline();
  }
}

function tomlFloat(f: number, bits: 32 | 64): string {
  if (Number.isNaN(f)) return 'nan';
  if (!Number.isFinite(f)) return f < 0 ? '-inf' : 'inf';
  const s = formatFloat(f, 'g', -1, bits);
  return s.includes('e') || s.includes('.') ? s : s + '.0';
}

/** toml.NewEncoder(buf).Encode(v): the document; throws TomlEncodeError / EncodingError. */
function tomlEncode(v: GoValue): string {
  if (v === null) throw new EncodingError('reflect: call of reflect.Value.Type on zero Value');
  if (v instanceof GoComplex || isGoFunc(v)) {
    throw new TomlEncodeError(`unsupported type for key '': ${kindName(v)}`);
  }
  const e = new TomlEncoder();
  e.encode([], v);
  return e.result();
}

/** helm's `toToml`: the document, or the encoder's error text. Throws (as Go panics) for a nil value. */
export function toToml(v: GoValue): string {
  try {
    return tomlEncode(v);
  } catch (e) {
    if (e instanceof TomlEncodeError) return e.message;
    throw e;
  }
}

/** Like toToml but throws encoder errors too (not a helm function; for callers that need the error). */
export function mustToToml(v: GoValue): string {
  try {
    return tomlEncode(v);
  } catch (e) {
    if (e instanceof TomlEncodeError) throw new EncodingError(e.message);
    throw e;
  }
}
