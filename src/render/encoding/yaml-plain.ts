/**
 * toYaml's common case written directly: most calls in a chart's render marshal a few labels,
 * a name, a number or an empty map (kafka: 128 calls, 10 KB in all), and each costs ~50 µs
 * through json.Marshal, go-yaml's decode and libyaml's emitter in code that runs cold. A value
 * made only of maps with plain keys, non-empty lists of scalars, one-line printable ASCII
 * strings, booleans, nulls, int64s and whole float64s up to 2^53 is written here as that path
 * would write it; anything else (other floats, other strings, long keys, typed values, lists of
 * collections) returns null and takes the full path. yaml-plain.test.ts compares both on a
 * table of edge cases and on every values.yaml subtree of the corpus charts.
 */
import { type GoMap, type GoValue, isGoMap } from '../template/value.js';
import { isBase60Float, resolveV2, sortYamlKeys } from './resolve.js';

/** libyaml's best_width: a scalar with a space on a longer line could be folded (full path). */
const BEST_WIDTH = 80;

/** A key beyond 128 characters is not a simple key to libyaml (written as `? key`). */
const MAX_SIMPLE_KEY = 128;

/** Deeper values (and cycles) take the full path, which reports them as json.Marshal does. */
const MAX_DEPTH = 32;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Characters that make a scalar starting with them not plain (libyaml's analyze_scalar). */
const FIRST_INDICATORS = '#,[]{}&*!|>\'"%@`';

/**
 * Whether libyaml writes this one-line printable ASCII string plain in block context: no
 * leading or trailing space, no document marker, no indicator first, no ': ' or ' #' inside.
 */
function blockPlainAllowed(s: string): boolean {
  const n = s.length;
  if (n === 0 || s.charCodeAt(0) === 0x20 || s.charCodeAt(n - 1) === 0x20) return false;
  if (n >= 3 && (s.startsWith('---') || s.startsWith('...'))) return false;
  const first = s[0]!;
  const wsAfterFirst = n === 1 || s.charCodeAt(1) === 0x20;
  if (FIRST_INDICATORS.includes(first)) return false;
  if ((first === '?' || first === ':' || first === '-') && wsAfterFirst) return false;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3a && (i === n - 1 || s.charCodeAt(i + 1) === 0x20)) return false; // ':'
    if (c === 0x23 && s.charCodeAt(i - 1) === 0x20) return false; // '#'
  }
  return true;
}

/** Printable ASCII without a quote or backslash (nothing a double-quoted scalar would escape). */
const SIMPLE_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * The string as go-yaml v2 writes it in block context where the line so far is `column`
 * characters, or null: plain when it resolves to a string (else go-yaml asks for double
 * quotes), single-quoted when libyaml's analysis forbids plain; a line that could fold at one
 * of its spaces is left to the full path.
 */
function stringText(s: string, column: number): string | null {
  if (!SIMPLE_ASCII.test(s)) return null;
  let text: string;
  if (resolveV2(s) !== 'str' || isBase60Float(s)) text = `"${s}"`;
  else if (blockPlainAllowed(s)) text = s;
  else text = `'${s.replaceAll("'", "''")}'`;
  return column + text.length > BEST_WIDTH && s.includes(' ') ? null : text;
}

/** The scalar's text at `column`, or null when it is not one this path writes. */
function scalarText(v: GoValue, column: number): string | null {
  switch (typeof v) {
    case 'string': return stringText(v, column);
    case 'boolean': return v ? 'true' : 'false';
    case 'bigint': return v >= INT64_MIN && v <= INT64_MAX ? v.toString() : null;
    // a whole float64 (values and fromYaml hold numbers as float64): json.Marshal writes its
    // digits, which go-yaml reads back as an int (-0 is written "-0" and read as 0: full path)
    case 'number': return Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : null;
  }
  return v === null ? 'null' : null;
}

/** A key go-yaml v2 writes plain (keys of other styles take the full path). */
function isPlainKey(k: string): boolean {
  return k.length <= MAX_SIMPLE_KEY && SIMPLE_ASCII.test(k) && resolveV2(k) === 'str' && !isBase60Float(k) && blockPlainAllowed(k);
}

/**
 * sigs.k8s.io/yaml Marshal of `v` (go-yaml v2 output with its final newline), or null when the
 * value is not of the kinds above.
 */
export function plainBlockYaml(v: GoValue): string | null {
  const out: string[] = [];
  if (Array.isArray(v)) return v.length === 0 ? '[]\n' : seq(v, '', out) ? out.join('') : null;
  if (isGoMap(v)) {
    if (Object.keys(v).length === 0) return '{}\n';
    return map(v, '', out, 0) ? out.join('') : null;
  }
  const s = scalarText(v, 0);
  return s === null ? null : `${s}\n`;
}

/** A block sequence of scalars at `indent` (in a mapping, go-yaml v2 does not indent it). */
function seq(items: GoValue[], indent: string, out: string[]): boolean {
  for (const item of items) {
    const s = scalarText(item, indent.length + 2);
    if (s === null) return false;
    out.push(`${indent}- ${s}\n`);
  }
  return true;
}

function map(m: GoMap, indent: string, out: string[], depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const keys = Object.keys(m);
  for (const k of keys) if (!isPlainKey(k)) return false;
  for (const k of sortYamlKeys(keys, false)) {
    const v = m[k] as GoValue;
    if (Array.isArray(v)) {
      if (v.length === 0) {
        out.push(`${indent}${k}: []\n`);
        continue;
      }
      out.push(`${indent}${k}:\n`);
      if (!seq(v, indent, out)) return false;
      continue;
    }
    if (isGoMap(v)) {
      if (Object.keys(v).length === 0) {
        out.push(`${indent}${k}: {}\n`);
        continue;
      }
      out.push(`${indent}${k}:\n`);
      if (!map(v, `${indent}  `, out, depth + 1)) return false;
      continue;
    }
    const s = scalarText(v, indent.length + k.length + 2);
    if (s === null) return false;
    out.push(`${indent}${k}: ${s}\n`);
  }
  return true;
}
