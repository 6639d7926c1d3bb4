/**
 * go-yaml's implicit scalar resolution as its encoders use it to decide whether a string
 * can be written plain (v2: go.yaml.in/yaml/v2 resolve.go; v3: go.yaml.in/yaml/v3 resolve.go),
 * plus the map-key sorter shared by both (sorter.go, with v3's one change).
 */
import { parseFloat64, parseInt0, parseUint0 } from '../template/strconv.js';
import { runes } from '../runes.js';
import { isDigit, isLetter } from '../template/unicode.js';

export type ResolvedTag = 'str' | 'bool' | 'null' | 'int' | 'float' | 'timestamp' | 'merge';

const V2_MAP = new Map<string, ResolvedTag>();
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) V2_MAP.set(s, 'bool');
for (const s of ['', '~', 'null', 'Null', 'NULL']) V2_MAP.set(s, 'null');
for (const s of ['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF']) V2_MAP.set(s, 'float');
V2_MAP.set('<<', 'merge');

const V3_MAP = new Map<string, ResolvedTag>();
for (const s of ['true', 'True', 'TRUE', 'false', 'False', 'FALSE']) V3_MAP.set(s, 'bool');
for (const s of ['', '~', 'null', 'Null', 'NULL']) V3_MAP.set(s, 'null');
for (const s of ['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF']) V3_MAP.set(s, 'float');
V3_MAP.set('<<', 'merge');

function hint(s: string): string {
  if (s === '') return 'N';
  const c = s[0]!;
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return '';
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** The tag go-yaml v2's `resolve("", s)` gives a plain scalar. */
export function resolveV2(s: string): ResolvedTag {
  const h = hint(s);
  if (h === '') return 'str';
  const m = V2_MAP.get(s);
  if (m) return m;
  switch (h) {
    case '.':
      return parseFloat64(s) !== null ? 'float' : 'str';
    case 'D': case 'S': {
      if (isTimestamp(s)) return 'timestamp';
      const plain = s.split('_').join('');
      if (parseInt0(plain) !== null || parseUint0(plain) !== null) return 'int';
      if (YAML_STYLE_FLOAT.test(plain) && parseFloat64(plain) !== null) return 'float';
      return 'str';
    }
  }
  return 'str';
}

/** The tag go-yaml v3's `resolve("", s)` gives a plain scalar. */
export function resolveV3(s: string): ResolvedTag {
  const h = hint(s);
  if (h === '') return 'str';
  const m = V3_MAP.get(s);
  if (m) return m;
  switch (h) {
    case '.':
      return parseFloat64(s) !== null ? 'float' : 'str';
    case 'D': case 'S': {
      if (isTimestamp(s)) return 'timestamp';
      const plain = s.split('_').join('');
      if (parseInt0(plain) !== null || parseUint0(plain) !== null) return 'int';
      if (YAML_STYLE_FLOAT.test(plain) && parseFloat64(plain) !== null) return 'float';
      if (plain.startsWith('0b')) {
        if (parseBase(plain.slice(2), 2) !== null) return 'int';
      } else if (plain.startsWith('-0b')) {
        if (parseBase(plain.slice(3), 2) !== null) return 'int';
      } else if (plain.startsWith('0o')) {
        if (parseBase(plain.slice(2), 8) !== null) return 'int';
      } else if (plain.startsWith('-0o')) {
        if (parseBase(plain.slice(3), 8) !== null) return 'int';
      }
      return 'str';
    }
  }
  return 'str';
}

function parseBase(s: string, base: number): bigint | null {
  if (s === '') return null;
  const re = base === 2 ? /^[01]+$/ : /^[0-7]+$/;
  if (!re.test(s)) return null;
  const v = BigInt((base === 2 ? '0b' : '0o') + s);
  return v <= 0xffffffffffffffffn ? v : null;
}

const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** go-yaml's isBase60Float. */
export function isBase60Float(s: string): boolean {
  if (s === '') return false;
  const c = s[0]!;
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9')) || !s.includes(':')) return false;
  return BASE60.test(s);
}

/** go-yaml v3's isOldBool. */
export function isOldBool(s: string): boolean {
  return ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].includes(s);
}

// ---------------------------------------------------------------------------------------
// parseTimestamp: time.Parse with go-yaml's four layouts.

type Tok =
  | { k: 'lit'; s: string }
  | { k: 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'frac9' | 'tz' };

const L_DATE: Tok[] = [{ k: 'year' }, { k: 'lit', s: '-' }, { k: 'month' }, { k: 'lit', s: '-' }, { k: 'day' }];
const L_TIME: Tok[] = [{ k: 'hour' }, { k: 'lit', s: ':' }, { k: 'minute' }, { k: 'lit', s: ':' }, { k: 'second' }, { k: 'frac9' }];
const LAYOUTS: Tok[][] = [
  [...L_DATE, { k: 'lit', s: 'T' }, ...L_TIME, { k: 'tz' }],
  [...L_DATE, { k: 'lit', s: 't' }, ...L_TIME, { k: 'tz' }],
  [...L_DATE, { k: 'lit', s: ' ' }, ...L_TIME],
  L_DATE,
];

const isDigitAt = (s: string, i: number): boolean => i < s.length && s[i]! >= '0' && s[i]! <= '9';

/** time's getnum: one or two digits (two if fixed). */
function getnum(s: string, fixed: boolean): [number, string] | null {
  if (!isDigitAt(s, 0)) return null;
  if (!isDigitAt(s, 1)) {
    if (fixed) return null;
    return [s.charCodeAt(0) - 48, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

function cutspace(s: string): string {
  let i = 0;
  while (i < s.length && s[i] === ' ') i++;
  return s.slice(i);
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

function parseLayout(layout: Tok[], value0: string): boolean {
  let value = value0;
  let year = 0;
  let month = -1;
  let day = -1;
  for (let ti = 0; ti < layout.length; ti++) {
    const t = layout[ti]!;
    switch (t.k) {
      case 'lit': {
        // time's skip(): a space in the layout matches one or more spaces.
        let prefix = t.s;
        while (prefix.length > 0) {
          if (prefix[0] === ' ') {
            if (value.length > 0 && value[0] !== ' ') return false;
            prefix = cutspace(prefix);
            value = cutspace(value);
            continue;
          }
          if (value.length === 0 || value[0] !== prefix[0]) return false;
          prefix = prefix.slice(1);
          value = value.slice(1);
        }
        break;
      }
      case 'year': {
        if (value.length < 4 || !isDigitAt(value, 0)) return false;
        const p = value.slice(0, 4);
        if (!/^[0-9]{4}$/.test(p)) return false;
        year = Number(p);
        value = value.slice(4);
        break;
      }
      case 'month': case 'day': case 'hour': case 'minute': case 'second': {
        const r = getnum(value, false);
        if (!r) return false;
        const [n, rest] = r;
        value = rest;
        if (t.k === 'month') { if (n <= 0 || n > 12) return false; month = n; }
        else if (t.k === 'day') day = n;
        else if (t.k === 'hour') { if (n >= 24) return false; }
        else if (n >= 60) return false;
        if (t.k === 'second' && value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigitAt(value, 1)) {
          const next = layout[ti + 1];
          if (!next || next.k !== 'frac9') {
            let k = 2;
            while (k < value.length && isDigitAt(value, k)) k++;
            value = value.slice(k);
          }
        }
        break;
      }
      case 'frac9': {
        if (value.length < 2 || !(value[0] === '.' || value[0] === ',') || !isDigitAt(value, 1)) break;
        let k = 1;
        while (k < value.length && isDigitAt(value, k)) k++;
        value = value.slice(k);
        break;
      }
      case 'tz': {
        if (value.length >= 1 && value[0] === 'Z') { value = value.slice(1); break; }
        if (value.length < 6 || value[3] !== ':') return false;
        const sign = value[0];
        const hh = getnum(value.slice(1, 3), true);
        const mm = getnum(value.slice(4, 6), true);
        if (!hh || !mm || hh[1] !== '' || mm[1] !== '') return false;
        if (hh[0] > 24 || mm[0] > 60) return false;
        if (sign !== '+' && sign !== '-') return false;
        value = value.slice(6);
        break;
      }
    }
  }
  if (value.length > 0) return false;
  if (day < 1 || day > daysIn(month, year)) return false;
  return true;
}

/** go-yaml's parseTimestamp: whether s is one of its timestamp forms (valid date). */
export function isTimestamp(s: string): boolean {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c < '0' || c > '9') break;
  }
  if (i !== 4 || i === s.length || s[i] !== '-') return false;
  return LAYOUTS.some((l) => parseLayout(l, s));
}

// ---------------------------------------------------------------------------------------
// Map key order (sorter.go keyList.Less) for string keys.



/** keyList.Less for two string keys (v3 adds the `digits` rule). */
export function yamlKeyLess(a: string, b: string, v3: boolean): boolean {
  return runesLess(runes(a), runes(b), v3);
}

function runesLess(ar: readonly number[], br: readonly number[], v3: boolean): boolean {
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = isDigit(ar[i]!);
      continue;
    }
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) {
      if (v3 && digits) return al;
      return bl;
    }
    let an = 0n;
    let bn = 0n;
    if (ar[i] === 48 || br[i] === 48) {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== 48) {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(ar[ai]! - 48));
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(br[bi]! - 48));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}

/** Sorts string keys in go-yaml's order. */
export function sortYamlKeys(keys: string[], v3: boolean): string[] {
  if (keys.length < 2) return keys;
  // each key's runes once, not four times a comparison
  const r = new Map<string, number[]>();
  for (let i = 0; i < keys.length; i++) if (!r.has(keys[i]!)) r.set(keys[i]!, runes(keys[i]!));
  return keys.sort((x, y) => {
    const a = r.get(x)!;
    const b = r.get(y)!;
    return runesLess(a, b, v3) ? -1 : runesLess(b, a, v3) ? 1 : 0;
  });
}
