/**
 * Small sprig modules: reflection (typeOf, typeIs, typeIsLike, kindOf, kindIs,
 * deepEqual), paths (path.* and, on Linux, filepath.*), uuidv4, random strings
 * (goutils CryptoRandom*), getHostByName (never touches the network) and `fail`.
 */
import { GoError, sprintf, type FuncMap, type Value } from '../template/index.js';
import { deepEqual, fn, fromRunes, isDigit, isLetter, kindName, num } from './util.js';
import { randomBelow, randomUuid } from './keys.js';

// ---------------------------------------------------------------------------
// path (Go's path package; filepath on Linux is the same)

/** path.Clean. */
export function clean(p: string): string {
  if (p === '') return '.';
  const rooted = p[0] === '/';
  const n = p.length;
  const out: string[] = [];
  let r = 0;
  let dotdot = 0;
  let w = 0;
  if (rooted) { out.push('/'); r = 1; dotdot = 1; w = 1; }
  while (r < n) {
    if (p[r] === '/') r++;
    else if (p[r] === '.' && (r + 1 === n || p[r + 1] === '/')) r++;
    else if (p[r] === '.' && p[r + 1] === '.' && (r + 2 === n || p[r + 2] === '/')) {
      r += 2;
      if (w > dotdot) {
        w--;
        while (w > dotdot && out[w] !== '/') w--;
        out.length = w;
      } else if (!rooted) {
        if (w > 0) { out.push('/'); w++; }
        out.push('.', '.');
        w += 2;
        dotdot = w;
      }
    } else {
      if ((rooted && w !== 1) || (!rooted && w !== 0)) { out.push('/'); w++; }
      for (; r < n && p[r] !== '/'; r++) { out.push(p[r]!); w++; }
    }
  }
  if (w === 0) return '.';
  return out.slice(0, w).join('');
}

export function base(p0: string): string {
  if (p0 === '') return '.';
  let p = p0;
  while (p.length > 0 && p[p.length - 1] === '/') p = p.slice(0, -1);
  const i = p.lastIndexOf('/');
  if (i >= 0) p = p.slice(i + 1);
  if (p === '') return '/';
  return p;
}

export function dir(p: string): string {
  const i = p.lastIndexOf('/');
  return clean(p.slice(0, i + 1));
}

export function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

// ---------------------------------------------------------------------------
// goutils.CryptoRandom

export function cryptoRandom(count: number, letters: boolean, numbers: boolean, start0 = 0, end0 = 0): string {
  if (count === 0) return '';
  if (count < 0) return '';
  if (count > 64 * 1024 * 1024) throw new GoError('runtime error: makeslice: len out of range');
  let start = start0;
  let end = end0;
  if (start === 0 && end === 0) {
    if (!letters && !numbers) end = 0x7fffffff;
    else { end = 0x7a + 1; start = 0x20; }
  }
  const buffer = new Array<number>(count).fill(0);
  const gap = end - start;
  const rnd = randomBelow;
  let c = count;
  while (c !== 0) {
    c--;
    const ch = rnd(gap) + start;
    if ((letters && isLetter(ch)) || (numbers && isDigit(ch)) || (!letters && !numbers)) {
      if (ch >= 56320 && ch <= 57343) {
        if (c === 0) c++;
        else { buffer[c] = ch; c--; buffer[c] = 55296 + rnd(128); }
      } else if (ch >= 55296 && ch <= 56191) {
        if (c === 0) c++;
        else { buffer[c] = 56320 + rnd(128); c--; buffer[c] = ch; }
      } else if (ch >= 56192 && ch <= 56319) c++;
      else buffer[c] = ch;
    } else c++;
  }
  // Go's string([]rune) turns surrogate halves and out-of-range runes into U+FFFD.
  return fromRunes(buffer.map((r) => ((r >= 0xd800 && r <= 0xdfff) || r > 0x10ffff ? 0xfffd : r)));
}

// ---------------------------------------------------------------------------

const IF = 'interface {}';
const typeName = (v: Value): string => sprintf('%T', [v === undefined ? null : v]);

export function miscFuncs(): FuncMap {
  const s1 = (f: (s: string) => string) => fn('func(string) string', f);
  const isAbs = fn('func(string) bool', (p: string) => p.startsWith('/'));
  return {
    typeOf: fn(`func(${IF}) string`, typeName),
    typeIs: fn(`func(string, ${IF}) bool`, (t: string, v: Value) => t === typeName(v)),
    typeIsLike: fn(`func(string, ${IF}) bool`, (t: string, v: Value) => { const n = typeName(v); return t === n || '*' + t === n; }),
    kindOf: fn(`func(${IF}) string`, (v: Value) => kindName(v)),
    kindIs: fn(`func(string, ${IF}) bool`, (t: string, v: Value) => t === kindName(v)),
    deepEqual: fn(`func(${IF}, ${IF}) bool`, (a: Value, b: Value) => deepEqual(a, b)),

    base: s1(base), dir: s1(dir), clean: s1(clean), ext: s1(ext), isAbs,
    osBase: s1(base), osClean: s1(clean), osDir: s1(dir), osExt: s1(ext), osIsAbs: isAbs,

    uuidv4: fn('func() string', () => randomUuid()),
    randAlphaNum: fn('func(int) string', (n: bigint) => cryptoRandom(num(n), true, true)),
    randAlpha: fn('func(int) string', (n: bigint) => cryptoRandom(num(n), true, false)),
    randAscii: fn('func(int) string', (n: bigint) => cryptoRandom(num(n), false, false, 32, 127)),
    randNumeric: fn('func(int) string', (n: bigint) => cryptoRandom(num(n), false, true)),

    // helm renders without DNS (--enable-dns is off by default) and returns "" here; doing
    // the same keeps rendering deterministic and offline.
    getHostByName: fn('func(string) string', () => ''),
    fail: fn('func(string) (string, error)', (msg: string) => { throw new GoError(msg); }),
  };
}
