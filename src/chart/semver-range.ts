/**
 * Version and range semantics of Masterminds/semver v3.4.0, which helm uses for chart
 * versions (`NewVersion`, coercing) and dependency ranges (`NewConstraint` + `Check`, via
 * helm's IsCompatibleRange).
 *
 * The `semver` package (node-semver) is not used for the matching itself: its rules differ
 * from Masterminds' in ways that change results (leading zeros and a `v` prefix accepted by
 * NewVersion, `1.x` wildcards in `>`/`<=`, `~1` vs `~1.2`, `!=` with wildcards, prerelease
 * opt-in per OR-group, space-AND without commas, hyphen ranges rewritten textually, the empty
 * constraint being invalid). The test table cross-checks the common subset against node-semver.
 */

export interface MVersion {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string;
  metadata: string;
  original: string;
}

const UINT64_MAX = 0xffffffffffffffffn;
const LOOSE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

/** A version segment as Go's strconv.ParseUint reads it, or the error Masterminds returns. */
function parseUint(s: string): bigint | string {
  const v = BigInt(s); // LOOSE only lets digits through
  return v <= UINT64_MAX ? v : `error parsing version segment: strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`;
}

const ALLOWED = /^[0-9A-Za-z-]+$/;

export function prereleaseError(p: string): string | null {
  for (const part of p.split('.')) {
    if (part === '') return 'invalid prerelease string';
    if (/^[0-9]+$/.test(part)) {
      if (part.length > 1 && part[0] === '0') return 'version segment starts with 0';
    } else if (!ALLOWED.test(part)) return 'invalid prerelease string';
  }
  return null;
}

export function metadataError(m: string): string | null {
  return m.split('.').every((p) => p !== '' && ALLOWED.test(p)) ? null : 'invalid metadata string';
}

/**
 * Masterminds `NewVersion` (CoerceNewVersion = true): the version, or the text of the error it
 * returns (sprig's `semver` function reports it; helm's validation only needs valid or not).
 */
export function parseVersionOrError(v: string): MVersion | string {
  const m = LOOSE.exec(v);
  if (!m) return 'invalid semantic version';
  const major = parseUint(m[1]!);
  const minor = m[2] ? parseUint(m[2].slice(1)) : 0n;
  const patch = m[3] ? parseUint(m[3].slice(1)) : 0n;
  for (const x of [major, minor, patch]) if (typeof x === 'string') return x;
  const pre = m[5] ?? '';
  const metadata = m[8] ?? '';
  const bad = (pre !== '' ? prereleaseError(pre) : null) ?? (metadata !== '' ? metadataError(metadata) : null);
  if (bad) return bad;
  return { major: major as bigint, minor: minor as bigint, patch: patch as bigint, pre, metadata, original: v };
}

/** Masterminds `NewVersion` (CoerceNewVersion = true): null where it returns an error. */
export function parseVersion(v: string): MVersion | null {
  const r = parseVersionOrError(v);
  return typeof r === 'string' ? null : r;
}

/** Masterminds `NewVersion(v) == nil` — what helm's chart metadata validation calls valid semver. */
export function isValidSemver(v: string): boolean {
  return parseVersion(v) !== null;
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A prerelease identifier as a number, when Go's ParseUint would read it as one. */
function numericPart(x: string): bigint | null {
  if (!/^[0-9]+$/.test(x)) return null;
  const v = BigInt(x);
  return v <= UINT64_MAX ? v : null;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return o !== '' ? -1 : 1;
  if (o === '') return 1;
  const oi = numericPart(o);
  const si = numericPart(s);
  if (oi === null && si === null) return s > o ? 1 : -1;
  if (oi === null) return -1;
  if (si === null) return 1;
  return si > oi ? 1 : -1;
}

export function comparePrerelease(v: string, o: string): number {
  const sp = v.split('.');
  const op = o.split('.');
  const l = Math.max(sp.length, op.length);
  for (let i = 0; i < l; i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** Masterminds `Version.Compare`. */
export function compareVersions(a: MVersion, b: MVersion): number {
  const d = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch);
  if (d !== 0) return d;
  if (a.pre === '' && b.pre === '') return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return comparePrerelease(a.pre, b.pre);
}

// ---------------------------------------------------------------------------------------
// Constraints

const WS = '[\\t\\n\\f\\r ]';
const CV = 'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';
const CONSTRAINT_RE = new RegExp(`^${WS}*(${OPS})${WS}*(${CV})${WS}*$`);
const RANGE_RE = new RegExp(`${WS}*(${CV})${WS}+-${WS}+(${CV})${WS}*`, 'g');
const CV_FULL = new RegExp(`^${CV}$`);
const RANGE_DASH = new RegExp(`${WS}-${WS}`);
const OP_LIST = ['!=', '>=', '=>', '<=', '=<', '~>', '=', '>', '<', '~', '^'];
const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';

/** Longest constraint string accepted (Go's regexps are linear; JS ones are not: bound the input). */
const MAX_CONSTRAINT_LENGTH = 4096;

type Op = '' | '=' | '!=' | '>' | '<' | '>=' | '=>' | '<=' | '=<' | '~' | '~>' | '^';

interface Constraint {
  con: MVersion;
  orig: string;
  op: Op;
  minorDirty: boolean;
  patchDirty: boolean;
  dirty: boolean;
}

export interface Constraints {
  groups: Constraint[][];
  containsPre: boolean[];
}

/**
 * Masterminds' validConstraintRegex + findConstraintRegex for one OR-part, as a linear
 * tokenizer: items `op ws* cv` separated by whitespace or a comma. Returns the items, or
 * null where the regexp would not match.
 */
function tokenizeAnd(s: string): { op: string; cv: string; text: string }[] | null {
  const items: { op: string; cv: string; text: string }[] = [];
  let i = 0;
  const n = s.length;
  while (i < n && isWs(s[i])) i++;
  for (;;) {
    const opStart = i;
    let op = '';
    for (const cand of OP_LIST) {
      if (s.startsWith(cand, i)) {
        op = cand;
        break;
      }
    }
    i += op.length;
    while (i < n && isWs(s[i])) i++;
    const start = i;
    while (i < n && !isWs(s[i]) && s[i] !== ',') i++;
    const cv = s.slice(start, i);
    if (cv === '' || !CV_FULL.test(cv)) return null;
    items.push({ op, cv, text: s.slice(opStart, i) });
    const sepStart = i;
    while (i < n && isWs(s[i])) i++;
    if (i >= n) return items;
    if (s[i] === ',') {
      i++;
      while (i < n && isWs(s[i])) i++;
      continue;
    }
    if (i === sepStart) return null; // no separator
  }
}

const isX = (s: string | undefined): boolean => s === 'x' || s === '*' || s === 'X';

/** Masterminds `parseConstraint`: the constraint, or Go's error text. */
function parseOne(text: string): Constraint | string {
  const m = CONSTRAINT_RE.exec(text);
  if (!m) return `improper constraint: ${text}`;
  let ver = m[2]!;
  let minorDirty = false;
  let patchDirty = false;
  let dirty = false;
  const pre = m[6] ?? '';
  if (isX(m[3]) || !m[3]) {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(m[4]?.slice(1)) || !m[4]) {
    minorDirty = true;
    dirty = true;
    ver = `${m[3]}.0.0${pre}`;
  } else if (isX(m[5]?.slice(1)) || !m[5]) {
    dirty = true;
    patchDirty = true;
    ver = `${m[3]}${m[4]}.0${pre}`;
  }
  const con = parseVersion(ver);
  if (!con) return 'constraint parser error';
  return { con, orig: m[2]!, op: m[1] as Op, minorDirty, patchDirty, dirty };
}

/** Masterminds `rewriteRange`: `A - B` becomes `>= A, <= B `, replacing the first textual occurrence. */
function rewriteRange(s: string): string {
  // most constraints hold no range; a range needs a dash between whitespace (the regexp is
  // compiled at its first use, ~0.3 ms)
  if (!RANGE_DASH.test(s)) return s;
  const matches = [...s.matchAll(RANGE_RE)];
  let o = s;
  for (const v of matches) {
    const t = `>= ${v[1]}, <= ${v[11]} `;
    o = o.replace(v[0], () => t);
  }
  return o;
}

/**
 * Masterminds `NewConstraint`: the constraints, or its error text (`improper constraint: …`,
 * `constraint parser error`). The one parser behind helm's range checks (parseConstraints)
 * and sprig's semverCompare (render/sprig/semver.ts, which throws the text as Go's error).
 */
export function parseConstraintsOrError(c: string): Constraints | string {
  if (c.length > MAX_CONSTRAINT_LENGTH) return `constraint longer than ${MAX_CONSTRAINT_LENGTH} characters`;
  const rewritten = rewriteRange(c);
  const groups: Constraint[][] = [];
  const containsPre: boolean[] = [];
  for (const part of rewritten.split('||')) {
    const items = tokenizeAnd(part);
    if (!items) return `improper constraint: ${part}`;
    const group: Constraint[] = [];
    let hasPre = false;
    for (const it of items) {
      const pc = parseOne(it.text);
      if (typeof pc === 'string') return pc;
      if (pc.con.pre !== '') hasPre = true;
      group.push(pc);
    }
    groups.push(group);
    containsPre.push(hasPre);
  }
  return { groups, containsPre };
}

/** Masterminds `NewConstraint`: null where it returns an error. */
export function parseConstraints(c: string): Constraints | null {
  const r = parseConstraintsOrError(c);
  return typeof r === 'string' ? null : r;
}

function checkOne(v: MVersion, c: Constraint, includePre: boolean): boolean {
  if (v.pre !== '' && !includePre) return false;
  const lt = (a: MVersion, b: MVersion) => compareVersions(a, b) < 0;
  switch (c.op) {
    case '':
    case '=':
      if (c.dirty) return tilde(v, c);
      return compareVersions(v, c.con) === 0;
    case '!=':
      if (c.dirty) {
        if (c.con.major !== v.major) return true;
        if (c.con.minor !== v.minor && !c.minorDirty) return true;
        else if (c.minorDirty) return false;
        else if (c.con.patch !== v.patch && !c.patchDirty) return true;
        else if (c.patchDirty) {
          if (v.pre !== '' || c.con.pre !== '') return comparePrerelease(v.pre, c.con.pre) !== 0;
          return false;
        }
      }
      return compareVersions(v, c.con) !== 0;
    case '>':
      if (!c.dirty) return compareVersions(v, c.con) === 1;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return compareVersions(v, c.con) === 1;
    case '<':
      return lt(v, c.con);
    case '>=':
    case '=>':
      return compareVersions(v, c.con) >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return compareVersions(v, c.con) <= 0;
      if (v.major > c.con.major) return false;
      if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return tilde(v, c);
    case '^': {
      if (lt(v, c.con)) return false;
      if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
      if (c.con.major === 0n && v.major > 0n) return false;
      if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
      if (c.con.minor === 0n && v.minor > 0n) return false;
      return c.con.patch === v.patch;
    }
  }
}

function tilde(v: MVersion, c: Constraint): boolean {
  if (compareVersions(v, c.con) < 0) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  if (v.minor !== c.con.minor && !c.minorDirty) return false;
  return true;
}

/** Masterminds `Constraints.Check`. */
export function checkConstraints(cs: Constraints, v: MVersion): boolean {
  return cs.groups.some((group, i) => group.every((c) => checkOne(v, c, cs.containsPre[i]!)));
}

/** helm's IsCompatibleRange(constraint, ver): false when either does not parse. */
export function isCompatibleRange(constraint: string, ver: string): boolean {
  const v = parseVersion(ver);
  if (!v) return false;
  const cs = parseConstraints(constraint);
  if (!cs) return false;
  return checkConstraints(cs, v);
}
