/**
 * The contract every version scheme in this folder fulfils (modelled on Renovate's
 * `lib/modules/versioning/types.ts`, minus its habit of ordering unparsable versions).
 *
 * A scheme answers two questions for one ecosystem's version strings: is this a version
 * (`isValid`), and how do two versions order (`compare`). It never guesses: a string the
 * ecosystem's own tooling would reject is invalid, and comparing it throws
 * {@link InvalidVersionError}, which the matcher turns into an `indeterminate` finding.
 *
 * OSV sentinels are not versions: `introduced: "0"` ("before every version") and
 * `limit: "*"` ("after every version") must be handled by the caller before calling
 * `compare`. In some schemes `"0"` happens to parse (as 0, 0.0.0, …), but it then sorts
 * *above* prereleases and pseudo-versions of 0.0.0, which is not what the sentinel means.
 */

export type Ordering = -1 | 0 | 1;

export interface VersionScheme {
  /** Stable identifier, also the key in the registry (`schemes` in index.ts). */
  id: string;
  /** Human name used in messages ("Debian version"). */
  displayName: string;
  /** The specification and the reference implementation this scheme follows. */
  specUrls: string[];
  /** OSV ecosystem names this scheme serves (base name before any ':' suffix) */
  ecosystems: string[];
  /** True when `v` is a version of this scheme (after the trimming the ecosystem's tooling does). */
  isValid(v: string): boolean;
  /** -1, 0, 1; throws InvalidVersionError when either side is not valid */
  compare(a: string, b: string): Ordering;
}

/** Thrown by `compare` when one side is not a valid version of the scheme. */
export class InvalidVersionError extends Error {
  override name = 'InvalidVersionError';
  constructor(
    /** The string that failed to parse. */
    readonly version: string,
    /** The scheme's id. */
    readonly scheme: string,
    /** Why it is not valid, in a few words. */
    readonly reason: string,
  ) {
    super(`${JSON.stringify(version)} is not a valid ${scheme} version: ${reason}`);
  }
}
