/**
 * The parts of Go's strconv that text/template and fmt depend on: float formatting
 * (FormatFloat with 'e','E','f','g','G','b','x','X'), integer/float literal parsing with
 * Go's syntax, Quote/QuoteRune/Unquote/UnquoteChar and unicode.IsPrint.
 */
import { isGraphicText } from './unicode.js';

export class SyntaxError extends Error {
  constructor(msg = 'invalid syntax') { super(msg); }
}

// ---------------------------------------------------------------------------
// Float formatting

interface Decimal { d: string; dp: number } // digits without trailing zeros; value = 0.d × 10^dp

const f64 = new DataView(new ArrayBuffer(8));

/** mant × 2^exp exactly (mant is an integer < 2^53). Mant 0 for zero. */
function decompose(v: number, bitSize: 32 | 64): { mant: bigint; exp: number; mantbits: number } {
  if (bitSize === 32) {
    f64.setFloat32(0, v);
    const bits = f64.getUint32(0);
    const e = (bits >>> 23) & 0xff;
    let m = bits & 0x7fffff;
    let exp: number;
    if (e === 0) exp = 1 - 127 - 23;
    else { m |= 0x800000; exp = e - 127 - 23; }
    return { mant: BigInt(m), exp, mantbits: 23 };
  }
  f64.setFloat64(0, v);
  const bits = f64.getBigUint64(0);
  const e = Number((bits >> 52n) & 0x7ffn);
  let m = bits & 0xfffffffffffffn;
  let exp: number;
  if (e === 0) exp = 1 - 1023 - 52;
  else { m |= 1n << 52n; exp = e - 1023 - 52; }
  return { mant: m, exp, mantbits: 52 };
}

function exactDecimal(v: number, bitSize: 32 | 64): Decimal {
  const { mant, exp } = decompose(Math.abs(v), bitSize);
  if (mant === 0n) return { d: '', dp: 0 };
  let digits: string;
  let dp: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString();
    dp = digits.length + exp;
  }
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  return { d: digits.slice(0, end), dp };
}

function shortestDecimal(v: number, bitSize: 32 | 64): Decimal {
  const a = Math.abs(v);
  if (a === 0) return { d: '', dp: 0 };
  let s: string;
  if (bitSize === 32) {
    s = a.toExponential();
    for (let p = 1; p <= 9; p++) {
      const t = a.toPrecision(p);
      if (Math.fround(Number(t)) === a) { s = Number(t).toExponential(); break; }
    }
  } else {
    s = a.toExponential();
  }
  const e = s.indexOf('e');
  const d = s.slice(0, e).replace('.', '');
  return { d, dp: Number(s.slice(e + 1)) + 1 };
}

/** Go's decimal.Round: round to nd digits, half to even on exact ties. */
function roundDecimal(a: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= a.d.length) return a;
  let up: boolean;
  const c = a.d.charCodeAt(nd);
  if (c === 53 /* 5 */ && nd + 1 === a.d.length) up = nd > 0 && (a.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = c >= 53;
  if (!up) {
    let end = nd;
    while (end > 0 && a.d.charCodeAt(end - 1) === 48) end--;
    return { d: a.d.slice(0, end), dp: end === 0 ? 0 : a.dp };
  }
  for (let i = nd - 1; i >= 0; i--) {
    const ch = a.d.charCodeAt(i);
    if (ch < 57) return { d: a.d.slice(0, i) + String.fromCharCode(ch + 1), dp: a.dp };
  }
  return { d: '1', dp: a.dp + 1 };
}

function fmtE(neg: boolean, d: Decimal, prec: number, fmt: string): string {
  let s = neg ? '-' : '';
  s += d.d.length ? d.d[0] : '0';
  if (prec > 0) {
    s += '.';
    const m = Math.min(d.d.length, prec + 1);
    let i = 1;
    if (i < m) { s += d.d.slice(i, m); i = m; }
    for (; i <= prec; i++) s += '0';
  }
  s += fmt;
  let exp = d.dp - 1;
  if (d.d.length === 0) exp = 0;
  if (exp < 0) { s += '-'; exp = -exp; } else s += '+';
  s += exp < 10 ? '0' + exp : String(exp);
  return s;
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let s = neg ? '-' : '';
  if (d.dp > 0) {
    const m = Math.min(d.d.length, d.dp);
    s += d.d.slice(0, m);
    for (let k = m; k < d.dp; k++) s += '0';
  } else s += '0';
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) {
      const j = d.dp + i - 1;
      s += j >= 0 && j < d.d.length ? d.d[j] : '0';
    }
  }
  return s;
}

function fmtB(neg: boolean, mant: bigint, exp: number): string {
  return (neg ? '-' : '') + mant.toString() + 'p' + (exp >= 0 ? '+' : '') + String(exp);
}

function fmtX(prec: number, fmt: string, neg: boolean, mant0: bigint, exp0: number, mantbits: number): string {
  let mant = mant0;
  let exp = exp0 + mantbits; // value = mant × 2^(exp - mantbits)
  if (mant === 0n) exp = 0;
  mant <<= BigInt(60 - mantbits);
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) { mant <<= 1n; exp--; }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const mask60 = (1n << 60n) - 1n;
    const extra = (mant << shift) & mask60;
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) { mant >>= 1n; exp++; }
  }
  const hex = fmt === 'X' ? '0123456789ABCDEF' : '0123456789abcdef';
  let s = neg ? '-' : '';
  s += '0' + fmt + String(Number((mant >> 60n) & 1n));
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  if (prec < 0 && mant !== 0n) {
    s += '.';
    while (mant !== 0n) { s += hex[Number((mant >> 60n) & 15n)]; mant = (mant << 4n) & ((1n << 64n) - 1n); }
  } else if (prec > 0) {
    s += '.';
    for (let i = 0; i < prec; i++) { s += hex[Number((mant >> 60n) & 15n)]; mant = (mant << 4n) & ((1n << 64n) - 1n); }
  }
  s += fmt === 'X' ? 'P' : 'p';
  if (exp < 0) { s += '-'; exp = -exp; } else s += '+';
  s += exp < 10 ? '0' + exp : String(exp);
  return s;
}

/** strconv.FormatFloat(v, fmt, prec, bitSize). */
export function formatFloat(v: number, fmt: string, prec: number, bitSize: 32 | 64 = 64): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  if (fmt === 'b') { const { mant, exp } = decompose(Math.abs(v), bitSize); return fmtB(neg, mant, exp); }
  if (fmt === 'x' || fmt === 'X') { const { mant, exp, mantbits } = decompose(Math.abs(v), bitSize); return fmtX(prec, fmt, neg, mant, exp, mantbits); }
  const shortest = prec < 0;
  let d: Decimal;
  if (shortest) {
    d = shortestDecimal(v, bitSize);
    switch (fmt) {
      case 'e': case 'E': prec = Math.max(d.d.length - 1, 0); break;
      case 'f': prec = Math.max(d.d.length - d.dp, 0); break;
      case 'g': case 'G': prec = d.d.length; break;
    }
  } else {
    d = exactDecimal(v, bitSize);
    switch (fmt) {
      case 'e': case 'E': d = roundDecimal(d, prec + 1); break;
      case 'f': d = roundDecimal(d, d.dp + prec); break;
      case 'g': case 'G': if (prec === 0) prec = 1; d = roundDecimal(d, prec); break;
      default: d = roundDecimal(d, 1);
    }
  }
  switch (fmt) {
    case 'e': case 'E': return fmtE(neg, d, prec, fmt);
    case 'f': return fmtF(neg, d, prec);
    case 'g': case 'G': {
      let eprec = prec;
      if (eprec > d.d.length && d.d.length >= d.dp) eprec = d.d.length;
      if (shortest) eprec = 6;
      const exp = d.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > d.d.length) prec = d.d.length;
        return fmtE(neg, d, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > d.dp) prec = d.d.length;
      return fmtF(neg, d, Math.max(prec - d.dp, 0));
    }
  }
  return '%' + fmt;
}

// ---------------------------------------------------------------------------
// Unicode / quoting

const asciiPrint: boolean[] = [];
for (let c = 0; c < 128; c++) asciiPrint.push(c >= 0x20 && c < 0x7f);

/** unicode.IsPrint. */
export function isPrint(r: number): boolean {
  if (r < 128) return asciiPrint[r] === true;
  if (r >= 0xd800 && r <= 0xdfff) return false;
  if (r > 0x10ffff) return false;
  return isGraphicText(String.fromCodePoint(r));
}

/** Code points of a JS string; lone surrogates become U+FFFD. */
export function* codePoints(s: string): Generator<number> {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { yield ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000; i++; continue; }
    }
    yield c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
  }
}

/** Number of runes (code points) in s. */
export function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; }
    }
  }
  return n;
}

const lowerhex = '0123456789abcdef';

function appendEscapedRune(r: number, quote: number, asciiOnly: boolean): string {
  if (r === quote || r === 92) return '\\' + String.fromCodePoint(r);
  if (asciiOnly) {
    if (r < 0x80 && isPrint(r)) return String.fromCodePoint(r);
  } else if (isPrint(r)) return String.fromCodePoint(r);
  switch (r) {
    case 7: return '\\a';
    case 8: return '\\b';
    case 12: return '\\f';
    case 10: return '\\n';
    case 13: return '\\r';
    case 9: return '\\t';
    case 11: return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return '\\x' + lowerhex[r >> 4] + lowerhex[r & 15];
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  if (r < 0x10000) return '\\u' + r.toString(16).padStart(4, '0');
  return '\\U' + r.toString(16).padStart(8, '0');
}

function quoteWith(s: string, quote: number, asciiOnly: boolean): string {
  let out = String.fromCharCode(quote);
  for (const r of codePoints(s)) out += appendEscapedRune(r, quote, asciiOnly);
  return out + String.fromCharCode(quote);
}

export const quote = (s: string): string => quoteWith(s, 34, false);
export const quoteToASCII = (s: string): string => quoteWith(s, 34, true);
export function quoteRune(r: number, asciiOnly = false): string {
  if (r > 0x10ffff || r < 0 || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  return "'" + appendEscapedRune(r, 39, asciiOnly) + "'";
}

/** strconv.CanBackquote. */
export function canBackquote(s: string): boolean {
  for (const r of codePoints(s)) {
    if (r === 0xfeff || r === 0xfffd) return false;
    if ((r < 0x20 && r !== 9) || r === 0x60 || r === 0x7f) return false;
  }
  return true;
}

function utf8Encode(r: number, out: number[]): void {
  if (r < 0x80) out.push(r);
  else if (r < 0x800) out.push(0xc0 | (r >> 6), 0x80 | (r & 63));
  else if (r < 0x10000) out.push(0xe0 | (r >> 12), 0x80 | ((r >> 6) & 63), 0x80 | (r & 63));
  else out.push(0xf0 | (r >> 18), 0x80 | ((r >> 12) & 63), 0x80 | ((r >> 6) & 63), 0x80 | (r & 63));
}

function unhex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * strconv.UnquoteChar on s (a JS string) at index i. Returns the bytes the escape stands
 * for (a rune's UTF-8 or a single raw byte) and the next index.
 */
export function unquoteChar(s: string, i: number, quoteCh: number): { bytes: number[]; rune: number; next: number } {
  const c = s.codePointAt(i);
  if (c === undefined) throw new SyntaxError();
  if (c === quoteCh && (quoteCh === 39 || quoteCh === 34)) throw new SyntaxError();
  if (c !== 92) {
    const out: number[] = [];
    utf8Encode(c, out);
    return { bytes: out, rune: c, next: i + (c > 0xffff ? 2 : 1) };
  }
  if (i + 1 >= s.length) throw new SyntaxError();
  const e = s.charCodeAt(i + 1);
  let j = i + 2;
  const simple: Record<number, number> = { 97: 7, 98: 8, 102: 12, 110: 10, 114: 13, 116: 9, 118: 11 };
  if (simple[e] !== undefined) return { bytes: [simple[e]!], rune: simple[e]!, next: j };
  switch (e) {
    case 120: case 117: case 85: { // x u U
      const n = e === 120 ? 2 : e === 117 ? 4 : 8;
      if (j + n > s.length) throw new SyntaxError();
      let v = 0;
      for (let k = 0; k < n; k++) {
        const x = unhex(s.charCodeAt(j + k));
        if (x < 0) throw new SyntaxError();
        v = v * 16 + x;
      }
      j += n;
      if (e === 120) return { bytes: [v], rune: v, next: j };
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxError();
      const out: number[] = [];
      utf8Encode(v, out);
      return { bytes: out, rune: v, next: j };
    }
    case 48: case 49: case 50: case 51: case 52: case 53: case 54: case 55: {
      let v = e - 48;
      if (j + 2 > s.length) throw new SyntaxError();
      for (let k = 0; k < 2; k++) {
        const x = s.charCodeAt(j + k) - 48;
        if (x < 0 || x > 7) throw new SyntaxError();
        v = v * 8 + x;
      }
      j += 2;
      if (v > 255) throw new SyntaxError();
      return { bytes: [v], rune: v, next: j };
    }
    case 92: return { bytes: [92], rune: 92, next: j };
    case 39: case 34:
      if (e !== quoteCh) throw new SyntaxError();
      return { bytes: [e], rune: e, next: j };
  }
  throw new SyntaxError();
}

/** strconv.Unquote for "..." and `...` literals. */
export function unquote(s: string): string {
  const n = s.length;
  if (n < 2) throw new SyntaxError();
  const q = s.charCodeAt(0);
  if (q !== s.charCodeAt(n - 1)) throw new SyntaxError();
  const body = s.slice(1, n - 1);
  if (q === 96) {
    if (body.includes('`')) throw new SyntaxError();
    return body.includes('\r') ? body.replace(/\r/g, '') : body;
  }
  if (q !== 34 && q !== 39) throw new SyntaxError();
  if (body.includes('\n')) throw new SyntaxError();
  if (!body.includes('\\') && !body.includes(String.fromCharCode(q))) {
    if (q === 34) return body;
    if (q === 39 && runeCount(body) === 1) return body;
  }
  const bytes: number[] = [];
  let i = 0;
  while (i < body.length) {
    const r = unquoteChar(body, i, q);
    bytes.push(...r.bytes);
    i = r.next;
    if (q === 39 && i < body.length) throw new SyntaxError();
  }
  return Buffer.from(bytes).toString('utf8');
}

// ---------------------------------------------------------------------------
// Number parsing (Go syntax)

function lower(c: string): string { return c.toLowerCase(); }

/** strconv's underscoreOK. */
export function underscoreOK(s0: string): boolean {
  let s = s0;
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(lower(s[1]!))) {
    i = 2;
    saw = '0';
    hex = lower(s[1]!) === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) { saw = '0'; continue; }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseUint(s, 0, 64); null on any error. */
export function parseUint0(s0: string): bigint | null {
  if (s0 === '') return null;
  let s = s0;
  let base = 10;
  if (s[0] === '0') {
    if (s.length >= 3 && lower(s[1]!) === 'b') { base = 2; s = s.slice(2); }
    else if (s.length >= 3 && lower(s[1]!) === 'o') { base = 8; s = s.slice(2); }
    else if (s.length >= 3 && lower(s[1]!) === 'x') { base = 16; s = s.slice(2); }
    else { base = 8; s = s.slice(1); }
  }
  let n = 0n;
  let underscores = false;
  const b = BigInt(base);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 95) { underscores = true; continue; }
    const d = unhex(c);
    if (d < 0 || d >= base) return null;
    n = n * b + BigInt(d);
    if (n > 0xffffffffffffffffn) return null;
  }
  if (underscores && !underscoreOK(s0)) return null;
  return n;
}

/** strconv.ParseInt(s, 0, 64); null on any error. */
export function parseInt0(s: string): bigint | null {
  if (s === '') return null;
  let neg = false;
  let body = s;
  if (s[0] === '+' || s[0] === '-') { neg = s[0] === '-'; body = s.slice(1); }
  const u = parseUint0(body);
  if (u === null) return null;
  if (!neg && u > 0x7fffffffffffffffn) return null;
  if (neg && u > 0x8000000000000000n) return null;
  return neg ? -u : u;
}

/** strconv.ParseFloat(s, 64); null on syntax or range error. */
export function parseFloat64(s: string): number | null {
  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') { neg = s[0] === '-'; i = 1; }
  const rest = s.slice(i);
  const lr = rest.toLowerCase();
  if (lr === 'inf' || lr === 'infinity') return neg ? -Infinity : Infinity;
  if (lr === 'nan') return NaN;
  let v: number;
  if (lr.startsWith('0x')) {
    const m = /^0x([0-9a-f_]*)(?:\.([0-9a-f_]*))?p([+-]?[0-9_]+)$/.exec(lr);
    if (!m) return null;
    const intp = (m[1] ?? '').replace(/_/g, '');
    const frac = (m[2] ?? '').replace(/_/g, '');
    if (intp === '' && frac === '') return null;
    if (s.includes('_') && !underscoreOK(s)) return null;
    const mant = BigInt('0x' + (intp + frac || '0'));
    const exp = Number(m[3]!.replace(/_/g, '')) - 4 * frac.length;
    v = Number(mant) * Math.pow(2, exp);
    if (!Number.isFinite(v) && mant !== 0n) {
      // Scale in two steps to avoid a premature overflow/underflow of 2^exp.
      v = Number(mant) * Math.pow(2, exp / 2) * Math.pow(2, exp - exp / 2);
    }
  } else {
    if (!/^(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:e[+-]?[0-9_]+)?$/.test(lr)) return null;
    if (s.includes('_') && !underscoreOK(s)) return null;
    v = Number(lr.replace(/_/g, ''));
    if (Number.isNaN(v)) return null;
  }
  if (!Number.isFinite(v)) return null; // ErrRange
  return neg ? -v : v;
}
