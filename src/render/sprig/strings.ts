/**
 * sprig's string functions (strings.go and the string entries of functions.go), with the
 * Go library functions they wrap: strings.{Title,ToUpper,ToLower,TrimSpace,Trim,Split,
 * SplitN,Replace,Repeat}, Masterminds/goutils v1.1.1 (Abbreviate, Initials, Wrap,
 * SwapCase, Uncapitalize, DeleteWhiteSpace) and huandu/xstrings v1.5.0 (ToSnakeCase,
 * ToKebabCase, ToPascalCase).
 *
 * Go strings are bytes: functions that index or slice (trunc, substr, abbrev, wrap) work
 * on UTF-8 bytes, and goutils' byte-wise loops (nospace, initials) re-encode each byte as
 * a Latin-1 rune exactly like Go does.
 */
import {
  GoError, compareStrings, quote as goQuote, sprintf, withType,
  type FuncMap, type GoMap, type GoValue, type Value,
} from '../template/index.js';
import {
  byteLen, fn, fromRunes, fromUtf8, isDigit, isLetter, isLower, isNumber, isPunct, isSpace, isTitle, isUpper,
  latin1Runes, mapRunes, mapSet, num, runes, sliceElems, sliceString, strval, toLowerRune, toTitleRune,
  toUpperRune, utf8,
} from './util.js';
import { noteRandomDraw } from './effects.js';

// ---------------------------------------------------------------------------
// Go's strings package

export const toUpper = (s: string): string => mapRunes(s, toUpperRune);
export const toLower = (s: string): string => mapRunes(s, toLowerRune);

/** strings.TrimSpace. */
export function trimSpace(s: string): string {
  const rs = runes(s);
  let a = 0;
  let b = rs.length;
  while (a < b && isSpace(rs[a]!)) a++;
  while (b > a && isSpace(rs[b - 1]!)) b--;
  return a === 0 && b === rs.length ? s : fromRunes(rs.slice(a, b));
}

/** strings.Trim(s, cutset). */
export function trimCutset(s: string, cutset: string): string {
  if (s === '' || cutset === '') return s;
  const set = new Set(runes(cutset));
  const rs = runes(s);
  let a = 0;
  let b = rs.length;
  while (a < b && set.has(rs[a]!)) a++;
  while (b > a && set.has(rs[b - 1]!)) b--;
  return fromRunes(rs.slice(a, b));
}

function isTitleSeparator(r: number): boolean {
  if (r <= 0x7f) {
    if ((r >= 48 && r <= 57) || (r >= 97 && r <= 122) || (r >= 65 && r <= 90) || r === 95) return false;
    return true;
  }
  if (isLetter(r) || isDigit(r)) return false;
  return isSpace(r);
}

/** strings.Title. */
export function title(s: string): string {
  let prev = 0x20;
  return mapRunes(s, (r) => {
    const out = isTitleSeparator(prev) ? toTitleRune(r) : r;
    prev = r;
    return out;
  });
}

/** strings.Repeat (with Go's panics). */
export function repeat(s: string, count: number): string {
  if (count < 0) throw new GoError('strings: negative Repeat count');
  if (s.length * count > 512 * 1024 * 1024) throw new GoError('strings: Repeat output length overflow');
  return s.repeat(count);
}

/** strings.Replace(s, old, new, -1). */
export function replaceAll(s: string, old: string, nw: string): string {
  if (old === nw) return s;
  if (old !== '') return s.split(old).join(nw);
  const rs = runes(s);
  return nw + rs.map((r) => String.fromCodePoint(r) + nw).join('');
}

/** strings.SplitN(s, sep, n) (n < 0: all). */
export function splitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const rs = runes(s).map((r) => String.fromCodePoint(r));
    if (n < 0 || n >= rs.length) return rs;
    return [...rs.slice(0, n - 1), rs.slice(n - 1).join('')];
  }
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

export const split = (s: string, sep: string): string[] => splitN(s, sep, -1);

// ---------------------------------------------------------------------------
// goutils

/** goutils.AbbreviateFull (errors yield ""). */
export function abbreviateFull(str: string, offset0: number, maxWidth: number): string {
  if (str === '') return '';
  if (maxWidth < 4) return '';
  const b = utf8(str);
  const len = b.length;
  if (len <= maxWidth) return str;
  let offset = offset0;
  if (offset > len) offset = len;
  if (len - offset < maxWidth - 3) offset = len - (maxWidth - 3);
  const marker = '...';
  if (offset <= 4) return sliceString(str, 0, maxWidth - 3) + marker;
  if (maxWidth < 7) return '';
  if (offset + maxWidth - 3 < len) return marker + abbreviateFull(fromUtf8(b.subarray(offset)), 0, maxWidth - 3);
  return marker + fromUtf8(b.subarray(len - (maxWidth - 3)));
}

/** goutils.DeleteWhiteSpace (byte-wise, as goutils does). */
export function deleteWhiteSpace(str: string): string {
  if (str === '') return str;
  const b = utf8(str);
  const kept: number[] = [];
  for (const c of b) if (!isSpace(c)) kept.push(c);
  if (kept.length === b.length) return str;
  return latin1Runes(Uint8Array.from(kept));
}

/** goutils.Initials with whitespace delimiters (byte-wise). */
export function initials(str: string): string {
  if (str === '') return str;
  const b = utf8(str);
  const out: number[] = [];
  let lastWasGap = true;
  for (const c of b) {
    if (isSpace(c)) lastWasGap = true;
    else if (lastWasGap) { out.push(c); lastWasGap = false; }
  }
  return latin1Runes(Uint8Array.from(out));
}

/** goutils.WrapCustom. */
export function wrapCustom(str: string, wrapLength0: number, newLineStr0: string, wrapLongWords: boolean): string {
  if (str === '') return '';
  const newLineStr = newLineStr0 === '' ? '\n' : newLineStr0;
  const wrapLength = wrapLength0 < 1 ? 1 : wrapLength0;
  const b = utf8(str);
  const inputLineLength = b.length;
  let offset = 0;
  const out: string[] = [];
  const sub = (lo: number, hi: number): string => fromUtf8(b.subarray(lo, hi));
  while (inputLineLength - offset > wrapLength) {
    if (b[offset] === 0x20) { offset++; continue; }
    const end = wrapLength + offset + 1;
    const spaceToWrapAt = b.subarray(offset, end).lastIndexOf(0x20) + offset;
    if (spaceToWrapAt >= offset) {
      out.push(sub(offset, spaceToWrapAt), newLineStr);
      offset = spaceToWrapAt + 1;
    } else if (wrapLongWords) {
      out.push(sub(offset, wrapLength + offset), newLineStr);
      offset += wrapLength;
    } else {
      const e = wrapLength + offset;
      const index = b.subarray(e).indexOf(0x20);
      if (index === -1) {
        out.push(sub(offset, b.length));
        offset = inputLineLength;
      } else {
        const at = index + e;
        out.push(sub(offset, at), newLineStr);
        offset = at + 1;
      }
    }
  }
  out.push(sub(offset, b.length));
  return out.join('');
}

/** goutils.SwapCase. */
export function swapCase(str: string): string {
  if (str === '') return str;
  let whitespace = true;
  return mapRunes(str, (ch) => {
    if (isUpper(ch)) { whitespace = false; return toLowerRune(ch); }
    if (isTitle(ch)) { whitespace = false; return toLowerRune(ch); }
    if (isLower(ch)) {
      if (whitespace) { whitespace = false; return toTitleRune(ch); }
      return toUpperRune(ch);
    }
    whitespace = isSpace(ch);
    return ch;
  });
}

/** goutils.Uncapitalize. */
export function uncapitalize(str: string): string {
  if (str === '') return str;
  let next = true;
  return mapRunes(str, (ch) => {
    if (isSpace(ch)) { next = true; return ch; }
    if (next) { next = false; return toLowerRune(ch); }
    return ch;
  });
}

// ---------------------------------------------------------------------------
// xstrings v1.5.0

const isConnector = (r: number): boolean => r === 0x2d || r === 0x5f || isSpace(r);

function isAlphabet(r: number): boolean {
  if (!isLetter(r)) return false;
  if (r < 0x2e80) return true;
  if (r >= 0x4e00 && r <= 0x9fcc) return false;
  if (r >= 0x3400 && r <= 0x4d85) return false;
  if (r >= 0x20000 && r <= 0x2b81d) return false;
  return true;
}

/** xstrings.ToPascalCase (toCamelCase(str, true)). */
export function toPascalCase(str: string, isBig = true): string {
  if (str === '') return '';
  const rs = runes(str);
  const out: number[] = [];
  let i = 0;
  let r0 = 0;
  let r1 = 0;
  let isFirstRuneUpper = false;
  let size = 0;
  while (i < rs.length) {
    r0 = rs[i++]!;
    size = 1;
    if (!isConnector(r0)) {
      isFirstRuneUpper = isUpper(r0);
      r0 = isBig ? toUpperRune(r0) : toLowerRune(r0);
      break;
    }
    out.push(r0);
  }
  if (i >= rs.length) {
    if (size !== 0) out.push(r0);
    return fromRunes(out);
  }
  while (i < rs.length) {
    r1 = r0;
    r0 = rs[i++]!;
    if (isConnector(r0) && isConnector(r1)) { out.push(r1); continue; }
    if (isConnector(r1)) {
      isFirstRuneUpper = isUpper(r0);
      r0 = toUpperRune(r0);
    } else {
      if (isFirstRuneUpper) {
        if (isUpper(r0)) r0 = toLowerRune(r0);
        else isFirstRuneUpper = false;
      }
      out.push(r1);
    }
  }
  if (isFirstRuneUpper && !isBig) r0 = toLowerRune(r0);
  out.push(r0);
  return fromRunes(out);
}

const enum WT { invalid, number, upperCase, alphabet, connector, punct, other }

interface Word { wt: WT; word: number[]; rest: number[] }

function nextWord(str: number[]): Word {
  if (str.length === 0) return { wt: WT.invalid, word: [], rest: [] };
  let offset = 1;
  let rem = str.slice(1);
  let r = str[0]!;
  let wt: WT;
  if (isConnector(r)) {
    wt = WT.connector;
    while (rem.length > 0) { r = rem[0]!; if (!isConnector(r)) break; offset++; rem = rem.slice(1); }
  } else if (isPunct(r)) {
    wt = WT.punct;
    while (rem.length > 0) { r = rem[0]!; if (!isPunct(r)) break; offset++; rem = rem.slice(1); }
  } else if (isUpper(r)) {
    wt = WT.upperCase;
    if (rem.length > 0) {
      r = rem[0]!;
      if (isUpper(r)) {
        offset++;
        rem = rem.slice(1);
        while (rem.length > 0) { r = rem[0]!; if (!isUpper(r)) break; offset++; rem = rem.slice(1); }
        if (rem.length > 0 && isAlphabet(r)) { offset--; rem = str.slice(offset); }
      } else if (isAlphabet(r)) {
        offset++;
        rem = rem.slice(1);
        while (rem.length > 0) { r = rem[0]!; if (!isAlphabet(r) || isUpper(r)) break; offset++; rem = rem.slice(1); }
      }
    }
  } else if (isAlphabet(r)) {
    wt = WT.alphabet;
    while (rem.length > 0) { r = rem[0]!; if (!isAlphabet(r) || isUpper(r)) break; offset++; rem = rem.slice(1); }
  } else if (isNumber(r)) {
    wt = WT.number;
    while (rem.length > 0) { r = rem[0]!; if (!isNumber(r)) break; offset++; rem = rem.slice(1); }
  } else {
    wt = WT.other;
    while (rem.length > 0) {
      r = rem[0]!;
      if (isConnector(r) || isAlphabet(r) || isNumber(r) || isPunct(r)) break;
      offset++;
      rem = rem.slice(1);
    }
  }
  return { wt, word: str.slice(0, offset), rest: rem };
}

function lowerWord(buf: number[], wt: WT, word: number[], connector: number): void {
  if (wt !== WT.upperCase && wt !== WT.connector) { buf.push(...word); return; }
  for (const r of word) {
    if (isConnector(r)) buf.push(connector);
    else if (isUpper(r)) buf.push(toLowerRune(r));
    else buf.push(r);
  }
}

/** xstrings camelCaseToLowerCase (ToSnakeCase / ToKebabCase). */
export function camelCaseToLowerCase(str: string, connector: number): string {
  if (str === '') return '';
  const buf: number[] = [];
  let { wt, word, rest } = nextWord(runes(str));
  while (rest.length > 0) {
    if (wt !== WT.connector) lowerWord(buf, wt, word, connector);
    const prev = wt;
    const last = word;
    ({ wt, word, rest } = nextWord(rest));
    switch (prev) {
      case WT.number:
        while (wt === WT.alphabet || wt === WT.number) {
          lowerWord(buf, wt, word, connector);
          ({ wt, word, rest } = nextWord(rest));
        }
        if (wt !== WT.invalid && wt !== WT.punct && wt !== WT.connector) buf.push(connector);
        break;
      case WT.connector:
        lowerWord(buf, prev, last, connector);
        break;
      case WT.punct:
        break;
      default: {
        if (wt !== WT.number) {
          if (wt !== WT.connector && wt !== WT.punct) buf.push(connector);
          break;
        }
        if (rest.length === 0) break;
        const numWord = word;
        ({ wt, word, rest } = nextWord(rest));
        if (wt !== WT.alphabet) {
          lowerWord(buf, WT.number, numWord, connector);
          if (wt !== WT.connector && wt !== WT.punct) buf.push(connector);
          break;
        }
        buf.push(connector);
        lowerWord(buf, WT.number, numWord, connector);
        while (wt === WT.alphabet || wt === WT.number) {
          lowerWord(buf, wt, word, connector);
          ({ wt, word, rest } = nextWord(rest));
        }
        if (wt !== WT.invalid && wt !== WT.connector && wt !== WT.punct) buf.push(connector);
      }
    }
  }
  lowerWord(buf, wt, word, connector);
  return fromRunes(buf);
}

/** xstrings.Shuffle (math/rand; not reproducible). */
export function shuffle(str: string): string {
  if (str === '') return str;
  noteRandomDraw();
  const rs = runes(str);
  for (let i = rs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    if (i !== j) [rs[i], rs[j]] = [rs[j]!, rs[i]!];
  }
  return fromRunes(rs);
}

// ---------------------------------------------------------------------------
// sprig

/** sprig's strslice (toStrings, join, sortAlpha). */
export function strslice(v: Value): string[] {
  if (v === undefined || v === null) return [];
  const elems = sliceElems(v);
  if (elems) {
    const out: string[] = [];
    for (const e of elems) if (e !== null) out.push(strval(e));
    return out;
  }
  return [strval(v)];
}

export function trunc(c: number, s: string): string {
  const n = byteLen(s);
  if (c < 0 && n + c > 0) return sliceString(s, n + c, undefined);
  if (c >= 0 && n > c) return sliceString(s, 0, c);
  return s;
}

export function substring(start: number, end: number, s: string): string {
  if (start < 0) return sliceString(s, 0, end);
  if (end < 0 || end > byteLen(s)) return sliceString(s, start, undefined);
  return sliceString(s, start, end);
}

function indent(spaces: number, v: string): string {
  const pad = repeat(' ', spaces);
  return pad + replaceAll(v, '\n', '\n' + pad);
}

function splitMap(parts: string[]): GoMap {
  const res: GoMap = {};
  parts.forEach((p, i) => mapSet(res, '_' + i, p));
  return withType(res, 'map[string]string');
}

const nonNil = (v: Value[]): GoValue[] => v.filter((x): x is GoValue => x !== null && x !== undefined);

export function stringFuncs(): FuncMap {
  const s1 = (f: (s: string) => string) => fn('func(string) string', f);
  return {
    hello: fn('func() string', () => 'Hello!'),
    abbrev: fn('func(int, string) string', (width: bigint, s: string) => {
      if (width < 4n) return s;
      return abbreviateFull(s, 0, num(width));
    }),
    abbrevboth: fn('func(int, int, string) string', (left: bigint, right: bigint, s: string) => {
      if (right < 4n || (left > 0n && right < 7n)) return s;
      return abbreviateFull(s, num(left), num(right));
    }),
    trunc: fn('func(int, string) string', (c: bigint, s: string) => trunc(num(c), s)),
    trim: s1(trimSpace),
    upper: s1(toUpper),
    lower: s1(toLower),
    title: s1(title),
    untitle: s1(uncapitalize),
    substr: fn('func(int, int, string) string', (a: bigint, b: bigint, s: string) => substring(num(a), num(b), s)),
    repeat: fn('func(int, string) string', (count: bigint, s: string) => repeat(s, num(count))),
    trimall: fn('func(string, string) string', (a: string, b: string) => trimCutset(b, a)),
    trimAll: fn('func(string, string) string', (a: string, b: string) => trimCutset(b, a)),
    trimSuffix: fn('func(string, string) string', (a: string, b: string) => (a !== '' && b.endsWith(a) ? b.slice(0, b.length - a.length) : b)),
    trimPrefix: fn('func(string, string) string', (a: string, b: string) => (a !== '' && b.startsWith(a) ? b.slice(a.length) : b)),
    nospace: s1(deleteWhiteSpace),
    initials: s1(initials),
    swapcase: s1(swapCase),
    shuffle: s1(shuffle),
    snakecase: s1((s) => camelCaseToLowerCase(s, 0x5f)),
    camelcase: s1((s) => toPascalCase(s, true)),
    kebabcase: s1((s) => camelCaseToLowerCase(s, 0x2d)),
    wrap: fn('func(int, string) string', (l: bigint, s: string) => wrapCustom(s, num(l), '', false)),
    wrapWith: fn('func(int, string, string) string', (l: bigint, sep: string, str: string) => wrapCustom(str, num(l), sep, true)),
    contains: fn('func(string, string) bool', (sub: string, str: string) => str.includes(sub)),
    hasPrefix: fn('func(string, string) bool', (sub: string, str: string) => str.startsWith(sub)),
    hasSuffix: fn('func(string, string) bool', (sub: string, str: string) => str.endsWith(sub)),
    quote: fn('func(...interface {}) string', (...a: Value[]) => nonNil(a).map((s) => goQuote(strval(s))).join(' ')),
    squote: fn('func(...interface {}) string', (...a: Value[]) => nonNil(a).map((s) => sprintf("'%v'", [s])).join(' ')),
    cat: fn('func(...interface {}) string', (...a: Value[]) => {
      const v = nonNil(a);
      return sprintf(trimSpace('%v '.repeat(v.length)), v);
    }),
    indent: fn('func(int, string) string', (n: bigint, v: string) => indent(num(n), v)),
    nindent: fn('func(int, string) string', (n: bigint, v: string) => '\n' + indent(num(n), v)),
    replace: fn('func(string, string, string) string', (o: string, n: string, src: string) => replaceAll(src, o, n)),
    plural: fn('func(string, string, int) string', (one: string, many: string, count: bigint) => (count === 1n ? one : many)),
    toString: fn('func(interface {}) string', (v: Value) => strval(v)),
    split: fn('func(string, string) map[string]string', (sep: string, orig: string) => splitMap(split(orig, sep))),
    splitList: fn('func(string, string) []string', (sep: string, orig: string) => split(orig, sep)),
    splitn: fn('func(string, int, string) map[string]string', (sep: string, n: bigint, orig: string) => splitMap(splitN(orig, sep, num(n)))),
    toStrings: fn('func(interface {}) []string', (v: Value) => strslice(v)),
    join: fn('func(string, interface {}) string', (sep: string, v: Value) => strslice(v).join(sep)),
    sortAlpha: fn('func(interface {}) []string', (v: Value) => {
      if (sliceElems(v ?? null) === null) return [strval(v)];
      return strslice(v).sort(compareStrings);
    }),
  };
}
