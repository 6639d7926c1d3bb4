/**
 * YAML as helm reads it: sigs.k8s.io/yaml v1.6 over go-yaml v2 (go.yaml.in/yaml/v2 v2.4.3).
 *
 * The `yaml` package only tokenises and composes (failsafe schema: every scalar a string);
 * scalar resolution, merge keys, aliases and the alias-expansion limit are re-implemented
 * here with go-yaml v2's rules:
 *   - booleans y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON and the n/no/false/off forms,
 *     nulls ''|~|null|Null|NULL, .inf/.nan forms, `<<` merge keys;
 *   - integers through Go's ParseInt(s, 0, 64) after removing `_` (0x, 0o, 0b, leading-0
 *     octal), then ParseUint, then floats matching go-yaml's float pattern; a float that
 *     overflows stays a string; timestamps stay strings;
 *   - quoted and block scalars are strings; explicit tags checked like go-yaml;
 *   - merge: values applied in document order (keys written before `<<` are overwritten),
 *     a sequence of maps is merged last-to-first;
 *   - "document contains excessive aliasing" with go-yaml's exact counting.
 * Then sigs' YAML→JSON step: map keys become strings (ints, floats formatted as float32,
 * bools), null/uint64 keys are errors, NaN/Inf values are JSON errors, numbers become float64.
 */
import { Composer, Parser, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node as YamlNode, Alias, Scalar, YAMLMap, YAMLSeq, Document } from 'yaml';
import { InputError } from '../model/errors.js';
import { fastParseGoYaml } from './yaml-fast.js';
import { isAscii } from 'node:buffer';
import { YamlError, resolveScalar, type GoMap, type GoScalar, type GoValue } from './yaml-scalar.js';

export { YamlError, goParseInt, resolveScalar, type GoMap, type GoScalar, type GoValue } from './yaml-scalar.js';

const MERGE = 'tag:yaml.org,2002:merge';
const INT64_MAX = 0x7fffffffffffffffn;

// ---------------------------------------------------------------------------------------
// Text decoding (libyaml's reader)

function utf8Problem(b: Buffer): string | null {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    let width: number;
    let value: number;
    if (c < 0x80) {
      width = 1;
      value = c;
    } else if ((c & 0xe0) === 0xc0) {
      width = 2;
      value = c & 0x1f;
    } else if ((c & 0xf0) === 0xe0) {
      width = 3;
      value = c & 0x0f;
    } else if ((c & 0xf8) === 0xf0) {
      width = 4;
      value = c & 0x07;
    } else return 'invalid leading UTF-8 octet';
    if (i + width > n) return 'incomplete UTF-8 octet sequence';
    for (let k = 1; k < width; k++) {
      const o = b[i + k]!;
      if ((o & 0xc0) !== 0x80) return 'invalid trailing UTF-8 octet';
      value = (value << 6) | (o & 0x3f);
    }
    if (!(width === 1 || (width === 2 && value >= 0x80) || (width === 3 && value >= 0x800) || (width === 4 && value >= 0x10000))) {
      return 'invalid length of a UTF-8 sequence';
    }
    if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) return 'invalid Unicode character';
    if (!isYamlPrintable(value)) return 'control characters are not allowed';
    i += width;
  }
  return null;
}

function isYamlPrintable(v: number): boolean {
  return (
    v === 0x09 || v === 0x0a || v === 0x0d || (v >= 0x20 && v <= 0x7e) || v === 0x85 ||
    (v >= 0xa0 && v <= 0xd7ff) || (v >= 0xe000 && v <= 0xfffd) || (v >= 0x10000 && v <= 0x10ffff)
  );
}

/** Bytes → text as libyaml reads them (BOM sniffing, UTF-8/UTF-16 validation, printable check). */
export function decodeYamlText(b: Buffer): string {
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) {
    const le = b[0] === 0xff;
    const body = b.subarray(2);
    if (body.length % 2 !== 0) throw new YamlError('yaml: incomplete UTF-16 character');
    const swapped = le ? body : Buffer.from(body).swap16();
    const s = new TextDecoder('utf-16le').decode(swapped);
    for (const ch of s) {
      const cp = ch.codePointAt(0)!;
      if (cp >= 0xd800 && cp <= 0xdfff) throw new YamlError('yaml: invalid Unicode character');
      if (!isYamlPrintable(cp)) throw new YamlError('yaml: control characters are not allowed');
    }
    return s;
  }
  const body = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b;
  const text = body.toString('utf8');
  // Fast path: plain printable ASCII (checked natively: a byte loop here cost ~2 ms a chart).
  if (isAscii(body) && !ASCII_CONTROL.test(text)) return text;
  const problem = utf8Problem(body);
  if (problem) throw new YamlError(`yaml: ${problem}`);
  return text;
}

/** ASCII control characters YAML does not allow (tab, LF and CR it does). */
const ASCII_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

// ---------------------------------------------------------------------------------------
// Parsing (first document, like go-yaml's Unmarshal)

const PARSE_OPTS = {
  version: '1.1' as const,
  schema: 'failsafe' as const,
  uniqueKeys: false,
  prettyErrors: false,
  strict: false,
  keepSourceTokens: false,
};

function lineOf(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const MAX_DEPTH = 10000;

class GoYamlDecoder {
  decodeCount = 0;
  aliasCount = 0;
  aliasDepth = 0;
  depth = 0;
  readonly active = new Set<Alias>();

  constructor(private readonly targets: Map<Alias, YamlNode>) {}

  private count(): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new YamlError('yaml: document contains excessive aliasing');
    }
  }

  unmarshal(node: YamlNode | null | undefined): GoValue {
    this.count();
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.alias(node, null);
    if (++this.depth > MAX_DEPTH) throw new YamlError(`yaml: exceeded max depth of ${MAX_DEPTH}`);
    try {
      if (isScalar(node)) return this.scalar(node);
      if (isMap(node)) {
        const out: GoMap = new Map();
        this.mapping(node as YAMLMap, out);
        return out;
      }
      if (isSeq(node)) {
        const items = (node as YAMLSeq).items as (YamlNode | null)[];
        const out: GoValue[] = new Array(items.length);
        for (let i = 0; i < items.length; i++) out[i] = this.unmarshal(items[i]);
        return out;
      }
    } finally {
      this.depth--;
    }
    throw new YamlError('yaml: unknown node');
  }

  /** unmarshal into an existing map (merge keys). */
  private unmarshalInto(node: YamlNode, out: GoMap): void {
    this.count();
    if (isAlias(node)) {
      this.alias(node, out);
      return;
    }
    this.mapping(node as YAMLMap, out);
  }

  private alias(node: Alias, into: GoMap | null): GoValue {
    if (this.active.has(node)) throw new YamlError(`yaml: anchor '${node.source}' value contains itself`);
    const target = this.targets.get(node);
    if (!target) throw new YamlError(`yaml: unknown anchor '${node.source}' referenced`);
    this.active.add(node);
    this.aliasDepth++;
    try {
      if (into) {
        this.unmarshalInto(target, into);
        return into;
      }
      return this.unmarshal(target);
    } finally {
      this.aliasDepth--;
      this.active.delete(node);
    }
  }

  private scalar(node: Scalar): GoScalar {
    const tag = node.tag ?? '';
    const value = String(node.value ?? '');
    const implicit = (node.type === 'PLAIN' && tag === '') || tag === '!';
    if (tag === '' && !implicit) return value;
    const r = resolveScalar(tag, value);
    return r === 'merge' ? '<<' : r;
  }

  private isMergeKey(key: unknown): boolean {
    if (!isScalar(key)) return false;
    const tag = key.tag ?? '';
    const implicit = (key.type === 'PLAIN' && tag === '') || tag === '!';
    return String(key.value) === '<<' && (implicit || tag === MERGE);
  }

  private mapping(node: YAMLMap, out: GoMap): void {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = pair.key as YamlNode | null;
      const v = pair.value as YamlNode | null;
      if (this.isMergeKey(k)) {
        this.merge(v);
        this.mergeInto(v, out);
        continue;
      }
      const key = this.unmarshal(k);
      if (Array.isArray(key) || key instanceof Map) {
        throw new YamlError(`yaml: invalid map key: ${goSprintV(key)}`);
      }
      out.set(key, this.unmarshal(v));
    }
  }

  /** Validates the merge value like go-yaml (before decoding it). */
  private merge(v: YamlNode | null): void {
    const kindOf = (n: YamlNode | null): string => {
      if (n && isAlias(n)) {
        const t = this.targets.get(n);
        if (!t) throw new YamlError(`yaml: unknown anchor '${n.source}' referenced`);
        return isMap(t) ? 'map' : 'other';
      }
      return n && isMap(n) ? 'map' : n && isSeq(n) ? 'seq' : 'other';
    };
    const kind = kindOf(v);
    if (kind === 'map') return;
    if (kind === 'seq' && v && isSeq(v)) {
      for (const item of (v as YAMLSeq).items as (YamlNode | null)[]) {
        if (kindOf(item) !== 'map') throw new YamlError('yaml: map merge requires map or sequence of maps as the value');
      }
      return;
    }
    throw new YamlError('yaml: map merge requires map or sequence of maps as the value');
  }

  private mergeInto(v: YamlNode | null, out: GoMap): void {
    if (v && isSeq(v)) {
      const items = (v as YAMLSeq).items as YamlNode[];
      for (let i = items.length - 1; i >= 0; i--) this.unmarshalInto(items[i]!, out);
      return;
    }
    this.unmarshalInto(v!, out);
  }
}

function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400_000) return 0.99;
  if (decodeCount >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - 400_000) / 3_600_000);
}

/** Maps every alias node to the anchor it refers to, in document order (go-yaml's parse-time anchors). */
function indexAnchors(root: unknown): Map<Alias, YamlNode> {
  const anchors = new Map<string, YamlNode>();
  const targets = new Map<Alias, YamlNode>();
  const stack: unknown[] = [root];
  // Iterative pre-order walk (document order), so deep documents do not overflow the stack here.
  while (stack.length > 0) {
    const n = stack.pop();
    if (n === null || n === undefined) continue;
    if (isAlias(n)) {
      const t = anchors.get(n.source);
      if (t) targets.set(n, t);
      continue;
    }
    if (isPair(n)) {
      stack.push(n.value, n.key);
      continue;
    }
    const anchor = (n as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, n as YamlNode);
    if (isMap(n) || isSeq(n)) {
      const items = (n as YAMLMap | YAMLSeq).items as unknown[];
      for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
    }
  }
  return targets;
}

/** Parses the first YAML document of `text` into a go-yaml v2 interface{} value. */
export function parseGoYaml(text: string): GoValue {
  const fast = fastParseGoYaml(text);
  if (fast !== undefined) return fast;
  return slowParseGoYaml(text);
}

/**
 * go-yaml (libyaml, YAML 1.1) breaks lines at NEL, LS and PS too; the `yaml` package (YAML 1.2)
 * reads them as content. Left as content, a comment `# x<LS>tag: evil` hides a key helm reads.
 * Read as line feeds the structure is go-yaml's, but go-yaml keeps an LS/PS inside quoted and
 * folded scalars. A document holding one is read both ways: the value when they agree (or the
 * error when both fail), else a refusal, never a value helm would not see.
 */
const YAML11_BREAK = /[\u0085\u2028\u2029]/;

/** parseGoYaml without the fast path (the reference the fast path is tested against). */
export function slowParseGoYaml(text: string): GoValue {
  const at = text.search(YAML11_BREAK);
  if (at < 0) return parseYaml12(text);
  const attempt = (t: string): { value: GoValue } | { error: unknown } => {
    try {
      return { value: parseYaml12(t) };
    } catch (error) {
      if (!(error instanceof YamlError)) throw error;
      return { error };
    }
  };
  const asBreaks = attempt(text.replace(new RegExp(YAML11_BREAK.source, 'g'), '\n'));
  const asContent = attempt(text);
  if ('error' in asBreaks && 'error' in asContent) throw asBreaks.error;
  if ('value' in asBreaks && 'value' in asContent && sameValueOrTooDeep(asBreaks.value, asContent.value)) return asBreaks.value;
  const name = { '\u0085': 'NEL (U+0085)', '\u2028': 'LS (U+2028)', '\u2029': 'PS (U+2029)' }[text[at]!];
  throw new YamlError(`yaml: line ${lineOf(text, at)}: ${name} is a line break to go-yaml (YAML 1.1), and this document reads differently with it; refused`);
}

/** sameGoValue, false (refused) when the values nest too deeply to compare on the stack. */
function sameValueOrTooDeep(a: GoValue, b: GoValue): boolean {
  try {
    return sameGoValue(a, b);
  } catch (e) {
    if (e instanceof RangeError) return false;
    throw e;
  }
}

function sameGoValue(a: GoValue, b: GoValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    const eb = [...b.entries()];
    return [...a.entries()].every(([k, v], i) => sameGoValue(k, eb[i]![0]) && sameGoValue(v, eb[i]![1]));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameGoValue(x, b[i]!));
  return a === b;
}

/** The `yaml` package's parse, decoded with go-yaml v2's rules. */
function parseYaml12(text: string): GoValue {
  try {
    const composer = new Composer(PARSE_OPTS);
    const parser = new Parser();
    let doc: Document.Parsed | undefined;
    for (const d of composer.compose(parser.parse(text), true)) {
      doc = d as Document.Parsed;
      break;
    }
    if (!doc) return null;
    const err = doc.errors[0];
    if (err) {
      const msg = err.message.replace(/ at line \d+, column \d+.*$/s, '');
      throw new YamlError(`yaml: line ${lineOf(text, err.pos[0])}: ${lowerFirst(msg)}`);
    }
    const contents = doc.contents as YamlNode | null;
    const dec = new GoYamlDecoder(indexAnchors(contents));
    dec.decodeCount++; // the document node
    return dec.unmarshal(contents);
  } catch (e) {
    if (e instanceof RangeError) throw new YamlError(`yaml: exceeded max depth of ${MAX_DEPTH}`);
    throw e;
  }
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}

// ---------------------------------------------------------------------------------------
// sigs.k8s.io/yaml: YAML object → JSON-able object

/** Go's strconv.FormatFloat(f, 'g', -1, 32). */
export function formatFloat32(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  const v = Math.fround(f);
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  let digits = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const s = Math.abs(v).toExponential(p - 1);
    if (Math.fround(Number(s)) === Math.abs(v)) {
      const [m, e] = s.split('e');
      digits = m!.replace('.', '');
      exp = Number(e);
      break;
    }
  }
  digits = digits.replace(/0+$/, '') || '0';
  const neg = v < 0 ? '-' : '';
  // %e when exp < -4 || exp >= 6 (shortest formatting uses precision 6 for the decision).
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const es = exp < 0 ? '-' : '+';
    const ea = Math.abs(exp);
    return `${neg}${mant}e${es}${ea < 10 ? '0' + ea : ea}`;
  }
  const dp = exp + 1; // digits before the decimal point
  if (dp <= 0) return `${neg}0.${'0'.repeat(-dp)}${digits}`;
  if (dp >= digits.length) return `${neg}${digits}${'0'.repeat(dp - digits.length)}`;
  return `${neg}${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

/** Go's %+#v-ish rendering, for error messages only. */
export function goSprintV(v: GoValue): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSprintV).join(', ')}}`;
  return `map[interface {}]interface {}{${[...v].map(([k, x]) => `${goSprintV(k)}:${goSprintV(x)}`).join(', ')}}`;
}

/** sigs' map key conversion. */
export function jsonKey(k: GoScalar, v: GoValue): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'boolean') return k ? 'true' : 'false';
  if (typeof k === 'bigint') {
    if (k > INT64_MAX) {
      throw new YamlError(`unsupported map key of type: uint64, key: 0x${k.toString(16)}, value: ${goSprintV(v)}`);
    }
    return k.toString();
  }
  if (typeof k === 'number') {
    const s = formatFloat32(k);
    return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
  }
  throw new YamlError(`unsupported map key of type: <nil>, key: <nil>, value: ${goSprintV(v)}`);
}

/** Sets a key on a plain object without triggering the `__proto__` setter. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** The untyped JSON round trip: interface{} → JSON → interface{} (numbers become float64). */
export function toJsonValue(v: GoValue): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new YamlError(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
    return v;
  }
  if (Array.isArray(v)) return v.map(toJsonValue);
  const out: Record<string, unknown> = {};
  v.forEach((x, k) => setOwn(out, jsonKey(k, x), toJsonValue(x)));
  return out;
}

/** Go's JSON kind names used in UnmarshalTypeError. */
export function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/** sigs.k8s.io/yaml Unmarshal into map[string]interface{}; null when the document is null. */
export function unmarshalToMap(text: string): Record<string, unknown> | null {
  let json: unknown;
  try {
    json = toJsonValue(parseGoYaml(text));
  } catch (e) {
    if (e instanceof YamlError) throw new YamlError(`error converting YAML to JSON: ${e.message}`);
    throw e;
  }
  if (json === null) return null;
  if (typeof json !== 'object' || Array.isArray(json)) {
    throw new YamlError(
      `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(json)} into Go value of type map[string]interface {}`,
    );
  }
  return json as Record<string, unknown>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** helm's loader.MergeMaps: b wins, maps merged recursively (a is not modified). */
export function mergeMaps(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(a)) setOwn(out, k, a[k]);
  for (const k of Object.keys(b)) {
    const v = b[k];
    if (isPlainObject(v) && Object.hasOwn(out, k) && isPlainObject(out[k])) {
      setOwn(out, k, mergeMaps(out[k] as Record<string, unknown>, v));
      continue;
    }
    setOwn(out, k, v);
  }
  return out;
}

/**
 * k8s.io/apimachinery's YAMLReader: splits a stream on lines starting with `---` (only
 * comments may follow on that line), line endings normalised by bufio.ReadLine.
 */
export function splitYamlDocuments(text: string): string[] {
  const docs: string[] = [];
  let buf: string[] = [];
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    let next: number;
    if (end < 0) {
      end = n;
      next = n;
    } else next = end + 1;
    let line = text.slice(start, end);
    if (end < n && line.endsWith('\r')) line = line.slice(0, -1);
    start = next;
    if (line.startsWith('---')) {
      const trimmed = line.slice(3).trim();
      if (trimmed.length > 0 && trimmed[0] !== '#') {
        throw new YamlError(`error reading yaml document: invalid Yaml document separator: ${trimmed}`);
      }
      if (buf.length > 0) {
        docs.push(buf.join(''));
        buf = [];
        continue;
      }
    }
    buf.push(line + '\n');
  }
  if (buf.length > 0) docs.push(buf.join(''));
  return docs;
}

/** helm's loader.LoadValues (multi-document, merged). Errors are worded without helm's "cannot load values.yaml: ". */
export function loadValues(data: Buffer): Record<string, unknown> {
  const text = decodeYamlTextForDocs(data);
  let values: Record<string, unknown> = {};
  for (const doc of splitYamlDocuments(text)) {
    let m: Record<string, unknown> | null;
    try {
      m = unmarshalToMap(doc);
    } catch (e) {
      if (e instanceof YamlError) {
        const msg = e.message.startsWith('error converting') || e.message.startsWith('error unmarshaling')
          ? e.message
          : `error converting YAML to JSON: ${e.message}`;
        throw new YamlError(`cannot unmarshal yaml document: ${msg}`);
      }
      throw e;
    }
    if (m) values = mergeMaps(values, m);
  }
  return values;
}

/**
 * The values stream is split into documents on bytes; each document is then read by libyaml.
 * Invalid UTF-8 or control characters surface as that document's error.
 */
function decodeYamlTextForDocs(data: Buffer): string {
  try {
    return decodeYamlText(data);
  } catch (e) {
    if (e instanceof YamlError) throw new YamlError(`cannot unmarshal yaml document: error converting YAML to JSON: ${e.message}`);
    throw e;
  }
}

/**
 * A user values file (`-f FILE`), read like helm's values options: LoadValues (all
 * documents merged). Errors are InputErrors naming the file.
 */
export function parseValuesFile(bytes: Buffer, name: string): Record<string, unknown> {
  try {
    return loadValues(bytes);
  } catch (e) {
    if (e instanceof YamlError) throw new InputError(`${name}: failed to parse: ${e.message}`, name);
    throw e;
  }
}
