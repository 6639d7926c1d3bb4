/**
 * Helpers shared by the scheme files: building a {@link VersionScheme} from a parser and a
 * comparator of parsed values, and the few comparisons every scheme needs (digit strings of
 * any length, byte-wise strings). Not a scheme itself.
 */
import { InvalidVersionError, type Ordering, type VersionScheme } from './types.js';

export interface SchemeDefinition<T> {
  id: string;
  displayName: string;
  specUrls: string[];
  ecosystems: string[];
  /** The parsed form, or a short reason why `v` is not a version. `T` must not be a string. */
  parse(v: string): T | string;
  /** Orders two parsed versions. */
  compareParsed(a: T, b: T): Ordering;
}

/** Parsed versions a scheme keeps (then it starts afresh): far more than one scan's distinct versions. */
const MAX_PARSED = 4096;

/**
 * A scheme that compares versions as strings, each parsed once: a scan compares a package's
 * version with every event of every advisory of it, the same few strings thousands of times
 * (postgresql's: ~4 ms of parsing). Parsed values are only read by compareParsed.
 */
export function defineScheme<T extends object>(def: SchemeDefinition<T>): VersionScheme {
  const parsed = new Map<string, T>();
  /** The parsed version, kept (a version checked is compared next), or why it is none. */
  const lookup = (v: string): T | string => {
    const p = parsed.get(v);
    if (p !== undefined) return p;
    const r = def.parse(v);
    if (typeof r === 'string') return r;
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(v, r);
    return r;
  };
  const parseOrThrow = (v: string): T => {
    const r = lookup(v);
    if (typeof r === 'string') throw new InvalidVersionError(v, def.id, r);
    return r;
  };
  return {
    id: def.id,
    displayName: def.displayName,
    specUrls: def.specUrls,
    ecosystems: def.ecosystems,
    isValid: (v: string) => typeof v === 'string' && typeof lookup(v) !== 'string',
    compare: (a: string, b: string) => def.compareParsed(parseOrThrow(a), parseOrThrow(b)),
  };
}

export function sign(n: number): Ordering {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
export const isAsciiLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
export const isAsciiLower = (c: number): boolean => c >= 97 && c <= 122;
export const isAllDigits = (s: string): boolean => /^[0-9]+$/.test(s);

/** Compares two non-empty strings of ASCII digits as unbounded non-negative integers. */
export function compareDigits(a: string, b: string): Ordering {
  let i = 0;
  while (i < a.length - 1 && a.charCodeAt(i) === 48) i++;
  let j = 0;
  while (j < b.length - 1 && b.charCodeAt(j) === 48) j++;
  const la = a.length - i;
  const lb = b.length - j;
  if (la !== lb) return la < lb ? -1 : 1;
  for (; i < a.length; i++, j++) {
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Code-unit order (byte order for ASCII), like C's strcmp or Go's strings.Compare. */
export function compareStrings(a: string, b: string): Ordering {
  return a < b ? -1 : a > b ? 1 : 0;
}
