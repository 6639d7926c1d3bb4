/**
 * The Maven packages in one Java archive (jar, war, ear, …) held in memory, nested archives
 * included, after Trivy's jar parser (pkg/dependency/parser/java/jar/parse.go) without its
 * network lookups:
 *
 * 1. every `pom.properties` in the archive is a package (`exact`): a shaded or uber jar carries
 *    one per bundled artifact, and each is reported, as Trivy and Syft do;
 * 2. when none of them names the archive itself, MANIFEST.MF's main section gives a coordinate
 *    (`guessed`: the attributes are not Maven coordinates);
 * 3. else a versioned file name (`name-1.2.3.jar`) gives the artifact and version (`guessed`,
 *    no group, so no purl: purl's maven type requires the group).
 *
 * Nested archives (WEB-INF/lib, BOOT-INF/lib, ear modules, jars in jars) are read from memory
 * to a bounded depth. A package's first path is always the file in the image (layers are merged
 * by it: a later layer rewriting the war replaces all it held); one found in a nested archive
 * has a second path, `<file>/<entry>[/<entry>…]`, Trivy's file path for it. Gaps name the file
 * in the image too, with the nested entry in the reason. Every limit is a gap with its reason:
 * what was found before it stays reported.
 */
import type { FoundPackage } from '../../model/stages.js';
import { maven } from '../../versioning/maven.js';
import { manifestCoordinates, manifestVersion, parseManifestMainSection, symbolicNameTail } from './manifest.js';
import type { ManifestAttributes } from './manifest.js';
import { parsePomProperties } from './pom-properties.js';
import type { PomProperties } from './pom-properties.js';
import { readZipDirectory, readZipEntry, ZipFormatError } from './zip.js';
import type { InflateBudget, ZipEntry } from './zip.js';

export interface JavaArchiveLimits {
  /** Archive levels read inside the file itself (nested.jar's jar-in-jar-in-jar needs 2). */
  maxDepth: number;
  /** Entries in one archive's central directory. */
  maxEntriesPerArchive: number;
  /** Entries over the file and every archive nested in it. */
  maxEntriesTotal: number;
  /** Nested archives opened for one file. */
  maxNestedArchives: number;
  /** Largest nested archive read (inflated). */
  maxNestedArchiveBytes: number;
  /**
   * Bytes read out of entries (inflated, or stored and checked) for one file, nested archives and
   * metadata together: zip bombs, and directory entries that all point at the same data.
   */
  maxInflatedBytes: number;
  maxManifestBytes: number;
  maxPomPropertiesBytes: number;
  /** pom.properties files read for one file. */
  maxPomProperties: number;
  /** Gaps listed for one file; the rest are counted in a last one. */
  maxGaps: number;
}

const MiB = 1024 * 1024;

/**
 * Sized for real images: the largest common jar (aws-java-sdk-bundle, in Spark and Hadoop
 * images) is about 300 MiB with tens of thousands of entries; a Jenkins war holds a few hundred
 * jars. Memory stays at the file plus one inflated archive per nesting level.
 */
export const JAVA_ARCHIVE_LIMITS: JavaArchiveLimits = {
  maxDepth: 4,
  maxEntriesPerArchive: 500_000,
  maxEntriesTotal: 2_000_000,
  maxNestedArchives: 10_000,
  maxNestedArchiveBytes: 128 * MiB,
  maxInflatedBytes: 512 * MiB,
  maxManifestBytes: 1 * MiB,
  maxPomPropertiesBytes: 64 * 1024,
  maxPomProperties: 10_000,
  maxGaps: 50,
};

/** File extensions of Java archives (Trivy's jar/war/ear/par, plus Syft's and Jenkins' zips). */
export const JAVA_ARCHIVE_EXTENSIONS = ['jar', 'war', 'ear', 'par', 'sar', 'nar', 'jpi', 'hpi', 'kar', 'lpkg'];
const ARCHIVE_NAME = new RegExp(`\\.(?:${JAVA_ARCHIVE_EXTENSIONS.join('|')})$`, 'i');

export function isJavaArchiveName(path: string): boolean {
  return ARCHIVE_NAME.test(path);
}

/**
 * Artifact and version from a file name: the version starts at the last `-<digit>`
 * (`log4j-1.2-api-2.17.1.jar` is log4j-1.2-api 2.17.1), as Trivy's greedy pattern does.
 */
const FILE_NAME = new RegExp(`^([A-Za-z0-9._+-]*[A-Za-z0-9._+])-(\\d[^\\s/]*)\\.(?:${JAVA_ARCHIVE_EXTENSIONS.join('|')})$`, 'i');

export function coordinatesFromFileName(path: string): { artifactId: string; version: string } | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  // A file name has at most 255 bytes; entry names in a zip can be 64 KiB, and the pattern backtracks.
  if (name.length > 255) return null;
  const m = FILE_NAME.exec(name);
  return m ? { artifactId: m[1]!, version: m[2]! } : null;
}

/** purl-spec percent-encoding of one component (`:` may stay as it is). */
function encodeComponent(s: string): string {
  return encodeURIComponent(s).replace(/%3A/gi, ':');
}

/** `pkg:maven/<group>/<artifact>@<version>`, each part encoded (a dotted group stays one segment). */
export function mavenPurl(groupId: string, artifactId: string, version: string): string {
  return `pkg:maven/${encodeComponent(groupId)}/${encodeComponent(artifactId)}@${encodeComponent(version)}`;
}

export interface JavaArchiveResult {
  packages: FoundPackage[];
  gaps: { path: string; reason: string }[];
  /** Bytes read out of its entries (the caller may bound several files together). */
  inflatedBytes: number;
  /** The walk stopped at the limit on bytes read from entries. */
  budgetExhausted: boolean;
}

/** Thrown inside the walk when a limit for the whole file is reached: nothing more is read. */
class FileLimitReached extends Error {}

interface WalkState {
  /** The file in the image. */
  root: string;
  limits: JavaArchiveLimits;
  budget: InflateBudget;
  entriesLeft: number;
  nestedLeft: number;
  pomLeft: number;
  /** Set when a limit for the whole file stopped the walk. */
  stopped: boolean;
  budgetExhausted: boolean;
  gaps: { path: string; reason: string }[];
  gapsDropped: number;
}

/** Appends without spreading (a shaded jar can list thousands of packages). */
function append(to: FoundPackage[], from: readonly FoundPackage[]): void {
  for (const p of from) to.push(p);
}

/** A gap of the archive at `path` (the file or one nested in it), filed under the file. */
function addGap(st: WalkState, path: string, reason: string): void {
  const where = path === st.root ? '' : `${path.slice(st.root.length + 1)}: `;
  if (st.gaps.length < st.limits.maxGaps) st.gaps.push({ path: st.root, reason: where + reason });
  else st.gapsDropped++;
}

function basename(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** An entry name that stays inside the archive when joined to its path (no `..`, not absolute). */
function isContainedName(name: string): boolean {
  return !name.includes('\0') && !name.startsWith('/') && !name.startsWith('\\') && !name.split(/[\\/]/).includes('..');
}

/** The entries the walk reads; everything else (classes, resources) is never even listed. */
function isWanted(name: string): boolean {
  return name.endsWith('pom.properties') || isJavaArchiveName(name) || (name.length === 20 && name.toUpperCase() === 'META-INF/MANIFEST.MF');
}

function pathsOf(st: WalkState, path: string): string[] {
  return path === st.root ? [path] : [st.root, path];
}

function mavenPackage(st: WalkState, groupId: string, artifactId: string, version: string, path: string, confidence: FoundPackage['confidence']): FoundPackage {
  return { type: 'maven', ecosystem: 'Maven', name: `${groupId}:${artifactId}`, version, purl: mavenPurl(groupId, artifactId, version), paths: pathsOf(st, path), confidence };
}

/**
 * Whether a pom.properties names the archive itself, so that the manifest and the file name are
 * not needed. Trivy asks only that artifact and version equal the file name's; the file name
 * `<group>.<artifact>-<version>.jar` (Quarkus' lib/main) and a manifest stating the same
 * artifact and version (a renamed `app.jar`) count too, else the manifest would add the same
 * artifact again under a made-up group (`JBoss by Red Hat:Gizmo`).
 */
function namesArchive(p: PomProperties, fromName: { artifactId: string; version: string } | null, attrs: ManifestAttributes): boolean {
  const dotted = `${p.groupId}.${p.artifactId}`;
  if (fromName && fromName.version === p.version && (fromName.artifactId === p.artifactId || fromName.artifactId === dotted)) return true;
  const version = manifestVersion(attrs);
  if (!version || version !== p.version) return false;
  const names = [attrs.get('implementation-title'), attrs.get('specification-title'), attrs.get('bundle-name'), symbolicNameTail(attrs), attrs.get('bundle-symbolicname')?.split(';')[0]?.trim()];
  return names.some((t) => !!t && (t.toLowerCase() === p.artifactId.toLowerCase() || t.toLowerCase() === dotted.toLowerCase()));
}

function readEntry(st: WalkState, buf: Buffer, e: ZipEntry, maxBytes: number): Buffer {
  if (e.size <= maxBytes && e.size > st.budget.remaining) {
    st.budgetExhausted = true;
    throw new FileLimitReached(`reading ${e.name} (${e.size} bytes) would pass the limit on bytes read from entries (${st.budget.remaining} of ${st.limits.maxInflatedBytes} left; zip bomb?); the rest of the file was not read`);
  }
  return readZipEntry(buf, e, maxBytes, st.budget);
}

/** Reads one nested archive entry and walks it; its problems are gaps under its own path. */
function walkNested(st: WalkState, path: string, buf: Buffer, e: ZipEntry, depth: number): FoundPackage[] {
  const { limits } = st;
  // `./lib/a.jar` and `lib//a.jar` name the same entry as `lib/a.jar` (Trivy joins with path.Join).
  const inner = `${path}/${e.name.split('/').filter((s) => s !== '' && s !== '.').join('/')}`;
  if (!isContainedName(e.name)) {
    addGap(st, path, `${JSON.stringify(e.name)}: nested archive name leaves the archive; not read`);
    return [];
  }
  if (depth >= limits.maxDepth) {
    addGap(st, inner, `nested more than ${limits.maxDepth} archives deep; not read`);
    return [];
  }
  if (st.nestedLeft <= 0) throw new FileLimitReached(`more than ${limits.maxNestedArchives} nested archives; the rest of the file was not read`);
  st.nestedLeft--;
  let data: Buffer;
  try {
    data = readEntry(st, buf, e, limits.maxNestedArchiveBytes);
  } catch (err) {
    if (!(err instanceof ZipFormatError)) throw err;
    addGap(st, inner, err.message);
    return [];
  }
  return walk(st, inner, data, depth + 1);
}

/** The packages of the archive at `path` (its own first, then those of the archives in it). */
function walk(st: WalkState, path: string, buf: Buffer, depth: number): FoundPackage[] {
  const { limits } = st;
  let entries: ZipEntry[];
  try {
    const dir = readZipDirectory(buf, limits.maxEntriesPerArchive, isWanted);
    if (dir.count > st.entriesLeft) throw new FileLimitReached(`more than ${limits.maxEntriesTotal} zip entries in this file and the archives nested in it; the rest was not read`);
    st.entriesLeft -= dir.count;
    entries = dir.entries;
  } catch (err) {
    if (err instanceof FileLimitReached) stop(st, path, err);
    else if (err instanceof ZipFormatError) addGap(st, path, err.message);
    else throw err;
    return [];
  }

  const nested: FoundPackage[] = [];
  const poms: PomProperties[] = [];
  let attrs: ManifestAttributes = new Map();
  let pomLimitNoted = false;
  for (const e of entries) {
    if (st.stopped) break;
    if (e.name.endsWith('/')) continue;
    try {
      if (basename(e.name) === 'pom.properties') {
        if (st.pomLeft <= 0) {
          if (!pomLimitNoted) addGap(st, path, `more than ${limits.maxPomProperties} pom.properties files; the others were not read`);
          pomLimitNoted = true;
          continue;
        }
        st.pomLeft--;
        const props = parsePomProperties(readEntry(st, buf, e, limits.maxPomPropertiesBytes).toString('utf8'));
        if (props) poms.push(props);
      } else if (e.name.toUpperCase() === 'META-INF/MANIFEST.MF') {
        attrs = parseManifestMainSection(readEntry(st, buf, e, limits.maxManifestBytes).toString('utf8'));
      } else if (isJavaArchiveName(e.name)) {
        append(nested, walkNested(st, path, buf, e, depth));
      }
    } catch (err) {
      if (err instanceof FileLimitReached) stop(st, path, err);
      else if (err instanceof ZipFormatError) addGap(st, path, `${e.name}: ${err.message}`);
      else throw err;
    }
  }

  const found = poms.map((p) => mavenPackage(st, p.groupId, p.artifactId, p.version, path, 'exact'));
  append(found, guessOwnPackage(st, path, poms, attrs));
  append(found, nested);
  return found;
}

/** The archive itself from its manifest or file name, when no pom.properties names it. */
function guessOwnPackage(st: WalkState, path: string, poms: PomProperties[], attrs: ManifestAttributes): FoundPackage[] {
  // Cut short, the archive's own pom.properties may be among the entries not read: no guessing.
  if (st.stopped) return [];
  const fromName = coordinatesFromFileName(path);
  if (poms.some((p) => namesArchive(p, fromName, attrs))) return [];
  const fromManifest = manifestCoordinates(attrs);
  if (fromManifest) return [mavenPackage(st, fromManifest.groupId, fromManifest.artifactId, fromManifest.version, path, 'guessed')];
  // No group: listed so the image's contents are complete, never matched (Maven names are group:artifact).
  if (fromName) return [{ type: 'maven', ecosystem: 'Maven', name: fromName.artifactId, version: fromName.version, paths: pathsOf(st, path), confidence: 'guessed' }];
  return [];
}

function stop(st: WalkState, path: string, err: FileLimitReached): void {
  if (!st.stopped) addGap(st, path, err.message);
  st.stopped = true;
}

function sameVersion(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    // Maven compares 2.17 and 2.17.0 as equal; so does Trivy's de-duplication.
    return maven.compare(a, b) === 0;
  } catch {
    return false;
  }
}

/** One package per name, archive path and version (shaded jars often carry a pom.properties twice). */
function dedupe(pkgs: FoundPackage[]): FoundPackage[] {
  const seen = new Map<string, FoundPackage[]>();
  const out: FoundPackage[] = [];
  for (const p of pkgs) {
    const key = `${p.name}\0${p.paths[p.paths.length - 1]}`;
    const list = seen.get(key) ?? [];
    if (list.some((q) => sameVersion(q.version, p.version))) continue;
    list.push(p);
    seen.set(key, list);
    out.push(p);
  }
  return out;
}

/** The packages in the Java archive `bytes`, found at image path `path`. Never throws on bad bytes. */
export function readJavaArchive(path: string, bytes: Buffer, limits: JavaArchiveLimits = JAVA_ARCHIVE_LIMITS): JavaArchiveResult {
  const st: WalkState = {
    root: path,
    limits,
    budget: { remaining: limits.maxInflatedBytes },
    entriesLeft: limits.maxEntriesTotal,
    nestedLeft: limits.maxNestedArchives,
    pomLeft: limits.maxPomProperties,
    stopped: false,
    budgetExhausted: false,
    gaps: [],
    gapsDropped: 0,
  };
  let packages: FoundPackage[] = [];
  try {
    packages = walk(st, path, bytes, 0);
  } catch (err) {
    // Only a bug gets here (every format problem is a ZipFormatError); still a gap, never a throw.
    addGap(st, path, `unreadable Java archive: ${(err as Error).message}`);
  }
  if (st.gapsDropped > 0) st.gaps.push({ path, reason: `${st.gapsDropped} more problems in this file not listed` });
  return { packages: dedupe(packages), gaps: st.gaps, inflatedBytes: limits.maxInflatedBytes - st.budget.remaining, budgetExhausted: st.budgetExhausted };
}
