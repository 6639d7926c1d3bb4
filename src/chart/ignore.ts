/**
 * `.helmignore` rules as helm's pkg/ignore implements them (only the directory loader uses
 * them; archives are never filtered), with Go's path/filepath.Match glob semantics.
 *
 * Quirks kept: a negated rule (`!pat`) that does NOT match a path makes helm ignore that
 * path (and a negated directory-only rule ignores every file); rules are evaluated in order
 * and the first decision wins; `**` is an error; patterns without `/` match the base name.
 */

export const ERR_BAD_PATTERN = 'syntax error in pattern';

class BadPattern extends Error {
  constructor() {
    super(ERR_BAD_PATTERN);
  }
}

/** Splits off the leading stars and the next chunk (Go's scanChunk), on indices into `p`. */
function scanChunk(p: string, from: number): { star: boolean; chunkStart: number; chunkEnd: number } {
  let i = from;
  let star = false;
  while (i < p.length && p.charCodeAt(i) === 0x2a) {
    i++;
    star = true;
  }
  const chunkStart = i;
  let inrange = false;
  scan: for (; i < p.length; i++) {
    switch (p.charCodeAt(i)) {
      case 0x5c: // '\\'
        if (i + 1 < p.length) i++;
        break;
      case 0x5b: // '['
        inrange = true;
        break;
      case 0x5d: // ']'
        inrange = false;
        break;
      case 0x2a: // '*'
        if (!inrange) break scan;
        break;
    }
  }
  return { star, chunkStart, chunkEnd: i };
}

/** Width in UTF-16 units of the code point at i. */
function cpWidth(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
}

/** Go's getEsc on pattern[i..end): the code point and the index after it. */
function getEsc(p: string, i: number, end: number): { r: number; next: number } {
  if (i >= end || p[i] === '-' || p[i] === ']') throw new BadPattern();
  if (p[i] === '\\') {
    i++;
    if (i >= end) throw new BadPattern();
  }
  const r = p.codePointAt(i)!;
  const next = i + cpWidth(p, i);
  if (next >= end) throw new BadPattern();
  return { r, next };
}

/**
 * Go's matchChunk of pattern[cs..ce) against name[ni..): the index in `name` after the match,
 * or -1 (throws on a bad pattern).
 */
function matchChunk(p: string, cs: number, ce: number, name: string, ni: number): number {
  let c = cs;
  let s = ni;
  let failed = false;
  while (c < ce) {
    if (!failed && s >= name.length) failed = true;
    const ch = p[c];
    if (ch === '[') {
      let r = -1;
      if (!failed) {
        r = name.codePointAt(s)!;
        s += cpWidth(name, s);
      }
      c++;
      let negated = false;
      if (c < ce && p[c] === '^') {
        negated = true;
        c++;
      }
      let match = false;
      let nrange = 0;
      for (;;) {
        if (c < ce && p[c] === ']' && nrange > 0) {
          c++;
          break;
        }
        const lo = getEsc(p, c, ce);
        c = lo.next;
        let hi = lo.r;
        if (p[c] === '-') {
          const h = getEsc(p, c + 1, ce);
          hi = h.r;
          c = h.next;
        }
        if (lo.r <= r && r <= hi) match = true;
        nrange++;
      }
      if (match === negated) failed = true;
    } else if (ch === '?') {
      if (!failed) {
        if (name[s] === '/') failed = true;
        s += cpWidth(name, s);
      }
      c++;
    } else {
      if (ch === '\\') {
        c++;
        if (c >= ce) throw new BadPattern();
      }
      if (!failed) {
        if (p[c] !== name[s]) failed = true;
        s++;
      }
      c++;
    }
  }
  return failed ? -1 : s;
}

/** Go's path/filepath.Match (Unix). Throws Error("syntax error in pattern") on a malformed pattern. */
export function goMatch(pattern: string, name: string): boolean {
  let pi = 0;
  let ni = 0;
  pat: while (pi < pattern.length) {
    const { star, chunkStart, chunkEnd } = scanChunk(pattern, pi);
    pi = chunkEnd;
    const last = pi >= pattern.length;
    if (star && chunkStart === chunkEnd) return name.indexOf('/', ni) < 0;
    const t = matchChunk(pattern, chunkStart, chunkEnd, name, ni);
    if (t >= 0 && (t === name.length || !last)) {
      ni = t;
      continue;
    }
    if (star) {
      for (let i = ni; i < name.length && name[i] !== '/'; i++) {
        const t2 = matchChunk(pattern, chunkStart, chunkEnd, name, i + 1);
        if (t2 >= 0) {
          if (last && t2 < name.length) continue;
          ni = t2;
          continue pat;
        }
      }
    }
    while (pi < pattern.length) {
      const sc = scanChunk(pattern, pi);
      pi = sc.chunkEnd;
      matchChunk(pattern, sc.chunkStart, sc.chunkEnd, '', 0);
    }
    return false;
  }
  return ni === name.length;
}

interface Pattern {
  raw: string;
  negate: boolean;
  mustDir: boolean;
  match: (path: string) => boolean;
}

function goBase(p: string): string {
  if (p === '') return '.';
  let s = p.replace(/\/+$/, '');
  if (s === '') return '/';
  const i = s.lastIndexOf('/');
  if (i >= 0) s = s.slice(i + 1);
  return s === '' ? '/' : s;
}

/**
 * goMatch against one pattern, with the shapes most .helmignore lines have decided without the
 * chunk matcher (every file of every subchart is matched against every line): a literal, and
 * `*` before a literal. Anything else goes to `slow`.
 */
export function matcher(pattern: string, slow: (pattern: string, name: string) => boolean): (name: string) => boolean {
  if (!/[*?[\\]/.test(pattern)) return (n) => n === pattern;
  if (pattern[0] === '*' && !/[*?[\\/]/.test(pattern.slice(1))) {
    const suffix = pattern.slice(1);
    return (n) => n.endsWith(suffix) && !n.includes('/');
  }
  return (n) => slow(pattern, n);
}

export class IgnoreRules {
  private readonly patterns: Pattern[] = [];

  /** helm's Parse: one rule a line (bufio.Scanner lines), BOM trimmed, errors for `**` and bad globs. */
  static parse(data: Buffer): IgnoreRules {
    const r = new IgnoreRules();
    let text = data.toString('utf8');
    if (text.startsWith('\ufeff')) text = text.slice(1);
    const lines = text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    for (let line of lines) {
      if (Buffer.byteLength(line) > 64 * 1024) throw new Error('bufio.Scanner: token too long');
      if (line.endsWith('\r')) line = line.slice(0, -1);
      r.addRule(line);
    }
    return r;
  }

  /** helm's AddDefaults: dotfiles in templates/. */
  addDefaults(): void {
    this.addRule('templates/.?*');
  }

  addRule(ruleIn: string): void {
    let rule = ruleIn.trim();
    if (rule === '' || rule.startsWith('#')) return;
    if (rule.includes('**')) throw new Error('double-star (**) syntax is not supported');
    try {
      goMatch(rule, 'abc');
    } catch {
      throw new Error(ERR_BAD_PATTERN);
    }
    const raw = rule;
    let negate = false;
    let mustDir = false;
    if (rule.startsWith('!')) {
      negate = true;
      rule = rule.slice(1);
    }
    if (rule.endsWith('/')) {
      mustDir = true;
      rule = rule.slice(0, -1);
    }
    const safe = (pat: string, n: string): boolean => {
      try {
        return goMatch(pat, n);
      } catch {
        return false;
      }
    };
    let match: (p: string) => boolean;
    if (rule.startsWith('/')) {
      const after = matcher(rule.slice(1), safe);
      match = (n) => after(n);
    } else if (rule.includes('/')) {
      match = matcher(rule, safe);
    } else {
      const r = matcher(rule, safe);
      match = (n) => r(goBase(n));
    }
    this.patterns.push({ raw, negate, mustDir, match });
  }

  /** helm's Rules.Ignore(path, fileinfo). */
  ignore(path: string, isDir: boolean): boolean {
    if (path === '' || path === '.' || path === './') return false;
    // an index loop: called for every file of a chart, for…of would allocate an iterator result a step
    for (let i = 0; i < this.patterns.length; i++) {
      const p = this.patterns[i]!;
      if (p.negate) {
        if (p.mustDir && !isDir) return true;
        if (!p.match(path)) return true;
        continue;
      }
      if (p.mustDir && !isDir) continue;
      if (p.match(path)) return true;
    }
    return false;
  }
}
