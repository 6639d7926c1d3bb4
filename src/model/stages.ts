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
