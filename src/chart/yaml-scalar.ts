/**
 * go-yaml v2's scalar resolution into interface{} (shared by the full parser in yaml.ts and the
 * fast path in yaml-fast.ts): the implicit bool/null/int/float forms, explicit tag checks, and
 * the value types both parsers produce.
 */
/** An error worded like go-yaml / sigs.k8s.io/yaml / encoding/json (without helm's prefixes). */
export class YamlError extends Error {
  override name = 'YamlError';
}

/** A go-yaml v2 value decoded into interface{}: ints are bigint, floats number. */
export type GoScalar = null | boolean | string | bigint | number;
export type GoValue = GoScalar | GoValue[] | GoMap;
export type GoMap = Map<GoScalar, GoValue>;

const TAG = 'tag:yaml.org,2002:';
const STR = TAG + 'str';
const BOOL = TAG + 'bool';
const INT = TAG + 'int';
const FLOAT = TAG + 'float';
const NULL = TAG + 'null';
const TIMESTAMP = TAG + 'timestamp';
const BINARY = TAG + 'binary';
const MERGE = TAG + 'merge';

const INT64_MAX = 0x7fffffffffffffffn;
const INT64_MIN = -0x8000000000000000n;
const UINT64_MAX = 0xffffffffffffffffn;

const RESOLVE_MAP = new Map<string, [GoScalar | 'merge', string]>();
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) RESOLVE_MAP.set(s, [true, BOOL]);
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) RESOLVE_MAP.set(s, [false, BOOL]);
for (const s of ['', '~', 'null', 'Null', 'NULL']) RESOLVE_MAP.set(s, [null, NULL]);
for (const s of ['.nan', '.NaN', '.NAN']) RESOLVE_MAP.set(s, [NaN, FLOAT]);
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) RESOLVE_MAP.set(s, [Infinity, FLOAT]);
for (const s of ['-.inf', '-.Inf', '-.INF']) RESOLVE_MAP.set(s, [-Infinity, FLOAT]);
RESOLVE_MAP.set('<<', ['merge', MERGE]);

function hintOf(s: string): string {
  if (s === '') return 'N';
  const c = s.charCodeAt(0);
  if (c === 0x2b || c === 0x2d) return 'S';
  if (c >= 0x30 && c <= 0x39) return 'D';
  if ('yYnNtTfFoO~'.includes(s[0]!)) return 'M';
  if (c === 0x2e) return '.';
  return '';
}

/** Go's strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64). Returns null when Go returns an error. */
export function goParseInt(s: string, unsigned: boolean): bigint | null {
  let i = 0;
  let neg = false;
  if (!unsigned && (s[0] === '+' || s[0] === '-')) {
    neg = s[0] === '-';
    i = 1;
  }
  let body = s.slice(i);
  let base = 10;
  if (body.length > 1 && body[0] === '0') {
    const p = body[1]!.toLowerCase();
    if (p === 'x') (base = 16), (body = body.slice(2));
    else if (p === 'o') (base = 8), (body = body.slice(2));
    else if (p === 'b') (base = 2), (body = body.slice(2));
    else (base = 8), (body = body.slice(1));
  }
  if (body.length === 0) return null;
  const re = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!re.test(body)) return null;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  let v = BigInt(prefix + body);
  if (neg) v = -v;
  if (unsigned) return v <= UINT64_MAX ? v : null;
  return v >= INT64_MIN && v <= INT64_MAX ? v : null;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's ParseFloat for the decimal forms go-yaml hands it; null when Go errors (syntax or overflow). */
function goParseDecimalFloat(s: string): number | null {
  if (!/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return null;
  const f = Number(s);
  return Number.isFinite(f) ? f : null;
}

const TIMESTAMP_RE = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2}))|(?: [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?))?$/;

function shortTag(tag: string): string {
  return tag.startsWith(TAG) ? '!!' + tag.slice(TAG.length) : tag;
}

function isResolvable(tag: string): boolean {
  return tag === '' || tag === STR || tag === BOOL || tag === INT || tag === FLOAT || tag === NULL || tag === TIMESTAMP;
}

/** go-yaml v2 `resolve(tag, in)` followed by the interface{} branch of `scalar()`. */
export function resolveScalar(tag: string, value: string): GoScalar | 'merge' {
  if (!isResolvable(tag)) {
    if (tag === BINARY) {
      const clean = value.replace(/[\r\n]/g, '');
      if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean)) {
        throw new YamlError('yaml: !!binary value contains invalid base64 data');
      }
      return new TextDecoder('utf-8').decode(Buffer.from(clean, 'base64'));
    }
    return value;
  }
  let rtag = STR;
  let out: GoScalar | 'merge' = value;
  const hint = hintOf(value);
  if (hint !== '' && tag !== STR && tag !== BINARY) {
    const item = RESOLVE_MAP.get(value);
    if (item) {
      [out, rtag] = item;
    } else if (hint === '.') {
      const f = goParseDecimalFloat(value);
      if (f !== null && value.startsWith('.')) {
        rtag = FLOAT;
        out = f;
      }
    } else if (hint === 'D' || hint === 'S') {
      let done = false;
      if ((tag === '' || tag === TIMESTAMP) && TIMESTAMP_RE.test(value)) {
        rtag = TIMESTAMP;
        out = value; // into interface{} a timestamp stays the string as written
        done = true;
      }
      if (!done) {
        const plain = value.split('_').join('');
        const i = goParseInt(plain, false) ?? goParseInt(plain, true);
        if (i !== null) {
          rtag = INT;
          out = i;
        } else if (YAML_STYLE_FLOAT.test(plain)) {
          const f = goParseDecimalFloat(plain);
          if (f !== null) {
            rtag = FLOAT;
            out = f;
          }
        }
      }
    }
  }
  // go-yaml's deferred check that an explicit tag matches what the value resolved to.
  if (tag === '' || tag === rtag || tag === STR || tag === BINARY) {
    if (tag === STR) return value;
    return out;
  }
  if (tag === FLOAT && rtag === INT) return Number(out as bigint);
  throw new YamlError(`yaml: cannot decode ${shortTag(rtag)} \`${value}\` as a ${shortTag(tag)}`);
}
