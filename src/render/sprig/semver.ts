/**
 * `semver` and `semverCompare` with Masterminds/semver v3.4.0 semantics: NewVersion in
 * its default coercing mode, Constraints (ranges, ||, commas, ~, ^, x-ranges, prerelease
 * handling) and `*semver.Version` as a template value with its methods (Major, Minor,
 * Patch, Prerelease, Metadata, Original, String, IncMajor/IncMinor/IncPatch,
 * SetPrerelease/SetMetadata, Compare, LessThan, GreaterThan, Equal, ...).
 */
import {
  GoError, GoScalar, GoStruct, T, goFunc, structType, type FuncMap, type GoMethod, type GoType, type GoValue,
} from '../template/index.js';
import { jsonMarshalers, jsonString } from './json.js';
import { fn, registerType } from './util.js';
import {
  comparePrerelease, compareVersions, metadataError, parseVersionOrError, prereleaseError, type MVersion,
} from '../../chart/semver-range.js';

/** Masterminds semver's Version; parsing and ordering are shared with helm's chart checks. */
export type SemVer = MVersion;

const SP = '[\\t\\n\\f\\r ]';

export class SemverError extends GoError {}

/** semver.NewVersion (CoerceNewVersion = true), throwing its error text. */
export function newVersion(v: string): SemVer {
  const r = parseVersionOrError(v);
  if (typeof r === 'string') throw new SemverError(r);
  return r;
}

export function versionString(v: SemVer): string {
  let s = `${v.major}.${v.minor}.${v.patch}`;
  if (v.pre !== '') s += '-' + v.pre;
  if (v.metadata !== '') s += '+' + v.metadata;
  return s;
}

export { compareVersions };

// ---------------------------------------------------------------------------
// Constraints

interface Constraint { con: SemVer; orig: string; origfunc: string; minorDirty: boolean; dirty: boolean; patchDirty: boolean }

const cvRegex = '[vV]?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?'.replace('[vV]?', 'v?');
const ops = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';
const constraintRegex = new RegExp(`^${SP}*(${ops})${SP}*(${cvRegex})${SP}*$`);
const constraintRangeRegex = new RegExp(`${SP}*(${cvRegex})${SP}+-${SP}+(${cvRegex})${SP}*`, 'g');
const findConstraintRegex = new RegExp(`(${ops})${SP}*(${cvRegex})`, 'g');
const validConstraintRegex = new RegExp(`^(${SP}*(${ops})${SP}*(${cvRegex})${SP}*)((?:${SP}+|,${SP}*)(${ops})${SP}*(${cvRegex})${SP}*)*$`);

const isX = (x: string | undefined): boolean => x === 'x' || x === '*' || x === 'X';

function parseConstraint(c: string): Constraint {
  if (c.length > 0) {
    const m = constraintRegex.exec(c);
    if (!m) throw new SemverError(`improper constraint: ${c}`);
    const cs: Constraint = { con: null as never, orig: m[2]!, origfunc: m[1]!, minorDirty: false, dirty: false, patchDirty: false };
    let ver = m[2]!;
    const m3 = m[3] ?? '';
    const m4 = m[4] ?? '';
    const m5 = m[5] ?? '';
    const m6 = m[6] ?? '';
    if (isX(m3) || m3 === '') { ver = `0.0.0${m6}`; cs.dirty = true; }
    else if (isX(m4.replace(/^\./, '')) || m4 === '') { cs.minorDirty = true; cs.dirty = true; ver = `${m3}.0.0${m6}`; }
    else if (isX(m5.replace(/^\./, '')) || m5 === '') { cs.dirty = true; cs.patchDirty = true; ver = `${m3}${m4}.0${m6}`; }
    try { cs.con = newVersion(ver); } catch { throw new SemverError('constraint parser error'); }
    return cs;
  }
  return { con: { major: 0n, minor: 0n, patch: 0n, pre: '', metadata: '', original: '0.0.0' }, orig: c, origfunc: '', minorDirty: false, patchDirty: false, dirty: true };
}

function rewriteRange(i: string): string {
  const ms = [...i.matchAll(constraintRangeRegex)];
  let o = i;
  for (const v of ms) o = o.replace(v[0], `>= ${v[1]}, <= ${v[11]} `);
  return o;
}

export interface Constraints { constraints: Constraint[][]; containsPre: boolean[] }

export function newConstraint(c0: string): Constraints {
  const c = rewriteRange(c0);
  const ors = c.split('||');
  const out: Constraints = { constraints: [], containsPre: [] };
  for (const v of ors) {
    if (!validConstraintRegex.test(v)) throw new SemverError(`improper constraint: ${v}`);
    let cs = [...v.matchAll(findConstraintRegex)].map((m) => m[0]);
    if (cs.length === 0) cs = [v];
    let hasPre = false;
    const result = cs.map((s) => {
      const pc = parseConstraint(s);
      if (pc.con.pre !== '') hasPre = true;
      return pc;
    });
    out.constraints.push(result);
    out.containsPre.push(hasPre);
  }
  return out;
}

function tilde(v: SemVer, c: Constraint): boolean {
  if (compareVersions(v, c.con) < 0) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  if (v.minor !== c.con.minor && !c.minorDirty) return false;
  return true;
}

function check(v: SemVer, c: Constraint, includePre: boolean): boolean {
  if (v.pre !== '' && !includePre) return false;
  const con = c.con;
  switch (c.origfunc) {
    case '': case '=':
      if (c.dirty) return tilde(v, c);
      return compareVersions(v, con) === 0;
    case '!=':
      if (c.dirty) {
        if (con.major !== v.major) return true;
        if (con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.pre !== '' || con.pre !== '') return comparePrerelease(v.pre, con.pre) !== 0;
          return false;
        }
      }
      return compareVersions(v, con) !== 0;
    case '>':
      if (!c.dirty) return compareVersions(v, con) === 1;
      if (v.major > con.major) return true;
      if (v.major < con.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > con.minor;
      return compareVersions(v, con) === 1;
    case '<':
      return compareVersions(v, con) < 0;
    case '>=': case '=>':
      return compareVersions(v, con) >= 0;
    case '<=': case '=<':
      if (!c.dirty) return compareVersions(v, con) <= 0;
      if (v.major > con.major) return false;
      if (v.major === con.major && v.minor > con.minor && !c.minorDirty) return false;
      return true;
    case '~': case '~>':
      return tilde(v, c);
    case '^':
      if (compareVersions(v, con) < 0) return false;
      if (con.major > 0n || c.minorDirty) return v.major === con.major;
      if (con.major === 0n && v.major > 0n) return false;
      if (con.minor > 0n || c.patchDirty) return v.minor === con.minor;
      if (con.minor === 0n && v.minor > 0n) return false;
      return con.patch === v.patch;
  }
  return false;
}

export function checkConstraints(cs: Constraints, v: SemVer): boolean {
  return cs.constraints.some((o, i) => o.every((c) => check(v, c, cs.containsPre[i]!)));
}

// ---------------------------------------------------------------------------
// *semver.Version as a template value

const U64 = (n: bigint): GoScalar => new GoScalar(T.uint64, n);

function dataOf(s: GoStruct): SemVer {
  const f = s.fields;
  return {
    major: (f.major as GoScalar).v as bigint, minor: (f.minor as GoScalar).v as bigint, patch: (f.patch as GoScalar).v as bigint,
    pre: f.pre as string, metadata: f.metadata as string, original: f.original as string,
  };
}

export const versionType: GoType = (() => {
  const methods: Record<string, GoMethod> = {};
  const t = structType('semver.Version', [
    ['major', T.uint64], ['minor', T.uint64], ['patch', T.uint64], ['pre', T.string], ['metadata', T.string], ['original', T.string],
  ], methods);
  return t;
})();

export function versionValue(v: SemVer, pointer = true): GoStruct {
  return new GoStruct(versionType, {
    major: U64(v.major), minor: U64(v.minor), patch: U64(v.patch), pre: v.pre, metadata: v.metadata, original: v.original,
  }, pointer);
}

registerType('*semver.Version', new GoStruct(versionType, {}, true).type);
registerType('semver.Version', versionType);

const POINTER_METHODS_ON_VALUE = true;

function defineVersionMethods(): void {
  // Value-receiver methods belong to both semver.Version and *semver.Version; the
  // pointer-receiver ones (Original, Compare, LessThan, ...) only to the pointer. The
  // executor looks methods up after dereferencing pointers (it expects the pointer's
  // methods merged into the struct type), so pointer-only methods are also put on the
  // struct type for now: `(semver "1.2.3").IncMinor.Original` works here but not in Go.
  const valueMethods = versionType.methods as Map<string, GoMethod>;
  const ptrMethods = new GoStruct(versionType, {}, true).type.methods as Map<string, GoMethod>;
  let onPointerOnly = false;
  const def = (name: string, sig: string, impl: (v: SemVer, ...a: never[]) => unknown): void => {
    const f = fn(sig, () => null);
    const m: GoMethod = { type: f.type, impl: (recv: GoValue, ...args: unknown[]) => impl(dataOf(recv as GoStruct), ...(args as never[])) as GoValue };
    ptrMethods.set(name, m);
    if (!onPointerOnly || POINTER_METHODS_ON_VALUE) valueMethods.set(name, m);
  };
  const vPrefix = (v: SemVer): string => (v.original !== '' && v.original[0] === 'v' ? 'v' : '');
  const next = (v: SemVer, n: Partial<SemVer>): GoStruct => {
    const r = { ...v, ...n };
    r.original = vPrefix(v) + versionString(r);
    return versionValue(r, false);
  };
  const other = (o: GoValue): SemVer => {
    if (!(o instanceof GoStruct) || o.nil) throw new GoError('runtime error: invalid memory address or nil pointer dereference');
    return dataOf(o);
  };
  def('String', 'func() string', (v) => versionString(v));
  def('Major', 'func() uint64', (v) => U64(v.major));
  def('Minor', 'func() uint64', (v) => U64(v.minor));
  def('Patch', 'func() uint64', (v) => U64(v.patch));
  def('Prerelease', 'func() string', (v) => v.pre);
  def('Metadata', 'func() string', (v) => v.metadata);
  def('IncPatch', 'func() semver.Version', (v) => (v.pre !== '' ? next(v, { metadata: '', pre: '' }) : next(v, { metadata: '', pre: '', patch: v.patch + 1n })));
  def('IncMinor', 'func() semver.Version', (v) => next(v, { metadata: '', pre: '', patch: 0n, minor: v.minor + 1n }));
  def('IncMajor', 'func() semver.Version', (v) => next(v, { metadata: '', pre: '', patch: 0n, minor: 0n, major: v.major + 1n }));
  def('SetPrerelease', 'func(string) (semver.Version, error)', (v, p: string) => { const bad = p.length > 0 ? prereleaseError(p) : null; if (bad) throw new SemverError(bad); return next(v, { pre: p }); });
  def('SetMetadata', 'func(string) (semver.Version, error)', (v, p: string) => { const bad = p.length > 0 ? metadataError(p) : null; if (bad) throw new SemverError(bad); return next(v, { metadata: p }); });
  onPointerOnly = true;
  def('Original', 'func() string', (v) => v.original);
  def('Compare', 'func(*semver.Version) int', (v, o: GoValue) => BigInt(compareVersions(v, other(o))));
  def('LessThan', 'func(*semver.Version) bool', (v, o: GoValue) => compareVersions(v, other(o)) < 0);
  def('LessThanEqual', 'func(*semver.Version) bool', (v, o: GoValue) => compareVersions(v, other(o)) <= 0);
  def('GreaterThan', 'func(*semver.Version) bool', (v, o: GoValue) => compareVersions(v, other(o)) > 0);
  def('GreaterThanEqual', 'func(*semver.Version) bool', (v, o: GoValue) => compareVersions(v, other(o)) >= 0);
  def('Equal', 'func(*semver.Version) bool', (v, o: GoValue) => o instanceof GoStruct && !o.nil && compareVersions(v, dataOf(o)) === 0);
  jsonMarshalers.set(versionType, (v) => jsonString(versionString(dataOf(v as GoStruct))));
}
defineVersionMethods();
void goFunc;

export function semverFuncs(): FuncMap {
  return {
    semver: fn('func(string) (*semver.Version, error)', (v: string) => versionValue(newVersion(v))),
    semverCompare: fn('func(string, string) (bool, error)', (c: string, v: string) => checkConstraints(newConstraint(c), newVersion(v))),
  };
}
