/**
 * values.schema.json validation as helm v4.1.4 does it (pkg/chart/common/util/jsonschema.go
 * with github.com/santhosh-tekuri/jsonschema/v6): each chart's schema validates its own
 * values, then every enabled subchart's schema its table (`values[<name>]`). Errors read
 * like helm's:
 *
 *   values don't meet the specifications of the schema(s) in the following chart(s):
 *   mychart:
 *   - at '/replicaCount': got string, want integer
 *
 * Drafts 4, 6, 7, 2019-09 and 2020-12 (default: 2020-12, also for
 * `http://json-schema.org/schema#`), with their keyword sets: type, enum, const, format
 * (asserted for drafts before 2019 only, as the library does), $ref (local pointers,
 * anchors, `$id`-relative; remote documents are not fetched and accept everything),
 * properties, patternProperties, additionalProperties, required, dependencies,
 * dependentRequired/Schemas, propertyNames, min/maxProperties, items, additionalItems,
 * prefixItems, contains (min/maxContains), min/maxItems, uniqueItems, min/maxLength,
 * pattern, minimum/maximum/exclusive*, multipleOf, allOf/anyOf/oneOf/not, if/then/else,
 * unevaluatedProperties/Items. The schema is not checked against its metaschema.
 * Properties are visited in sorted order (the library follows Go's random map order).
 */
import type { RChart } from './process.js';
import { setOwn } from '../chart/yaml.js';

// --- JSON with number texts kept (jsonschema.UnmarshalJSON uses json.Number)

/** A JSON number as written. */
class JNum {
  constructor(readonly text: string) {}
  get value(): number { return Number(this.text); }
}
type J = null | boolean | string | JNum | number | bigint | J[] | { [k: string]: J };

class JsonSyntaxError extends Error {}

/**
 * How deep validation goes, in schema applications ($ref hops included), and how deeply a schema
 * document may nest. helm (Go) has no depth limit short of encoding/json's 10,000 and the
 * library's $ref-cycle check; recursion here is bounded by the JS stack, so past this depth
 * validation fails closed with a clear error (a silent pass would accept any values).
 */
export const MAX_SCHEMA_DEPTH = 1000;

/**
 * Most schema applications one validation may make: shared subschemas referenced twice at each
 * of n levels take 2^n steps (Go would take them too); past this the validation fails closed.
 */
export const MAX_SCHEMA_STEPS = 1_000_000;

/** Validation went past a limit: thrown through to the caller, which reports it; never a pass. */
class SchemaLimitError extends Error {
  constructor(readonly loc: string[], readonly reason: string) {
    super(reason);
  }
}

const WS = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
/** A string without escapes or control characters. */
const PLAIN_STRING = /"([^"\\\x00-\x1f]*)"/y;

function parseJsonKeepNumbers(text: string): J {
  let i = 0;
  const n = text.length;
  // whitespace, plain strings and numbers with one sticky regular expression each: a values
  // schema of tens of KB read character by character cost milliseconds of cold code
  const ws = (): void => { WS.lastIndex = i; WS.test(text); i = WS.lastIndex; };
  const fail = (msg: string): never => { throw new JsonSyntaxError(msg); };
  const ch = (c: string): string => {
    if (c === "'") return `'\\''`;
    if (c === '"') return `'"'`;
    return `'${c}'`;
  };
  let depth = 0;
  const value = (): J => {
    ws();
    if (i >= n) fail('unexpected end of JSON input');
    const c = text[i]!;
    if ((c === '{' || c === '[') && ++depth > MAX_SCHEMA_DEPTH) fail(`exceeded max depth (chartaudit reads schemas nested at most ${MAX_SCHEMA_DEPTH} levels)`);
    if (c === '{') {
      i++;
      const o: { [k: string]: J } = {};
      ws();
      if (text[i] === '}') { i++; depth--; return o; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(i >= n ? 'unexpected end of JSON input' : `invalid character ${ch(text[i]!)} looking for beginning of object key string`);
        const k = str();
        ws();
        if (text[i] !== ':') fail(i >= n ? 'unexpected end of JSON input' : `invalid character ${ch(text[i]!)} after object key`);
        i++;
        // an own property whatever the key (`__proto__` too), without defineProperty's cost for the others
        setOwn(o, k, value());
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; depth--; return o; }
        fail(i >= n ? 'unexpected end of JSON input' : `invalid character ${ch(text[i]!)} after object key:value pair`);
      }
    }
    if (c === '[') {
      i++;
      const a: J[] = [];
      ws();
      if (text[i] === ']') { i++; depth--; return a; }
      for (;;) {
        a.push(value());
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; depth--; return a; }
        fail(i >= n ? 'unexpected end of JSON input' : `invalid character ${ch(text[i]!)} after array element`);
      }
    }
    if (c === '"') return str();
    if (c === 't' && text.startsWith('true', i)) { i += 4; return true; }
    if (c === 'f' && text.startsWith('false', i)) { i += 5; return false; }
    if (c === 'n' && text.startsWith('null', i)) { i += 4; return null; }
    NUMBER.lastIndex = i;
    const quick = NUMBER.exec(text);
    if (quick && quick[0] !== '' && quick[0] !== '-' && quick[0].length <= 400) { i += quick[0].length; return new JNum(quick[0]); }
    const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (m && m[0] !== '' && m[0] !== '-') { i += m[0].length; return new JNum(m[0]); }
    return fail(`invalid character ${ch(c)} looking for beginning of value`);
  };
  const str = (): string => {
    PLAIN_STRING.lastIndex = i;
    const plain = PLAIN_STRING.exec(text);
    if (plain) { i = PLAIN_STRING.lastIndex; return plain[1]!; }
    i++;
    let out = '';
    for (;;) {
      if (i >= n) fail('unexpected end of JSON input');
      const c = text[i]!;
      if (c === '"') { i++; return out; }
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) { out += simple[e]; i += 2; continue; }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) { out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)); i += 6; continue; }
        fail(`invalid character ${ch(e ?? '')} in string escape code`);
      }
      if (c.charCodeAt(0) < 0x20) fail(`invalid character ${ch(c)} in string literal`);
      out += c;
      i++;
    }
  };
  const v = value();
  ws();
  if (i < n) fail(`invalid character ${ch(text[i]!)} after top-level value`);
  return v;
}

// --- values as JSON instances

type Inst = unknown;

function jtype(v: Inst): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof JNum) return 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return 'invalid';
}

function numText(v: Inst): string {
  if (v instanceof JNum) return v.text;
  if (typeof v === 'bigint') return v.toString();
  return String(v);
}

/** An exact rational from a decimal text. */
function rat(text: string): [bigint, bigint] {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return [0n, 1n];
  const digits = (m[2] ?? '') + (m[3] ?? '');
  let num = BigInt(digits === '' ? '0' : digits);
  let den = 10n ** BigInt((m[3] ?? '').length);
  const e = Number(m[4] ?? '0');
  if (e > 0) num *= 10n ** BigInt(e); else if (e < 0) den *= 10n ** BigInt(-e);
  if (m[1] === '-') num = -num;
  return [num, den];
}

function ratCmp(a: string, b: string): number {
  const [an, ad] = rat(a);
  const [bn, bd] = rat(b);
  const l = an * bd;
  const r = bn * ad;
  return l < r ? -1 : l > r ? 1 : 0;
}

function isInteger(v: Inst): boolean {
  const [n, d] = rat(numText(v));
  return n % d === 0n;
}

function equals(a: Inst, b: Inst): boolean {
  const ta = jtype(a);
  if (ta !== jtype(b)) return false;
  switch (ta) {
    case 'number': return ratCmp(numText(a), numText(b)) === 0;
    case 'array': {
      const x = a as Inst[]; const y = b as Inst[];
      return x.length === y.length && x.every((e, i) => equals(e, y[i]));
    }
    case 'object': {
      const x = a as Record<string, Inst>; const y = b as Record<string, Inst>;
      const kx = Object.keys(x);
      return kx.length === Object.keys(y).length && kx.every((k) => Object.hasOwn(y, k) && equals(x[k], y[k]));
    }
    case 'null': return true;
    default: return a === b;
  }
}

// --- messages

/** x/text/message's English number formatting (digit grouping). */
function groupDigits(s: string): string {
  const m = /^(-?)(\d+)(.*)$/.exec(s);
  if (!m) return s;
  return m[1] + m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + m[3];
}

/** Go's %v of a float64. */
function goFloat(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  const s = String(v);
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(s);
  if (m) return `${m[1]}e${m[2]}${m[3]!.padStart(2, '0')}`;
  return s;
}

function pfFloat(text: string): string {
  return groupDigits(goFloat(Number(text)));
}

function quoteS(s: string): string {
  let q = JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  q = q.replace(/[\u007f-\u009f]/g, (c) => `\\u00${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `'${q}'`;
}

function display(v: Inst): string {
  if (typeof v === 'string') return quoteS(v);
  const t = jtype(v);
  if (t === 'array' || t === 'object') return 'value';
  if (t === 'null') return '<nil>';
  if (v instanceof JNum) return v.text;
  if (typeof v === 'number') return goFloat(v);
  return String(v);
}

function escapeTok(t: string): string {
  return t.replace(/~/g, '~0').replace(/\//g, '~1');
}

interface VError {
  loc: string[];
  msg: string | null; // null = Reference (skippable with one cause)
  causes: VError[];
  /** kind.Group: several errors of one value. */
  group?: boolean;
}

function displayErrors(e: VError, indent: number, out: string[]): void {
  const skip = e.msg === null && e.causes.length === 1;
  if (!skip) {
    if (indent > 0) out.push(`\n${'  '.repeat(indent - 1)}- `);
    indent++;
    out.push(`at ${quoteS(e.loc.map((t) => `/${escapeTok(t)}`).join(''))}: ${e.msg ?? 'validation failed'}`);
  }
  for (const c of e.causes) displayErrors(c, indent, out);
}

// --- schema documents and references

const BASE = 'file:///values.schema.json';

interface Ctx {
  draft: number;
  /** Every subschema with an id or anchor, by absolute URL. */
  ids: Map<string, J>;
  root: J;
  /** base URL of each schema object. */
  bases: WeakMap<object, string>;
  /** Draft of each schema object (a subschema may declare its own $schema). */
  drafts: WeakMap<object, number>;
}

function draftOf(url: unknown): number | null {
  if (typeof url !== 'string') return null;
  const hash = url.indexOf('#');
  if (hash >= 0 && url.slice(hash + 1) !== '') return null;
  const u = (hash >= 0 ? url.slice(0, hash) : url).replace(/^https?:\/\//, '');
  switch (u) {
    case 'json-schema.org/schema': return 2020;
    case 'json-schema.org/draft/2020-12/schema': return 2020;
    case 'json-schema.org/draft/2019-09/schema': return 2019;
    case 'json-schema.org/draft-07/schema': return 7;
    case 'json-schema.org/draft-06/schema': return 6;
    case 'json-schema.org/draft-04/schema': return 4;
    default: return null;
  }
}

function resolveUrl(ref: string, base: string): string {
  try {
    return new URL(ref, base).href;
  } catch {
    return ref;
  }
}

function isObj(s: J | undefined): s is { [k: string]: J } {
  return s !== null && typeof s === 'object' && !Array.isArray(s) && !(s instanceof JNum);
}

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas', 'dependencies'];
const SUBSCHEMA_ONE = ['additionalProperties', 'additionalItems', 'items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'contentSchema'];
const SUBSCHEMA_ARR = ['allOf', 'anyOf', 'oneOf', 'items', 'prefixItems'];

function indexSchema(s: J, base: string, draft: number, ctx: Ctx): void {
  if (!isObj(s)) return;
  const d = draftOf(s.$schema) ?? draft;
  ctx.drafts.set(s, d);
  const idKey = d <= 4 ? 'id' : '$id';
  let b = base;
  const id = s[idKey];
  if (typeof id === 'string' && !(d < 2019 && '$ref' in s)) {
    const abs = resolveUrl(id, base);
    const hash = abs.indexOf('#');
    if (hash >= 0) {
      const frag = abs.slice(hash + 1);
      b = abs.slice(0, hash);
      if (frag !== '' && d < 2019) ctx.ids.set(`${b}#${frag}`, s);
    } else b = abs;
    ctx.ids.set(b, s);
  }
  if (d >= 2019) {
    if (typeof s.$anchor === 'string') ctx.ids.set(`${b}#${s.$anchor}`, s);
    if (typeof s.$dynamicAnchor === 'string') ctx.ids.set(`${b}#${s.$dynamicAnchor}`, s);
  }
  ctx.bases.set(s, b);
  // index loops: run once per schema node, before V8 optimises this, for…of would allocate an
  // iterator result per step (a large schema, as mariadb's 107 KB: ~0.6 MB a render)
  for (let i = 0; i < SUBSCHEMA_MAPS.length; i++) {
    const m = s[SUBSCHEMA_MAPS[i]!];
    if (isObj(m)) {
      const vs = Object.values(m);
      for (let j = 0; j < vs.length; j++) indexSchema(vs[j]!, b, d, ctx);
    }
  }
  for (let i = 0; i < SUBSCHEMA_ONE.length; i++) {
    const k = SUBSCHEMA_ONE[i]!;
    if (isObj(s[k]) || typeof s[k] === 'boolean') indexSchema(s[k]!, b, d, ctx);
  }
  for (let i = 0; i < SUBSCHEMA_ARR.length; i++) {
    const a = s[SUBSCHEMA_ARR[i]!];
    if (Array.isArray(a)) for (let j = 0; j < a.length; j++) indexSchema(a[j]!, b, d, ctx);
  }
}

function resolveRef(ref: string, from: J, ctx: Ctx): J | undefined {
  const base = isObj(from) ? ctx.bases.get(from) ?? BASE : BASE;
  const abs = resolveUrl(ref, base);
  const hit = ctx.ids.get(abs);
  if (hit !== undefined) return hit;
  const hash = abs.indexOf('#');
  const doc = hash >= 0 ? abs.slice(0, hash) : abs;
  const frag = hash >= 0 ? decodeURIComponent(abs.slice(hash + 1)) : '';
  const target = ctx.ids.get(doc) ?? (doc === BASE ? ctx.root : undefined);
  if (target === undefined) return undefined;
  if (frag === '') return target;
  if (!frag.startsWith('/')) return undefined;
  let cur: J | undefined = target;
  for (const raw of frag.slice(1).split('/')) {
    const tok = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(tok)];
    else if (isObj(cur)) cur = Object.hasOwn(cur, tok) ? cur[tok] : undefined;
    else return undefined;
  }
  return cur;
}

// --- formats (asserted for drafts < 2019)

/** Go's %q of a rune. */
function quoteRune(ch: string): string {
  const q = JSON.stringify(ch).slice(1, -1);
  return `'${ch === "'" ? "\\'" : q.replace(/\\"/g, '"')}'`;
}

function hostnameError(s0: string): string | null {
  const s = s0.endsWith('.') ? s0.slice(0, -1) : s0;
  if (Buffer.byteLength(s) > 253) return 'more than 253 characters long';
  for (const label of s.split('.')) {
    const n = Buffer.byteLength(label);
    if (n < 1 || n > 63) return 'label must be 1 to 63 characters long';
    if (label.startsWith('-')) return 'label starts with hyphen';
    if (label.endsWith('-')) return 'label ends with hyphen';
    for (const ch of label) if (!/[A-Za-z0-9-]/.test(ch)) return `invalid character ${quoteRune(ch)}`;
  }
  return null;
}

function ipv4Error(s: string): string | null {
  const groups = s.split('.');
  if (groups.length !== 4) return 'expected four decimals';
  for (const g of groups) {
    if (g.length > 1 && g[0] === '0') return 'leading zeros';
    if (!/^[+-]?[0-9]+$/.test(g)) return `strconv.Atoi: parsing ${JSON.stringify(g)}: invalid syntax`;
    const n = Number(g);
    if (n < 0 || n > 255) return 'decimal must be between 0 and 255';
  }
  return null;
}

function ipv6Error(s: string): string | null {
  if (!s.includes(':')) return 'missing colon';
  if (s.includes('%')) return 'zone id is not a part of ipv6 address';
  try {
    new URL(`http://[${s}]/`);
    return null;
  } catch {
    return `ParseAddr(${JSON.stringify(s)}): invalid IPv6 address`;
  }
}

/** Format checks (drafts before 2019 assert them): the reason a value fails, or null. */
const FORMATS: Record<string, (s: string) => string | null> = {
  hostname: hostnameError,
  ipv4: ipv4Error,
  ipv6: ipv6Error,
  uuid: (s) => {
    const groups = s.split('-');
    const sizes = [8, 4, 4, 4, 12];
    if (groups.length !== sizes.length) return `must have ${sizes.length} elements`;
    for (let i = 0; i < groups.length; i++) {
      if (Buffer.byteLength(groups[i]!) !== sizes[i]) return `element ${i + 1} must be ${sizes[i]} characters long`;
      for (const ch of groups[i]!) if (!/[0-9a-fA-F]/.test(ch)) return `non-hex character ${quoteRune(ch)}`;
    }
    return null;
  },
  email: (s) => {
    if (Buffer.byteLength(s) > 254) return 'more than 255 characters long';
    const at = s.lastIndexOf('@');
    if (at === -1) return 'missing @';
    const local = s.slice(0, at);
    let domain = s.slice(at + 1);
    if (Buffer.byteLength(local) > 64) return 'local part more than 64 characters long';
    if (local.length > 1 && local.startsWith('"')) {
      const inner = local.slice(1, -1);
      if (inner.includes('\\') || inner.includes('"')) return 'backslash and quote are not allowed within quoted local part';
    } else {
      if (local.startsWith('.')) return 'starts with dot';
      if (local.endsWith('.')) return 'ends with dot';
      if (local.includes('..')) return 'consecutive dots';
      for (const ch of local) if (!/[A-Za-z0-9]/.test(ch) && !".!#$%&'*+-/=?^_`{|}~".includes(ch)) return `invalid character ${quoteRune(ch)}`;
    }
    if (domain.startsWith('[') && domain.endsWith(']')) {
      domain = domain.slice(1, -1);
      if (domain.startsWith('IPv6:')) {
        const e = ipv6Error(domain.slice(5));
        return e === null ? null : `invalid ipv6 address: ${e}`;
      }
      const e = ipv4Error(domain);
      return e === null ? null : `invalid ipv4 address: ${e}`;
    }
    const e = hostnameError(domain);
    return e === null ? null : `invalid domain: ${e}`;
  },
  date: (s) => (/^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) ? null : `parsing time ${JSON.stringify(s)} as "2006-01-02": cannot parse ${JSON.stringify(s)} as "2006"`),
  'date-time': (s) => (/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s.replace(/t/, 'T'))) ? null : 'invalid date-time'),
  time: (s) => (/^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) ? null : 'invalid time'),
  uri: (s) => (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) ? null : 'no scheme'),
  regex: (s) => { try { new RegExp(s, 'u'); return null; } catch (e) { return (e as Error).message; } },
};

// --- validation

class Validator {
  /** Schema applications so far (bounded by MAX_SCHEMA_STEPS). */
  private steps = 0;
  constructor(readonly ctx: Ctx) {}

  /** Validates `v` at `loc` against `s`; returns errors (empty = valid). */
  validate(s: J, v: Inst, loc: string[], depth = 0): VError[] {
    if (depth > MAX_SCHEMA_DEPTH) throw new SchemaLimitError(loc, `validation deeper than ${MAX_SCHEMA_DEPTH} levels (a $ref cycle or nesting chartaudit does not follow)`);
    if (++this.steps > MAX_SCHEMA_STEPS) throw new SchemaLimitError(loc, `validation takes more than ${MAX_SCHEMA_STEPS} schema applications`);
    if (s === true || s === undefined) return [];
    if (s === false) return [{ loc, msg: 'false schema', causes: [] }];
    if (!isObj(s)) return [];
    const draft = this.ctx.drafts.get(s) ?? this.ctx.draft;
    if (draft < 2019 && typeof s.$ref === 'string') {
      // All other properties in a "$ref" object are ignored before 2019-09.
      return this.ref(s.$ref, s, v, loc, depth);
    }
    // type, const, enum and (before 2019-09) format stop at the first failure, as the reference does.
    const first = this.valueFailure(s, draft, v);
    if (first !== null) return [{ loc, msg: first, causes: [] }];

    const errors: VError[] = [];
    if (typeof s.$ref === 'string') errors.push(...this.ref(s.$ref, s, v, loc, depth));
    for (const k of ['$dynamicRef', '$recursiveRef']) {
      const r = s[k];
      if (typeof r === 'string' && draft >= 2019) errors.push(...this.ref(r, s, v, loc, depth));
    }
    const t = jtype(v);
    const evaluatedProps = new Set<string>();
    if (t === 'object') this.object(s, draft, v as Record<string, Inst>, loc, errors, evaluatedProps, depth);
    else if (t === 'array') this.array(s, draft, v as Inst[], loc, errors, depth);
    else if (t === 'string') this.string(s, v as string, errors, loc);
    else if (t === 'number') this.number(s, draft, numText(v), errors, loc);
    this.applicators(s, draft, v, loc, errors, depth);
    if (draft >= 2019 && t === 'object' && s.unevaluatedProperties !== undefined) {
      const seen = this.evaluatedProps(s, v as Record<string, Inst>, depth);
      for (const k of Object.keys(v as object).sort()) {
        if (seen.has(k)) continue;
        errors.push(...this.group(this.validate(s.unevaluatedProperties, (v as Record<string, Inst>)[k], [...loc, k], depth + 1), [...loc, k]));
      }
    }
    return errors;
  }

  /** `$ref` (and the dynamic and recursive refs): the target's errors under one entry. */
  private ref(r: string, s: Record<string, J>, v: Inst, loc: string[], depth: number): VError[] {
    const target = resolveRef(r, s, this.ctx);
    const sub = target === undefined ? [] : this.validate(target, v, loc, depth + 1);
    return sub.length > 0 ? [{ loc, msg: null, causes: sub }] : [];
  }

  /** The message of the first failing `type`, `const`, `enum` or `format`; null when they hold. */
  private valueFailure(s: Record<string, J>, draft: number, v: Inst): string | null {
    const t = jtype(v);
    const types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? s.type.filter((x): x is string => typeof x === 'string') : [];
    if (types.length > 0) {
      const ok = types.includes(t) || (types.includes('integer') && t === 'number' && isInteger(v));
      if (!ok) return `got ${t}, want ${types.join(' or ')}`;
    }
    if ('const' in s && draft >= 6 && !equals(v, s.const)) {
      const w = s.const;
      return jtype(w) === 'array' || jtype(w) === 'object' ? 'const failed' : `value must be ${display(w)}`;
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => equals(v, e))) {
      const prim = s.enum.every((e) => jtype(e) !== 'array' && jtype(e) !== 'object');
      if (!prim) return 'enum failed';
      return s.enum.length === 1 ? `value must be ${display(s.enum[0])}` : `value must be one of ${s.enum.map(display).join(', ')}`;
    }
    if (typeof s.format === 'string' && draft < 2019 && typeof v === 'string') {
      const f = FORMATS[s.format];
      const why = f ? f(v) : null;
      if (why !== null) return `${display(v)} is not valid ${s.format}: ${why}`;
    }
    return null;
  }

  /** not, allOf, anyOf, oneOf, if/then/else. */
  private applicators(s: Record<string, J>, draft: number, v: Inst, loc: string[], errors: VError[], depth: number): void {
    const err = (msg: string, causes: VError[] = []): VError => ({ loc, msg, causes });
    if (s.not !== undefined && this.validate(s.not, v, loc, depth + 1).length === 0) errors.push(err('not failed'));
    if (Array.isArray(s.allOf)) {
      const es = s.allOf.flatMap((x) => this.group(this.validate(x, v, loc, depth + 1), loc));
      if (es.length > 0) errors.push(err('allOf failed', es));
    }
    if (Array.isArray(s.anyOf) && s.anyOf.length > 0) {
      const all: VError[] = [];
      let matched = false;
      for (const x of s.anyOf) {
        const es = this.validate(x, v, loc, depth + 1);
        if (es.length === 0) { matched = true; break; }
        all.push(...this.group(es, loc));
      }
      if (!matched) errors.push(err('anyOf failed', all));
    }
    if (Array.isArray(s.oneOf) && s.oneOf.length > 0) {
      let matched = -1;
      const all: VError[] = [];
      for (let i = 0; i < s.oneOf.length; i++) {
        const es = this.validate(s.oneOf[i]!, v, loc, depth + 1);
        if (es.length > 0) { if (matched === -1) all.push(...this.group(es, loc)); continue; }
        if (matched === -1) matched = i;
        else { errors.push(err(`oneOf failed, subschemas ${matched}, ${i} matched`)); break; }
      }
      if (matched === -1) errors.push(err('oneOf failed, none matched', all));
    }
    if (draft >= 7 && s.if !== undefined) {
      if (this.validate(s.if, v, loc, depth + 1).length === 0) {
        if (s.then !== undefined) errors.push(...this.group(this.validate(s.then, v, loc, depth + 1), loc));
      } else if (s.else !== undefined) {
        errors.push(...this.group(this.validate(s.else, v, loc, depth + 1), loc));
      }
    }
  }

  /** Several errors for one value become one "validation failed" group (kind.Group). */
  group(es: VError[], loc: string[]): VError[] {
    if (es.length <= 1) return es;
    return [{ loc, msg: 'validation failed', causes: es, group: true }];
  }

  /** Properties that properties/patternProperties/additionalProperties (and applicators) evaluate. */
  evaluatedProps(s: J, v: Record<string, Inst>, depth: number): Set<string> {
    const out = new Set<string>();
    if (depth > MAX_SCHEMA_DEPTH) throw new SchemaLimitError([], `validation deeper than ${MAX_SCHEMA_DEPTH} levels (a $ref cycle or nesting chartaudit does not follow)`);
    if (!isObj(s)) return out;
    const props = isObj(s.properties) ? s.properties : {};
    for (const k of Object.keys(v)) {
      if (Object.hasOwn(props, k)) out.add(k);
      if (isObj(s.patternProperties)) for (const p of Object.keys(s.patternProperties)) if (safeRegex(p)?.test(k)) out.add(k);
      if (s.additionalProperties !== undefined) out.add(k);
      if (s.unevaluatedProperties !== undefined) out.add(k);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      const arr = s[key];
      if (Array.isArray(arr)) for (const x of arr) if (this.validate(x, v, [], depth + 1).length === 0) for (const k of this.evaluatedProps(x, v, depth + 1)) out.add(k);
    }
    for (const key of ['$ref', '$dynamicRef', '$recursiveRef']) {
      if (typeof s[key] === 'string') {
        const t = resolveRef(s[key] as string, s, this.ctx);
        if (t !== undefined) for (const k of this.evaluatedProps(t, v, depth + 1)) out.add(k);
      }
    }
    if (s.if !== undefined) {
      const ok = this.validate(s.if, v, [], depth + 1).length === 0;
      for (const k of this.evaluatedProps(s.if, v, depth + 1)) if (ok) out.add(k);
      const branch = ok ? s.then : s.else;
      if (branch !== undefined) for (const k of this.evaluatedProps(branch, v, depth + 1)) out.add(k);
    }
    return out;
  }

  object(s: { [k: string]: J }, draft: number, obj: Record<string, Inst>, loc: string[], errors: VError[], _seen: Set<string>, depth: number): void {
    const keys = Object.keys(obj).sort();
    const err = (msg: string, causes: VError[] = []): VError => ({ loc, msg, causes });
    const intOf = (x: J | undefined): number | null => (x instanceof JNum ? x.value : null);
    const minP = intOf(s.minProperties);
    if (minP !== null && keys.length < minP) errors.push(err(`minProperties: got ${groupDigits(String(keys.length))}, want ${groupDigits(String(minP))}`));
    const maxP = intOf(s.maxProperties);
    if (maxP !== null && keys.length > maxP) errors.push(err(`maxProperties: got ${groupDigits(String(keys.length))}, want ${groupDigits(String(maxP))}`));
    if (Array.isArray(s.required)) {
      const missing = s.required.filter((r): r is string => typeof r === 'string' && !Object.hasOwn(obj, r));
      if (missing.length === 1) errors.push(err(`missing property ${quoteS(missing[0]!)}`));
      else if (missing.length > 1) errors.push(err(`missing properties ${missing.map(quoteS).join(', ')}`));
    }
    const depList = (name: string, list: J[], kw: string): void => {
      const missing = list.filter((r): r is string => typeof r === 'string' && !Object.hasOwn(obj, r));
      if (missing.length > 0) errors.push(err(`properties ${missing.map(quoteS).join(', ')} required, if ${quoteS(name)} exists`));
      void kw;
    };
    if (isObj(s.dependencies)) {
      for (const [name, dep] of Object.entries(s.dependencies)) {
        if (!Object.hasOwn(obj, name)) continue;
        if (Array.isArray(dep)) depList(name, dep, 'dependencies');
        else errors.push(...this.group(this.validate(dep, obj, loc, depth + 1), loc));
      }
    }
    const props = isObj(s.properties) ? s.properties : null;
    const patterns = isObj(s.patternProperties) ? Object.entries(s.patternProperties).map(([p, sch]) => [safeRegex(p), sch] as const) : [];
    const additional: string[] = [];
    for (const k of keys) {
      let evaluated = false;
      if (props && Object.hasOwn(props, k)) {
        evaluated = true;
        errors.push(...this.group(this.validate(props[k]!, obj[k], [...loc, k], depth + 1), [...loc, k]));
      }
      for (const [re, sch] of patterns) {
        if (re && re.test(k)) {
          evaluated = true;
          errors.push(...this.group(this.validate(sch, obj[k], [...loc, k], depth + 1), [...loc, k]));
        }
      }
      if (!evaluated && s.additionalProperties !== undefined) {
        if (s.additionalProperties === false) additional.push(k);
        else if (isObj(s.additionalProperties)) errors.push(...this.group(this.validate(s.additionalProperties, obj[k], [...loc, k], depth + 1), [...loc, k]));
      }
    }
    if (additional.length > 0) errors.push(err(`additional properties ${additional.map(quoteS).join(', ')} not allowed`));
    if (draft === 4) return;
    if (s.propertyNames !== undefined) {
      for (const k of keys) {
        const es = this.validate(s.propertyNames, k, [], depth + 1);
        if (es.length > 0) errors.push(err(`invalid propertyName ${quoteS(k)}`, es.length === 1 && es[0]!.causes.length > 0 ? es[0]!.causes : es));
      }
    }
    if (draft === 6) return;
    if (draft >= 2019) {
      if (isObj(s.dependentSchemas)) {
        for (const [name, dep] of Object.entries(s.dependentSchemas)) {
          if (Object.hasOwn(obj, name)) errors.push(...this.group(this.validate(dep, obj, loc, depth + 1), loc));
        }
      }
      if (isObj(s.dependentRequired)) {
        for (const [name, dep] of Object.entries(s.dependentRequired)) {
          if (Object.hasOwn(obj, name) && Array.isArray(dep)) depList(name, dep, 'dependentRequired');
        }
      }
    }
  }

  array(s: { [k: string]: J }, draft: number, arr: Inst[], loc: string[], errors: VError[], depth: number): void {
    const err = (msg: string, causes: VError[] = []): VError => ({ loc, msg, causes });
    const intOf = (x: J | undefined): number | null => (x instanceof JNum ? x.value : null);
    const minI = intOf(s.minItems);
    if (minI !== null && arr.length < minI) errors.push(err(`minItems: got ${groupDigits(String(arr.length))}, want ${groupDigits(String(minI))}`));
    const maxI = intOf(s.maxItems);
    if (maxI !== null && arr.length > maxI) errors.push(err(`maxItems: got ${groupDigits(String(arr.length))}, want ${groupDigits(String(maxI))}`));
    if (s.uniqueItems === true && arr.length > 1) {
      outer: for (let i = 1; i < arr.length; i++) {
        for (let j = 0; j < i; j++) {
          if (equals(arr[i], arr[j])) { errors.push(err(`items at ${j} and ${i} are equal`)); break outer; }
        }
      }
    }
    const item = (sch: J, i: number): void => {
      errors.push(...this.group(this.validate(sch, arr[i], [...loc, String(i)], depth + 1), [...loc, String(i)]));
    };
    if (draft < 2020) {
      let evaluated = 0;
      if (Array.isArray(s.items)) {
        evaluated = Math.min(arr.length, s.items.length);
        for (let i = 0; i < evaluated; i++) item(s.items[i]!, i);
        if (s.additionalItems === false && evaluated !== arr.length) errors.push(err(`last ${arr.length - evaluated} additionalItem(s) not allowed`));
        else if (isObj(s.additionalItems)) for (let i = evaluated; i < arr.length; i++) item(s.additionalItems, i);
      } else if (s.items !== undefined) {
        for (let i = 0; i < arr.length; i++) item(s.items, i);
      }
    } else {
      const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
      const evaluated = Math.min(prefix.length, arr.length);
      for (let i = 0; i < evaluated; i++) item(prefix[i]!, i);
      if (s.items !== undefined && !Array.isArray(s.items)) for (let i = evaluated; i < arr.length; i++) item(s.items, i);
    }
    if (draft >= 6 && s.contains !== undefined) {
      const errs: VError[] = [];
      const matched: number[] = [];
      arr.forEach((x, i) => {
        const es = this.validate(s.contains!, x, [...loc, String(i)], depth + 1);
        if (es.length === 0) matched.push(i); else errs.push(...this.group(es, [...loc, String(i)]));
      });
      const minC = draft >= 2019 ? intOf(s.minContains) : null;
      const maxC = draft >= 2019 ? intOf(s.maxContains) : null;
      if (minC !== null) {
        if (matched.length < minC) {
          errors.push(err(matched.length === 0
            ? `min ${minC} items required to match contains schema, but none matched`
            : `min ${minC} items required to match contains schema, but matched ${matched.length} items at ${matched.join(' ')}`, errs));
        }
      } else if (matched.length === 0) {
        errors.push(err('no items match contains schema', errs));
      }
      if (maxC !== null && matched.length > maxC) {
        errors.push(err(`max ${maxC} items required to match contains schema, but matched ${matched.length} items at ${matched.join(' ')}`));
      }
    }
  }

  string(s: { [k: string]: J }, v: string, errors: VError[], loc: string[]): void {
    const err = (msg: string): VError => ({ loc, msg, causes: [] });
    const len = Array.from(v).length;
    if (s.minLength instanceof JNum && len < s.minLength.value) errors.push(err(`minLength: got ${groupDigits(String(len))}, want ${groupDigits(s.minLength.text)}`));
    if (s.maxLength instanceof JNum && len > s.maxLength.value) errors.push(err(`maxLength: got ${groupDigits(String(len))}, want ${groupDigits(s.maxLength.text)}`));
    if (typeof s.pattern === 'string') {
      const re = safeRegex(s.pattern);
      if (re && !re.test(v)) errors.push(err(`${quoteS(v)} does not match pattern ${quoteS(s.pattern)}`));
    }
  }

  number(s: { [k: string]: J }, draft: number, text: string, errors: VError[], loc: string[]): void {
    const err = (msg: string): VError => ({ loc, msg, causes: [] });
    const num = (x: J | undefined): string | null => (x instanceof JNum ? x.text : null);
    let min = num(s.minimum);
    let max = num(s.maximum);
    let exMin = num(s.exclusiveMinimum);
    let exMax = num(s.exclusiveMaximum);
    if (draft === 4) {
      if (s.exclusiveMinimum === true && min !== null) { exMin = min; min = null; } else exMin = null;
      if (s.exclusiveMaximum === true && max !== null) { exMax = max; max = null; } else exMax = null;
    }
    if (min !== null && ratCmp(text, min) < 0) errors.push(err(`minimum: got ${pfFloat(text)}, want ${pfFloat(min)}`));
    if (max !== null && ratCmp(text, max) > 0) errors.push(err(`maximum: got ${pfFloat(text)}, want ${pfFloat(max)}`));
    if (exMin !== null && ratCmp(text, exMin) <= 0) errors.push(err(`exclusiveMinimum: got ${pfFloat(text)}, want ${pfFloat(exMin)}`));
    if (exMax !== null && ratCmp(text, exMax) >= 0) errors.push(err(`exclusiveMaximum: got ${pfFloat(text)}, want ${pfFloat(exMax)}`));
    const mult = num(s.multipleOf);
    if (mult !== null) {
      const [an, ad] = rat(text);
      const [bn, bd] = rat(mult);
      if (bn !== 0n && (an * bd) % (ad * bn) !== 0n) errors.push(err(`multipleOf: got ${pfFloat(text)}, want ${pfFloat(mult)}`));
    }
  }
}

const regexCache = new Map<string, RegExp | null>();
function safeRegex(p: string): RegExp | null {
  let re = regexCache.get(p);
  if (re === undefined) {
    try {
      re = new RegExp(p.replace(/\\z/g, '$').replace(/\(\?P</g, '(?<'), 'u');
    } catch {
      re = null;
    }
    regexCache.set(p, re);
  }
  return re;
}

/**
 * helm's ValidateAgainstSingleSchema: null when valid, else the error text helm shows
 * (validation errors end with a newline; a schema that is not JSON gives the JSON error).
 */
export function validateAgainstSingleSchema(values: Record<string, unknown>, schemaJson: Buffer | string): string | null {
  let schema: J;
  try {
    schema = parseJsonKeepNumbers(typeof schemaJson === 'string' ? schemaJson : schemaJson.toString('utf8'));
  } catch (e) {
    if (e instanceof JsonSyntaxError) return e.message;
    throw e;
  }
  const ctx: Ctx = { draft: 2020, ids: new Map(), root: schema, bases: new WeakMap(), drafts: new WeakMap() };
  ctx.draft = isObj(schema) ? draftOf(schema.$schema) ?? 2020 : 2020;
  indexSchema(schema, BASE, ctx.draft, ctx);
  let errors: VError[];
  try {
    errors = new Validator(ctx).validate(schema, values, []);
  } catch (e) {
    if (!(e instanceof SchemaLimitError)) throw e;
    // Fail closed: deeper or longer than we validate is an error, never a pass.
    const at = quoteS(e.loc.map((t) => `/${escapeTok(t)}`).join(''));
    return `- at ${at}: ${e.reason}; refused, not validated\n`;
  }
  if (errors.length === 0) return null;
  if (errors.length === 1 && errors[0]!.group) errors = errors[0]!.causes;
  const out: string[] = [];
  for (const e of errors) displayErrors(e, 1, out);
  return `${out.join('').replace(/^\n/, '')}\n`;
}

/**
 * helm's ValidateAgainstSchema over the processed chart tree: the chart's schema against
 * `values`, then each subchart's against its table. Returns the combined text or null.
 */
export function validateAgainstSchema(c: RChart, values: Record<string, unknown>): string | null {
  let sb = '';
  if (c.chart.schema !== undefined) {
    const err = validateAgainstSingleSchema(values, c.chart.schema);
    if (err !== null) sb += `${c.name}:\n${err}`;
  }
  for (const sub of c.deps) {
    if (!Object.hasOwn(values, sub.name)) continue;
    const raw = values[sub.name];
    if (raw === null || raw === undefined) continue;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      sb += `${sub.name}:\ninvalid type for values: expected object (map), got ${goTypeName(raw)}\n`;
      continue;
    }
    const err = validateAgainstSchema(sub, raw as Record<string, unknown>);
    if (err !== null) sb += err;
  }
  return sb.length > 0 ? sb : null;
}

function goTypeName(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int64';
  if (typeof v === 'number') return 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}
