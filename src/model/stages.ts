/**
 * The extension points of the pipeline (DESIGN.md "Pipeline"): each is a registry of small
 * modules behind one of these interfaces, so adding a format, an analyser or a check is one
 * new file and one registry line. Version schemes are the fourth (src/versioning/types.ts).
 */
import type { ScanReport } from './report.js';

// ---------------------------------------------------------------------------------------
// Report writers (src/report/index.ts)

export interface ReportRenderOptions {
  color: boolean;
  /** Terminal width; writers wrap or truncate to it. */
  width: number;
  /** List mitigated findings in full (they are always in the JSON). */
  showMitigated?: boolean;
}

/** One report format, selected with --format by its id. */
export interface ReportWriter {
  id: string;
  description: string;
  render(report: ScanReport, opts: ReportRenderOptions): string;
}

// ---------------------------------------------------------------------------------------
// Image sources: a registry, an OCI layout directory, a `docker save` archive

/** A file in an image's merged view, as an analyser receives it. */
export interface ImageFile {
  /**
   * Absolute path inside the image, `/`-separated, as the analyser asked for it: a symlink (or a
   * path through a symlinked directory) is delivered under its own path with its target's content.
   */
  path: string;
  /** The real path after resolving symlinks inside the image root, when it differs from `path`. */
  target?: string;
  /** Digest of the layer that last wrote the file. */
  layer: string;
  size: number;
  /** The content, read only for files an analyser asked for (bounded by its size limit). */
  content: Buffer;
}

/** One image, resolved to a single platform's manifest, every blob checked against its digest. */
export interface ResolvedImage {
  /** The reference as the user or the chart named it, normalised. */
  ref: string;
  /** `sha256:…` of the manifest. */
  digest: string;
  /** Where the bytes came from: the registry host that served them, `oci-layout:DIR`, `docker-archive:FILE`. */
  origin: string;
  platform: { os: string; architecture: string; variant?: string };
  config: { user: string | null; created: string | null; env: string[] };
  layers: { digest: string; size: number; mediaType: string }[];
  /**
   * Streams the layers in order and hands each analyser the files it wants from the merged
   * view (whiteouts applied), without unpacking anything to disk. `wants` returns false, true,
   * or the largest size it reads for that path (an analyser's maxFileBytes); wanted files that
   * cannot be delivered (too big, dangling or escaping symlink) go to `onSkip`. Files are
   * delivered after every layer was read and checked against its digests.
   */
  readFiles(
    wants: (path: string) => boolean | number,
    onFile: (file: ImageFile) => void,
    opts?: { onSkip?: (path: string, reason: string) => void },
  ): Promise<void>;
  /**
   * Streams layer `index` alone (checked against its digests as it passes) for the per-layer
   * inventory, so that layers whose results are cached are never read. Returns its entry count.
   */
  readLayer(index: number, visit: LayerVisitor): Promise<number>;
  /** Starts fetching these layers in parallel before they are read, where the source is remote. */
  prefetch?(indices: readonly number[]): void;
}

/** What reading one layer on its own reports (ResolvedImage.readLayer). */
export interface LayerVisitor {
  /**
   * A regular file (or a hard link to one read earlier in this layer), path absolute: the most
   * bytes to capture, or false to let it pass.
   */
  choose(path: string, entry: { mode: number; size: number }): number | false;
  /** A chosen file's content. */
  file(path: string, content: Buffer, entry: { mode: number; size: number }): void;
  /** A chosen file that was not captured: larger than its limit, or a link to one that was not read. */
  skip(path: string, reason: string): void;
  /** `.wh.<name>`: `path` is deleted from the layers below. */
  whiteout(path: string): void;
  /** `.wh..wh..opq`: every lower-layer child of `dir` is hidden. */
  opaque(dir: string): void;
}

/** An image source: where images come from (`registry`, `oci-layout`, `docker-archive`). */
export interface ImageProvider {
  scheme: string;
  /** Whether this source reads `ref` (e.g. `oci-layout:./dir:tag`). */
  accepts(ref: string): boolean;
  resolve(ref: string, opts: { platform: string; offline: boolean }): Promise<ResolvedImage>;
}

// ---------------------------------------------------------------------------------------
// Package analysers (after Trivy's analysers: the files each wants, what each returns)

/**
 * A package as an analyser reads it from one layer's files. OS package analysers (dpkg, apk,
 * rpm) leave `ecosystem` and `purl` out: both depend on the image's OS release (`Debian:12`,
 * `pkg:deb/debian/openssl@…?distro=debian-12`), which the inventory fills in from the OS
 * analyser's result. Application analysers set both (`Go`, `pkg:golang/…`).
 */
export interface FoundPackage {
  /** purl type: deb, apk, rpm, golang, cargo, maven, npm, pypi, gem, nuget, composer, bitnami. */
  type: string;
  /** OSV ecosystem name for application packages (`Go`, `PyPI`, `Maven`, `npm`, `crates.io`…). */
  ecosystem?: string;
  /** As the ecosystem's advisories name it: Maven `group:artifact`, Go module path, npm `@scope/name`. */
  name: string;
  /** The version as the ecosystem compares it (dpkg `epoch:upstream-revision`, rpm `version-release` without epoch). */
  version: string;
  /** rpm epoch when set. */
  epoch?: number;
  /** rpm release; with version it makes the EVR. */
  release?: string;
  arch?: string;
  /** The source package, where the ecosystem keys advisories by it (dpkg `Source:`, apk origin, rpm source rpm). */
  source?: { name: string; version?: string };
  purl?: string;
  /** The files it was read from, absolute image paths. */
  paths: string[];
  /** `guessed` when the coordinate was inferred (e.g. from a jar's file name). */
  confidence: 'exact' | 'guessed';
}

/** What the OS analyser found: the release that OS package advisories are keyed by. */
export interface FoundOs {
  /** debian, ubuntu, alpine, almalinux, rocky, rhel, centos, fedora, amazon, wolfi, … */
  family: string;
  /** As the distribution numbers it: `12`, `3.20.3`, `22.04`, `9.4`. */
  release: string;
  /** OSV ecosystem with the release where OSV keys by it: `Debian:12`, `Alpine:v3.20`, `Ubuntu:22.04:LTS`, `AlmaLinux:9`; null when OSV has none. */
  ecosystem: string | null;
  /** PRETTY_NAME or an equivalent line. */
  name: string;
  /** `distroless` (dpkg status.d without status), `busybox`, or absent for a regular distribution. */
  variant?: string;
  /** End-of-life date (YYYY-MM-DD) whenever the project's table has one (src/inventory/os/eol.ts); past or not is decided with the report's date. */
  endOfLife?: string;
}

export interface AnalyserResult {
  packages: FoundPackage[];
  /** What the analyser could not read (a truncated database, an unknown format version), per file. */
  gaps: { path: string; reason: string }[];
  /** OS facts, from the OS analyser only. */
  os?: FoundOs;
}

/** How a layer entry looks before its content is read, for analysers that choose by mode (Go binaries). */
export interface EntryInfo {
  /** Unix permission bits from the tar header (0o755…). */
  mode: number;
  size: number;
}

/**
 * One package analyser. It is handed the files it wants from ONE layer at a time (all with the
 * same `layer`), and its result is cached per layer digest and analyser version, so it must be a
 * pure function of those files: bytes in, result out, no I/O. Results of lower layers are
 * overridden by a later layer that has the same path or deletes it (whiteouts), as Trivy merges
 * layers. It must stay bounded on hostile bytes: a bad file is a gap, never a throw.
 */
export interface Analyser {
  id: string;
  /** Part of the per-layer cache key: bump it when the analyser's output changes. */
  version: number;
  /** Whether it reads this path (absolute, `/`-separated, no trailing slash). Called for every regular file of a layer: keep it cheap. */
  wants(path: string, entry: EntryInfo): boolean;
  /** Largest file it reads; bigger ones are a gap, never read whole. */
  maxFileBytes: number;
  /**
   * Its result for several files is the union of its results for each (Go binaries, jars): the
   * inventory then hands it each file as it arrives and keeps no bytes, so a layer full of big
   * executables costs one file's memory.
   */
  perFile?: boolean;
  analyse(files: ImageFile[]): AnalyserResult;
}

// ---------------------------------------------------------------------------------------
// Posture checks (one file per check, with its id, doc and table test)

/** A rendered Kubernetes resource, with where it came from. */
export interface RenderedResource {
  kind: string;
  name: string;
  namespace: string | null;
  /** The chart instance and template that rendered it. */
  chart: string;
  template: string;
  object: Record<string, unknown>;
}

export interface PostureFinding {
  check: string;
  resource: { kind: string; name: string };
  container: string | null;
  message: string;
  /**
   * Paths of the resource's fields that make the finding
   * (`spec.template.spec.containers[0].securityContext.privileged`; for a missing field, where
   * it belongs); absent when not known.
   */
  fields?: string[];
  /** The pod spec was found inside a custom resource, not in a kind Pod Security admission reads. */
  customResource?: boolean;
}

export interface PostureCheck {
  /** Stable id (`pss.baseline.privileged`, `resources.limits`, …). */
  id: string;
  title: string;
  severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
  /** One line: how to fix it. */
  fix: string;
  check(resource: RenderedResource, all: readonly RenderedResource[]): PostureFinding[];
}
