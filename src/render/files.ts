/**
 * helm's `.Files` (pkg/engine/files.go, v4.1.4): a `map[string][]byte` of the chart's
 * non-template files (type `engine.files`) with the methods Get, GetBytes, Glob, Lines,
 * AsConfig and AsSecrets. Glob patterns follow github.com/gobwas/glob compiled with `/` as
 * separator: `*` and `?` stop at `/`, `**` crosses it, `[abc]`, `[a-z]`, `[!…]`, `{a,b}`,
 * `\` escapes; an invalid pattern matches every file (helm falls back to `**`).
 */
import type { ChartFile } from '../model/chart.js';
import { toYaml } from './encoding/index.js';
import {
  GoFunc, GoError, T, T_BYTES, mapOf, namedType, sliceOf, withType,
  type GoMap, type GoMethod, type GoType, type GoValue, type Signature,
} from './template/index.js';

const FILES_UNDERLYING = mapOf(T.string, T_BYTES);
export const FILES_TYPE: GoType = namedType('engine.files', FILES_UNDERLYING);
const STRING_SLICE = sliceOf(T.string);
const MAP_STRING_STRING = mapOf(T.string, T.string);

function method(sig: Signature, impl: (recv: GoValue, ...args: never[]) => GoValue): GoMethod {
  return { type: new GoFunc(sig, () => null).type, impl: impl as GoMethod['impl'] };
}

const td = new TextDecoder('utf-8');

/** Go's `string(b)`; invalid UTF-8 becomes U+FFFD in this value model. */
function bytesToString(b: GoValue | undefined): string {
  if (b instanceof Uint8Array) return td.decode(b);
  return '';
}

function get(recv: GoValue, name: string): Uint8Array | undefined {
  const m = recv as GoMap;
  if (!Object.prototype.hasOwnProperty.call(m, name)) return undefined;
  const v = m[name];
  return v instanceof Uint8Array ? v : undefined;
}

function pathBase(p: string): string {
  if (p === '') return '.';
  let s = p;
  while (s.length > 0 && s.endsWith('/')) s = s.slice(0, -1);
  if (s === '') return '/';
  const i = s.lastIndexOf('/');
  return i >= 0 ? s.slice(i + 1) : s;
}

const methods: Array<[string, GoMethod]> = [
  ['GetBytes', method({ params: [T.string], variadic: undefined, results: [T_BYTES] }, (recv, name: string) => get(recv, name) ?? new Uint8Array(0))],
  ['Get', method({ params: [T.string], variadic: undefined, results: [T.string] }, (recv, name: string) => bytesToString(get(recv, name)))],
  ['Glob', method({ params: [T.string], variadic: undefined, results: [FILES_TYPE] }, (recv, pattern: string) => {
    const re = compileGlob(pattern) ?? /^[\s\S]*$/;
    const out: GoMap = {};
    for (const k of Object.keys(recv as GoMap)) {
      if (re.test(k)) Object.defineProperty(out, k, { value: (recv as GoMap)[k], enumerable: true, writable: true, configurable: true });
    }
    return withType(out, FILES_TYPE);
  })],
  ['AsConfig', method({ params: [], variadic: undefined, results: [T.string] }, (recv) => {
    const m: GoMap = {};
    for (const k of Object.keys(recv as GoMap)) setOwn(m, pathBase(k), bytesToString((recv as GoMap)[k]));
    return toYaml(withType(m, MAP_STRING_STRING));
  })],
  ['AsSecrets', method({ params: [], variadic: undefined, results: [T.string] }, (recv) => {
    const m: GoMap = {};
    for (const k of Object.keys(recv as GoMap)) {
      const v = (recv as GoMap)[k];
      setOwn(m, pathBase(k), Buffer.from(v instanceof Uint8Array ? v : new Uint8Array(0)).toString('base64'));
    }
    return toYaml(withType(m, MAP_STRING_STRING));
  })],
  ['Lines', method({ params: [T.string], variadic: undefined, results: [STRING_SLICE] }, (recv, path: string) => {
    const b = get(recv, path);
    if (b === undefined) return withType([], STRING_SLICE);
    if (b.length === 0) throw new GoError('runtime error: index out of range [-1]');
    let s = bytesToString(b);
    if (b[b.length - 1] === 0x0a) s = s.slice(0, -1);
    return withType(s.split('\n'), STRING_SLICE);
  })],
];
for (const [n, m] of methods) (FILES_TYPE.methods as Map<string, GoMethod>).set(n, m);

function setOwn(m: GoMap, k: string, v: GoValue): void {
  Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** helm's newFiles: the chart's files as a `engine.files` value (later duplicates win). */
export function filesValue(files: readonly ChartFile[]): GoMap {
  const m: GoMap = {};
  for (const f of files) setOwn(m, f.name, new Uint8Array(f.data.buffer, f.data.byteOffset, f.data.byteLength));
  return withType(m, FILES_TYPE);
}

// --- gobwas/glob

const IN_TEXT_BREAKERS = new Set(['?', '*', '[', '{']);
const IN_TERMS_BREAKERS = new Set(['?', '*', '[', '{', '}', ',']);

class GlobSyntaxError extends Error {}

function reEscape(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

function classEscape(c: string): string {
  return /[\\\]^-]/.test(c) ? `\\${c}` : c;
}

/**
 * Compiles a gobwas/glob pattern (separator `/`) to an anchored RegExp, or null when
 * gobwas would reject the pattern.
 */
export function compileGlob(pattern: string): RegExp | null {
  const chars = Array.from(pattern);
  let i = 0;
  let depth = 0;
  const read = (): string | undefined => chars[i++];

  const text = (breakers: Set<string>): string => {
    let out = '';
    while (i < chars.length) {
      let c = chars[i]!;
      if (breakers.has(c)) break;
      i++;
      if (c === '\\') {
        const n = read();
        if (n === undefined) break; // a trailing backslash is dropped
        c = n;
      }
      out += c;
    }
    return out;
  };

  const range = (): string => {
    let not = false;
    let first = true;
    for (;;) {
      const c = read();
      if (c === undefined) throw new GlobSyntaxError('unexpected end of input');
      if (first && c === '!') { not = true; first = false; continue; }
      first = false;
      if (chars[i] === '-') {
        i++;
        const hi = read();
        if (hi === undefined) throw new GlobSyntaxError('unexpected end of input');
        if (read() !== ']') throw new GlobSyntaxError('expected close range character');
        if (hi < c) throw new GlobSyntaxError('hi character should be greater than lo');
        return `[${not ? '^' : ''}${classEscape(c)}-${classEscape(hi)}]`;
      }
      i--;
      const list = text(new Set([']']));
      if (read() !== ']') throw new GlobSyntaxError('unexpected end of input');
      const cls = Array.from(list).map(classEscape).join('');
      if (cls === '') throw new GlobSyntaxError('could not parse range');
      return `[${not ? '^' : ''}${cls}]`;
    }
  };

  const seq = (): string => {
    let out = '';
    while (i < chars.length) {
      const c = chars[i]!;
      if (c === '*') {
        i++;
        if (chars[i] === '*') { i++; out += '[\\s\\S]*'; } else out += '[^/]*';
      } else if (c === '?') {
        i++; out += '[^/]';
      } else if (c === '[') {
        i++; out += range();
      } else if (c === '{') {
        i++; depth++;
        const alts: string[] = [seq()];
        for (;;) {
          const d = read();
          if (d === undefined) break; // gobwas closes unterminated terms at the end
          if (d === ',') { alts.push(seq()); continue; }
          if (d === '}') break;
        }
        depth--;
        out += `(?:${alts.join('|')})`;
      } else if (depth > 0 && (c === ',' || c === '}')) {
        return out;
      } else {
        out += Array.from(text(depth > 0 ? IN_TERMS_BREAKERS : IN_TEXT_BREAKERS)).map(reEscape).join('');
      }
    }
    return out;
  };

  try {
    const body = seq();
    return new RegExp(`^${body}$`, 'u');
  } catch {
    return null;
  }
}
