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
  checkConstraints, compareVersions, metadataError, parseConstraintsOrError, parseVersionOrError, prereleaseError,
  type Constraints, type MVersion,
} from '../../chart/semver-range.js';

/** Masterminds semver's Version; parsing and ordering are shared with helm's chart checks. */
export type SemVer = MVersion;

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
// Constraints: Masterminds NewConstraint and Check, shared with helm's range checks

export type { Constraints };
export { checkConstraints };

/** semver.NewConstraint, throwing its error text. */
export function newConstraint(c: string): Constraints {
  const r = parseConstraintsOrError(c);
  if (typeof r === 'string') throw new SemverError(r);
  return r;
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
