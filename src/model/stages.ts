/**
 * The extension points of the pipeline (DESIGN.md "Pipeline"): each is a registry of small
 * modules behind one of these interfaces, so adding a format, an analyser or a check is one
 * new file and one registry line. Version schemes are the fourth (src/versioning/types.ts).
 */
import type { ImagePackage } from './advisory.js';
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
  /** Absolute path inside the image, `/`-separated, symlinks resolved inside the image root. */
  path: string;
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
  platform: { os: string; architecture: string; variant?: string };
  config: { user: string | null; created: string | null; env: string[] };
  layers: { digest: string; size: number; mediaType: string }[];
  /**
   * Streams the layers in order and hands each analyser the files it wants from the merged
   * view (whiteouts applied), without unpacking anything to disk.
   */
  readFiles(wants: (path: string) => boolean, onFile: (file: ImageFile) => void): Promise<void>;
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

export interface AnalyserResult {
  packages: (ImagePackage & { purl: string; layer: string; paths: string[]; confidence: 'exact' | 'guessed' })[];
  /** What the analyser could not read (a truncated database, an unknown format version). */
  gaps: { path: string; reason: string }[];
  /** OS facts, from OS analysers only. */
  os?: { family: string; release: string; ecosystem: string };
}

export interface Analyser {
  id: string;
  /** Part of the per-layer cache key: bump it when the analyser's output changes. */
  version: number;
  /** The files this analyser reads (`/var/lib/dpkg/status`, `*.dist-info/METADATA`, …). */
  wants(path: string): boolean;
  /** Largest file it reads; bigger ones are a gap, never read whole. */
  maxFileBytes: number;
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
