/**
 * Go's regexp (RE2 syntax, Perl flags) on top of JS RegExp: a parser for Go's syntax that
 * reports Go's compile errors and translates to an equivalent JS pattern (`u` flag), and
 * Go's FindAll / ReplaceAll / Split / Expand iteration rules, which differ from JS's for
 * empty matches and for `$name` in replacements.
 *
 * Translation notes: `.` is `[^\n]` (JS's `.` also excludes \r, U+2028, U+2029); `\s`,
 * `\d`, `\w` and POSIX classes are ASCII; `^`/`$` under (?m) only treat \n as a line
 * break; (?i) over the whole pattern uses the JS `i` flag, elsewhere literals and classes
 * are expanded to their simple case folds; (?U) swaps greediness; group names are tracked
 * here (Go allows names JS does not).
 */
import { GoError, quote, type FuncMap } from '../template/index.js';
import { canBackquote } from '../template/strconv.js';
import { fn, fromRunes, num, runes, toLowerRune, toUpperRune } from './util.js';

export class RegexpError extends GoError {}

interface Flags { i: boolean; m: boolean; s: boolean; U: boolean }

type Range = [number, number];

const MAX_RUNE = 0x10ffff;
const hex = (r: number): string => `\\u{${r.toString(16)}}`;

const PERL: Record<string, Range[]> = {
  d: [[0x30, 0x39]],
  s: [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]],
  w: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
};

const POSIX: Record<string, Range[]> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

const CATEGORIES = new Set([
  'C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs',
]);

function negate(rs: Range[]): Range[] {
  const sorted = normalize(rs);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

function normalize(rs: Range[]): Range[] {
  const s = [...rs].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const r of s) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

const FOLD_EXTRA: Record<number, number[]> = {
  0x4b: [0x212a], 0x6b: [0x212a], 0x212a: [0x4b, 0x6b],
  0x53: [0x17f], 0x73: [0x17f], 0x17f: [0x53, 0x73],
  0xc5: [0x212b], 0xe5: [0x212b], 0x212b: [0xc5, 0xe5],
  0xb5: [0x39c, 0x3bc], 0x39c: [0xb5], 0x3bc: [0xb5],
  0x3a3: [0x3c2], 0x3c3: [0x3c2], 0x3c2: [0x3a3, 0x3c3],
};

function foldOrbit(r: number): number[] {
  const set = new Set([r, toLowerRune(r), toUpperRune(r)]);
  for (const x of [...set]) for (const e of FOLD_EXTRA[x] ?? []) set.add(e);
  return [...set];
}

function foldRanges(rs: Range[]): Range[] {
  const out: Range[] = [...rs];
  for (const [lo, hi] of rs) {
    if (hi - lo > 5000) continue;
    for (let r = lo; r <= hi; r++) for (const f of foldOrbit(r)) if (f !== r) out.push([f, f]);
  }
  return normalize(out);
}

interface ClassPart { ranges: Range[]; js: string[] }

function classJS(part: ClassPart, negated: boolean): string {
  const body = normalize(part.ranges).map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('') + part.js.join('');
  if (body === '') return negated ? '[\\s\\S]' : '[]';
  return `[${negated ? '^' : ''}${body}]`;
}

class Parser {
  readonly rs: number[];
  pos = 0;
  names: string[] = [''];
  depth = 0;
  readonly globalI: boolean;

  constructor(readonly expr: string) {
    this.rs = runes(expr);
    // (?i) at the very start and never turned off: use JS's i flag.
    const m = /^\(\?([imsU]*)\)/.exec(expr);
    this.globalI = !!m && m[1]!.includes('i') && !/\(\?[imsU]*-[imsU]*i/.test(expr);
  }

  text(a: number, b = this.rs.length): string { return fromRunes(this.rs.slice(a, b)); }
  err(code: string, text: string): never { throw new RegexpError(`error parsing regexp: ${code}: \`${text}\``); }
  peek(k = 0): number | undefined { return this.rs[this.pos + k]; }
  at(s: string): boolean {
    for (let k = 0; k < s.length; k++) if (this.rs[this.pos + k] !== s.charCodeAt(k)) return false;
    return true;
  }

  parse(): string {
    const flags: Flags = { i: false, m: false, s: false, U: false };
    const out = this.alternation(flags, true);
    if (this.pos < this.rs.length) this.err('unexpected )', this.expr);
    return out;
  }

  alternation(flags: Flags, top: boolean): string {
    const alts: string[] = [];
    const f = { ...flags };
    for (;;) {
      alts.push(this.sequence(f));
      if (this.peek() === 0x7c) { this.pos++; continue; }
      break;
    }
    if (this.pos < this.rs.length && this.peek() === 0x29 && top) this.err('unexpected )', this.expr);
    return alts.join('|');
  }

  sequence(flags: Flags): string {
    const items: string[] = [];
    let lastAtomStart = -1;
    let lastRepeatStart = -1;
    let canRepeat = false;
    let lastIsAssertion = false;
    while (this.pos < this.rs.length) {
      const c = this.peek()!;
      if (c === 0x7c || c === 0x29) break;
      const opStart = this.pos;
      const rep = this.repeatOp(flags);
      if (rep !== null) {
        if (!canRepeat) this.err('missing argument to repetition operator', this.text(opStart, this.pos));
        if (lastRepeatStart >= 0) this.err('invalid nested repetition operator', this.text(lastRepeatStart, this.pos));
        let atom = items.pop()!;
        if (lastIsAssertion) atom = `(?:${atom})`;
        items.push(atom + rep);
        lastRepeatStart = opStart;
        continue;
      }
      lastRepeatStart = -1;
      lastAtomStart = opStart;
      const a = this.atom(flags);
      if (a === null) { canRepeat = false; continue; } // flag group
      items.push(a.js);
      canRepeat = true;
      lastIsAssertion = a.assertion;
    }
    void lastAtomStart;
    return items.join('');
  }

  /** A repetition operator at pos (consumed), or null. */
  repeatOp(flags: Flags): string | null {
    const c = this.peek();
    let op: string;
    if (c === 0x2a || c === 0x2b || c === 0x3f) {
      op = String.fromCharCode(c);
      this.pos++;
    } else if (c === 0x7b) {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.text(this.pos, Math.min(this.rs.length, this.pos + 40)));
      if (!m) return null;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
      const start = this.pos;
      this.pos += m[0].length;
      if (min > 1000 || max > 1000 || (max >= 0 && min > max)) {
        const lazyEnd = this.peek() === 0x3f ? this.pos + 1 : this.pos;
        this.err('invalid repeat count', this.text(start, lazyEnd));
      }
      op = m[0];
    } else return null;
    let lazy = false;
    if (this.peek() === 0x3f) { lazy = true; this.pos++; }
    if (flags.U) lazy = !lazy;
    return op + (lazy ? '?' : '');
  }

  atom(flags: Flags): { js: string; assertion: boolean } | null {
    const start = this.pos;
    const c = this.rs[this.pos++]!;
    switch (c) {
      case 0x28: return this.group(flags, start);
      case 0x5b: return { js: this.cls(flags, start), assertion: false };
      case 0x2e: return { js: flags.s ? '[\\s\\S]' : '[^\\n]', assertion: false };
      case 0x5e: return { js: flags.m ? '(?<![^\\n])' : '^', assertion: true };
      case 0x24: return { js: flags.m ? '(?![^\\n])' : '$', assertion: true };
      case 0x5c: return this.escape(flags, start);
    }
    return { js: this.literal(c, flags), assertion: false };
  }

  literal(r: number, flags: Flags): string {
    if (flags.i && !this.globalI) {
      const orbit = foldOrbit(r);
      if (orbit.length > 1) return classJS({ ranges: orbit.map((x): Range => [x, x]), js: [] }, false);
    }
    if ((r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a)) return String.fromCharCode(r);
    return hex(r);
  }

  group(flags: Flags, start: number): { js: string; assertion: boolean } | null {
    if (++this.depth > 1000) this.err('expression nests too deeply', this.expr);
    try {
      let capture = true;
      let name = '';
      let inner = { ...flags };
      if (this.peek() === 0x3f) {
        // (?P<name>re), (?<name>re), (?flags), (?flags:re)
        if (this.at('?P<') || (this.at('?<') && this.peek(2) !== 0x3d && this.peek(2) !== 0x21)) {
          const nameStart = this.pos + (this.at('?P<') ? 3 : 2);
          let k = nameStart;
          while (k < this.rs.length && this.rs[k] !== 0x3e) k++;
          if (k >= this.rs.length) this.err('invalid named capture', this.text(start));
          name = this.text(nameStart, k);
          if (name === '' || !/^[A-Za-z0-9_]+$/.test(name)) this.err('invalid named capture', this.text(start, k + 1));
          this.pos = k + 1;
        } else {
          this.pos++;
          let neg = false;
          let sawFlag = false;
          const f = { ...flags };
          for (;;) {
            const ch = this.rs[this.pos++];
            if (ch === undefined) this.err('missing closing )', this.expr);
            const cs = String.fromCodePoint(ch);
            if (cs === 'i' || cs === 'm' || cs === 's' || cs === 'U') { f[cs] = !neg; sawFlag = true; continue; }
            if (cs === '-') {
              if (neg) this.err('invalid or unsupported Perl syntax', this.text(start, this.pos));
              neg = true;
              sawFlag = false;
              continue;
            }
            if (cs === ':' || cs === ')') {
              if (neg && !sawFlag) this.err('invalid or unsupported Perl syntax', this.text(start, this.pos));
              if (cs === ')') {
                if (!sawFlag && !neg) this.err('invalid or unsupported Perl syntax', this.text(start, this.pos));
                Object.assign(flags, f);
                return null;
              }
              capture = false;
              inner = f;
              break;
            }
            this.err('invalid or unsupported Perl syntax', this.text(start, this.pos));
          }
        }
      }
      if (capture) this.names.push(name);
      const body = this.alternation(inner, false);
      if (this.peek() !== 0x29) this.err('missing closing )', this.expr);
      this.pos++;
      return { js: capture ? `(${body})` : `(?:${body})`, assertion: false };
    } finally {
      this.depth--;
    }
  }

  /** Parses \p / \P at pos (after the backslash has been consumed: pos at 'p'). */
  unicodeClass(start: number): { js: string; negated: boolean } {
    let neg = this.rs[this.pos] === 0x50;
    this.pos++;
    const c = this.rs[this.pos];
    if (c === undefined) this.err('invalid character class range', this.text(start));
    let name: string;
    if (c === 0x7b) {
      const end = this.rs.indexOf(0x7d, this.pos);
      if (end < 0) this.err('invalid character class range', this.text(start));
      name = this.text(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      name = String.fromCodePoint(c);
      this.pos++;
    }
    const seq = this.text(start, this.pos);
    if (name.startsWith('^')) { neg = !neg; name = name.slice(1); }
    let js: string;
    if (name === 'Any') js = '\\s\\S';
    else if (CATEGORIES.has(name)) js = `\\p{${name === 'C' ? 'Other' : name}}`;
    else {
      try { new RegExp(`\\p{Script=${name}}`, 'u'); } catch { this.err('invalid character class range', seq); }
      js = `\\p{Script=${name}}`;
    }
    if (name === 'Any') return { js: neg ? '' : '\\s\\S', negated: false };
    return { js: neg ? js.replace('\\p', '\\P') : js, negated: neg };
  }

  /** parseEscape: a single escaped rune; pos is just after the backslash. */
  escapeRune(start: number): number {
    const c = this.rs[this.pos++];
    if (c === undefined) this.err('trailing backslash at end of expression', '');
    const bad = (): never => this.err('invalid escape sequence', this.text(start, this.pos));
    if (c >= 0x31 && c <= 0x37) {
      const n = this.rs[this.pos];
      if (n === undefined || n < 0x30 || n > 0x37) bad();
    }
    if (c >= 0x30 && c <= 0x37) {
      let r = c - 0x30;
      for (let k = 1; k < 3; k++) {
        const n = this.rs[this.pos];
        if (n === undefined || n < 0x30 || n > 0x37) break;
        r = r * 8 + n - 0x30;
        this.pos++;
      }
      return r;
    }
    switch (c) {
      case 0x78: { // \x
        let n = this.rs[this.pos++];
        if (n === undefined) bad();
        if (n === 0x7b) {
          let nhex = 0;
          let r = 0;
          for (;;) {
            n = this.rs[this.pos++];
            if (n === undefined) bad();
            if (n === 0x7d) break;
            const v = parseInt(String.fromCodePoint(n!), 16);
            if (Number.isNaN(v)) bad();
            r = r * 16 + v;
            if (r > MAX_RUNE) bad();
            nhex++;
          }
          if (nhex === 0) bad();
          return r;
        }
        const x = parseInt(String.fromCodePoint(n!), 16);
        const n2 = this.rs[this.pos++];
        const y = n2 === undefined ? NaN : parseInt(String.fromCodePoint(n2), 16);
        if (Number.isNaN(x) || Number.isNaN(y)) bad();
        return x * 16 + y;
      }
      case 0x61: return 7;
      case 0x66: return 12;
      case 0x6e: return 10;
      case 0x72: return 13;
      case 0x74: return 9;
      case 0x76: return 11;
    }
    if (c < 0x80 && !((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return c;
    return bad();
  }

  escape(flags: Flags, start: number): { js: string; assertion: boolean } {
    const c = this.rs[this.pos];
    if (c === undefined) this.err('trailing backslash at end of expression', '');
    switch (c) {
      case 0x41: this.pos++; return { js: '(?<![\\s\\S])', assertion: true }; // \A
      case 0x7a: this.pos++; return { js: '(?![\\s\\S])', assertion: true }; // \z
      case 0x62: this.pos++; return { js: '\\b', assertion: true };
      case 0x42: this.pos++; return { js: '\\B', assertion: true };
      case 0x43: this.err('invalid escape sequence', '\\C');
      // eslint-disable-next-line no-fallthrough
      case 0x51: { // \Q...\E
        this.pos++;
        let end = this.pos;
        while (end < this.rs.length && !(this.rs[end] === 0x5c && this.rs[end + 1] === 0x45)) end++;
        const lit = this.rs.slice(this.pos, end);
        this.pos = end < this.rs.length ? end + 2 : end;
        return { js: lit.map((r) => this.literal(r, flags)).join('') || '(?:)', assertion: lit.length === 0 };
      }
      case 0x70: case 0x50: {
        const u = this.unicodeClass(start);
        return { js: u.js === '' ? '[]' : u.js === '\\s\\S' ? '[\\s\\S]' : u.js, assertion: false };
      }
    }
    const perl = PERL[String.fromCharCode(c).toLowerCase()];
    if (perl && 'dswDSW'.includes(String.fromCharCode(c))) {
      this.pos++;
      const neg = c < 0x60;
      return { js: classJS({ ranges: neg ? negate(perl) : perl, js: [] }, false), assertion: false };
    }
    const r = this.escapeRune(start);
    return { js: this.literal(r, flags), assertion: false };
  }

  cls(flags: Flags, start: number): string {
    const part: ClassPart = { ranges: [], js: [] };
    let negated = false;
    if (this.peek() === 0x5e) { negated = true; this.pos++; }
    let first = true;
    const missing = (): never => this.err('missing closing ]', this.text(start));
    for (;;) {
      const c = this.peek();
      if (c === undefined) missing();
      if (c === 0x5d && !first) break;
      first = false;
      // [:alpha:]
      if (c === 0x5b && this.peek(1) === 0x3a) {
        const end = this.text(this.pos).indexOf(':]');
        if (end >= 0) {
          const body = this.text(this.pos + 2, this.pos + 2 + runes(this.text(this.pos).slice(2, end)).length);
          const full = this.text(this.pos).slice(0, end + 2);
          const neg = body.startsWith('^');
          const set = POSIX[neg ? body.slice(1) : body];
          if (!set) this.err('invalid character class range', full);
          part.ranges.push(...(neg ? negate(set!) : set!));
          this.pos += runes(full).length;
          continue;
        }
      }
      if (c === 0x5c) {
        const n = this.peek(1);
        if (n === 0x70 || n === 0x50) {
          const escStart = this.pos;
          this.pos++;
          const u = this.unicodeClass(escStart);
          if (u.js === '\\s\\S') part.ranges.push([0, MAX_RUNE]);
          else if (u.js !== '') part.js.push(u.js);
          continue;
        }
        if (n !== undefined && 'dswDSW'.includes(String.fromCharCode(n))) {
          const set = PERL[String.fromCharCode(n).toLowerCase()]!;
          part.ranges.push(...(n < 0x60 ? negate(set) : set));
          this.pos += 2;
          continue;
        }
      }
      const rngStart = this.pos;
      const lo = this.classChar(start);
      let hi = lo;
      if (this.peek() === 0x2d && this.peek(1) !== undefined && this.peek(1) !== 0x5d) {
        this.pos++;
        hi = this.classChar(start);
        if (hi < lo) this.err('invalid character class range', this.text(rngStart, this.pos));
      }
      part.ranges.push([lo, hi]);
    }
    this.pos++; // ]
    if (flags.i && !this.globalI) part.ranges = foldRanges(part.ranges);
    return classJS(part, negated);
  }

  classChar(start: number): number {
    const c = this.peek();
    if (c === undefined) this.err('missing closing ]', this.text(start));
    if (c === 0x5c) {
      const escStart = this.pos;
      this.pos++;
      return this.escapeRune(escStart);
    }
    this.pos++;
    return c!;
  }
}

export interface GoRegexp {
  readonly expr: string;
  readonly re: RegExp;
  /** Group names by index (0 is the whole match, "" for unnamed). */
  readonly names: readonly string[];
}

const cache = new Map<string, GoRegexp | RegexpError>();

/** regexp.Compile. Throws RegexpError with Go's message. */
export function compile(expr: string): GoRegexp {
  const hit = cache.get(expr);
  if (hit instanceof RegexpError) throw hit;
  if (hit) return hit;
  try {
    const p = new Parser(expr);
    const src = p.parse();
    let re: RegExp;
    try {
      re = new RegExp(src, p.globalI ? 'dgiu' : 'dgu');
    } catch (e) {
      throw new RegexpError(`error parsing regexp: invalid or unsupported Perl syntax: \`${expr}\` (${(e as Error).message})`);
    }
    const r: GoRegexp = { expr, re, names: p.names };
    if (cache.size > 500) cache.clear();
    cache.set(expr, r);
    return r;
  } catch (e) {
    if (e instanceof RegexpError) cache.set(expr, e);
    throw e;
  }
}

/** regexp.MustCompile's panic message. */
export function mustCompile(expr: string): GoRegexp {
  try {
    return compile(expr);
  } catch (e) {
    const q = canBackquote(expr) ? '`' + expr + '`' : quote(expr);
    throw new GoError(`regexp: Compile(${q}): ${(e as Error).message}`);
  }
}

type Match = RegExpExecArray & { indices: Array<[number, number] | undefined> };

function execAt(g: GoRegexp, s: string, pos: number): Match | null {
  g.re.lastIndex = pos;
  return g.re.exec(s) as Match | null;
}

const runeWidth = (s: string, pos: number): number => (pos >= s.length ? 0 : s.codePointAt(pos)! > 0xffff ? 2 : 1);

/** Go's allMatches. */
export function findAll(g: GoRegexp, s: string, n0: number): Match[] {
  const n = n0 < 0 ? s.length + 1 : n0;
  const out: Match[] = [];
  let pos = 0;
  let prevMatchEnd = -1;
  while (out.length < n && pos <= s.length) {
    const m = execAt(g, s, pos);
    if (!m) break;
    const [a, b] = m.indices[0]!;
    let accept = true;
    if (b === pos) {
      if (a === prevMatchEnd) accept = false;
      const w = runeWidth(s, pos);
      pos += w > 0 ? w : 1;
    } else pos = b;
    prevMatchEnd = b;
    if (accept) out.push(m);
  }
  return out;
}

export function findString(g: GoRegexp, s: string): string {
  const m = execAt(g, s, 0);
  return m ? m[0] : '';
}

/** Regexp.Expand's template handling. */
function expand(g: GoRegexp, template: string, s: string, m: Match): string {
  let out = '';
  let t = template;
  for (;;) {
    const i = t.indexOf('$');
    if (i < 0) break;
    out += t.slice(0, i);
    t = t.slice(i + 1);
    if (t.startsWith('$')) { out += '$'; t = t.slice(1); continue; }
    const x = extract(t);
    if (!x) { out += '$'; continue; }
    t = x.rest;
    const group = (k: number): string => {
      const ix = m.indices[k];
      return ix ? s.slice(ix[0], ix[1]) : '';
    };
    if (x.num >= 0) {
      if (x.num < m.indices.length) out += group(x.num);
    } else {
      for (let k = 1; k < g.names.length && k < m.indices.length; k++) {
        if (g.names[k] === x.name && m.indices[k]) { out += group(k); break; }
      }
    }
  }
  return out + t;
}

function extract(str0: string): { name: string; num: number; rest: string } | null {
  let str = str0;
  if (str === '') return null;
  let brace = false;
  if (str[0] === '{') { brace = true; str = str.slice(1); }
  const m = /^[\p{L}\p{Nd}_]+/u.exec(str);
  if (!m) return null;
  const name = m[0];
  let i = name.length;
  if (brace) {
    if (i >= str.length || str[i] !== '}') return null;
    i++;
  }
  let n = 0;
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    if (c < 0x30 || c > 0x39 || n >= 1e8) { n = -1; break; }
    n = n * 10 + c - 0x30;
  }
  if (name[0] === '0' && name.length > 1) n = -1;
  return { name, num: n, rest: str.slice(i) };
}

/** Go's replaceAll driver. */
export function replaceAll(g: GoRegexp, s: string, repl: (m: Match) => string): string {
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= s.length) {
    const m = execAt(g, s, searchPos);
    if (!m) break;
    const [a, b] = m.indices[0]!;
    out += s.slice(lastMatchEnd, a);
    if (b > lastMatchEnd || a === 0) out += repl(m);
    lastMatchEnd = b;
    const width = runeWidth(s, searchPos);
    if (searchPos + width > b) searchPos += width;
    else if (searchPos + 1 > b) searchPos++;
    else searchPos = b;
  }
  return out + s.slice(lastMatchEnd);
}

export const replaceAllString = (g: GoRegexp, s: string, tmpl: string): string => replaceAll(g, s, (m) => expand(g, tmpl, s, m));
export const replaceAllLiteral = (g: GoRegexp, s: string, lit: string): string => replaceAll(g, s, () => lit);

/** Regexp.Split. */
export function splitRe(g: GoRegexp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (g.expr.length > 0 && s.length === 0) return [''];
  const matches = findAll(g, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    const [a, b] = m.indices[0]!;
    end = a;
    if (b !== 0) out.push(s.slice(beg, end));
    beg = b;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, (c) => '\\' + c);
}

export function regexFuncs(): FuncMap {
  return {
    regexMatch: fn('func(string, string) bool', (re: string, s: string) => {
      try { return execAt(compile(re), s, 0) !== null; } catch { return false; }
    }),
    mustRegexMatch: fn('func(string, string) (bool, error)', (re: string, s: string) => execAt(compile(re), s, 0) !== null),
    regexFindAll: fn('func(string, string, int) []string', (re: string, s: string, n: bigint) => findAll(mustCompile(re), s, num(n)).map((m) => m[0])),
    mustRegexFindAll: fn('func(string, string, int) ([]string, error)', (re: string, s: string, n: bigint) => findAll(compile(re), s, num(n)).map((m) => m[0])),
    regexFind: fn('func(string, string) string', (re: string, s: string) => findString(mustCompile(re), s)),
    mustRegexFind: fn('func(string, string) (string, error)', (re: string, s: string) => findString(compile(re), s)),
    regexReplaceAll: fn('func(string, string, string) string', (re: string, s: string, r: string) => replaceAllString(mustCompile(re), s, r)),
    mustRegexReplaceAll: fn('func(string, string, string) (string, error)', (re: string, s: string, r: string) => replaceAllString(compile(re), s, r)),
    regexReplaceAllLiteral: fn('func(string, string, string) string', (re: string, s: string, r: string) => replaceAllLiteral(mustCompile(re), s, r)),
    mustRegexReplaceAllLiteral: fn('func(string, string, string) (string, error)', (re: string, s: string, r: string) => replaceAllLiteral(compile(re), s, r)),
    regexSplit: fn('func(string, string, int) []string', (re: string, s: string, n: bigint) => splitRe(mustCompile(re), s, num(n))),
    mustRegexSplit: fn('func(string, string, int) ([]string, error)', (re: string, s: string, n: bigint) => splitRe(compile(re), s, num(n))),
    regexQuoteMeta: fn('func(string) string', quoteMeta),
  };
}
