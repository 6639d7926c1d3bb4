/** The scan report (DESIGN.md "JSON report", schema version 1) as stages fill it. */
import type { Finding } from './advisory.js';
import type { ProvenanceStatus } from './provenance.js';
import type { Statement } from '../mitigations/model.js';

export interface ReportChart {
  name: string;
  version: string;
  appVersion: string | null;
  /** `sha256:<hex>` of the archive; null for a chart directory. */
  digest: string | null;
}

export interface ReportProvenance {
  status: ProvenanceStatus;
  signer: string | null;
  fingerprint: string | null;
  signedAt: string | null;
  hash: string | null;
  reason: string | null;
}

export interface ReportChartNode {
  path: string;
  name: string;
  alias: string | null;
  version: string;
  enabled: boolean;
  /** Why a subchart is disabled; null when enabled. */
  reason: string | null;
  /** The parent's Chart.yaml declares a dependency of this name (true for the top chart). */
  declared: boolean;
  /** The version range the parent declares for it; null when undeclared and for the top chart. */
  constraint: string | null;
  /** Whether the bundled version is in that range (helm deploys it either way); null without a range. */
  constraintSatisfied: boolean | null;
}

export interface ImageSource {
  chart: string;
  template: string;
  kind: string;
  name: string;
  container: string;
}

export interface ReportImage {
  ref: string;
  registry: string;
  repository: string;
  tag: string | null;
  digest: string | null;
  sources: ImageSource[];
  /**
   * What the image is, once pulled and read (scan); null when it was not (--skip-image-contents,
   * or it could not be read: a gap names the image and why). Absent in `chartaudit images`.
   */
  contents?: (ImageContents & { from: string }) | null;
}

export interface Gap {
  /** What could not be fully examined: a chart path, an image ref, a source name. */
  scope: string;
  reason: string;
}

/** Where the advisories came from: the local database (with the age of its data), or the OSV API. */
export type VulnerabilitySource =
  | {
    kind: 'database';
    path: string;
    /** What was imported into it, and when. */
    sources: { name: string; location: string; importedAt: string }[];
    /** The newest record's `modified` time: how fresh the data is. */
    newestRecord: string | null;
    /** Whole days from newestRecord to the scan; null for an empty database. */
    ageDays: number | null;
  }
  | { kind: 'osv-api'; url: string };

/** The scan's outcome against what the user asked to fail on (exit code 1 when failed). */
export interface Verdict {
  failed: boolean;
  /** Each reason the scan fails, one line each: provenance, --fail-on, --fail-on-gaps, --require-signature, --max-db-age. */
  reasons: string[];
}

export interface ScanReport {
  schemaVersion: 1;
  tool: { name: 'chartaudit'; version: string };
  chart: ReportChart;
  provenance: ReportProvenance;
  charts: ReportChartNode[];
  /** Images of the workloads Kubernetes runs (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ReplicationController). */
  images: ReportImage[];
  /** Images in pod specs of other kinds: custom resources an operator turns into pods, pod templates. */
  customResourceImages: ReportImage[];
  /** The advisory source that was used; null when no package needed checking or none was available (then a gap says so). */
  vulnerabilitySource: VulnerabilitySource | null;
  findings: Finding[];
  /** Configuration findings on the rendered manifests (DESIGN.md "Posture"); null with --skip-posture or when the chart did not render (a gap says so). */
  posture: ScanPosture | null;
  mitigations: { unused: unknown[]; expired: unknown[] };
  gaps: Gap[];
  /** Things the loader accepted but an auditor should know (links in the archive, …). */
  warnings: string[];
  verdict: Verdict;
}

/** `chartaudit images --format json`: the same `chart`, `charts` and `images` keys as the scan report. */
export interface ImagesReport {
  chart: ReportChart;
  charts: ReportChartNode[];
  images: ReportImage[];
  customResourceImages: ReportImage[];
  /** Containers whose image could not be read. */
  gaps: Gap[];
}

/** `chartaudit mitigations`: a chart's notes as its repository serves them, and whether a scan would trust them. */
export interface MitigationsResult {
  chart: { name: string; version: string; digest: string; url: string };
  provenance: ReportProvenance;
  /** Notes inside the chart are trusted only when its provenance verifies (DESIGN.md "Mitigations"). */
  trust: { trusted: boolean; reason: string };
  documents: { chart: string; source: string; summary: string | null; securityAdvisoryUrl: string | null; external: { url: string; declared: boolean } | null }[];
  statements: Statement[];
  warnings: string[];
}

/** A package found inside an image (DESIGN.md "Image contents"). */
export interface ReportPackage {
  /** purl type: deb, apk, rpm, golang, cargo, maven, npm, pypi, gem, nuget, composer, bitnami. */
  type: string;
  /** OSV ecosystem (`Debian:12`, `Go`, …); null when OSV has none for it (a gap says so). */
  ecosystem: string | null;
  name: string;
  version: string;
  epoch?: number;
  release?: string;
  arch?: string;
  /** The source package, where the ecosystem keys advisories by it. */
  source?: { name: string; version?: string };
  purl: string | null;
  /** Digest of the layer that added it. */
  layer: string;
  /** The files it was read from. */
  paths: string[];
  confidence: 'exact' | 'guessed';
}

/** The image's operating system, as its release files name it. */
export interface ReportOs {
  family: string;
  release: string;
  ecosystem: string | null;
  name: string;
  variant?: string;
  /** End-of-life date when the release has one in the project's table (src/inventory/os/eol.ts). */
  endOfLife?: string;
  /** Whether that date had passed on the day of the report: no more security updates. */
  endOfLifePassed?: boolean;
  /** Digest of the layer its release files came from. */
  layer: string;
}

/** What an image is: the manifest it resolved to, its config, layers and contents. */
export interface ImageContents {
  /** `sha256:…` of the manifest (of the config, the image ID, for legacy `docker save` archives). */
  digest: string;
  /** `os/arch[/variant]`. */
  platform: string;
  config: { os: string; architecture: string; variant: string | null; user: string | null; created: string | null };
  /** In order, bottom first. */
  layers: { digest: string; size: number; mediaType: string }[];
  /** null for an image with no OS release files (scratch, or an unknown distribution: a gap says which). */
  os: ReportOs | null;
  packages: ReportPackage[];
}

/** `chartaudit image --format json`: one image as its source resolved it. */
export interface ImageReport extends ImageContents {
  /** The reference as resolved (normalised; `oci-layout:…`/`docker-archive:…` for archives). */
  ref: string;
  /** The advisory source used; null when none was (a gap says so). */
  vulnerabilitySource: VulnerabilitySource | null;
  /** Known vulnerabilities of the image's packages, as in the scan report. */
  findings: Finding[];
  gaps: Gap[];
}

/** A configuration finding on a rendered resource (DESIGN.md "Posture"). */
export interface ReportPostureFinding {
  /** `pss.<level>.<upstream check id>`, or a best-practice id. */
  check: string;
  title: string;
  severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
  resource: { kind: string; name: string };
  container: string | null;
  /** The chart instance and template that rendered the resource. */
  chart: string;
  template: string;
  message: string;
  /** The resource's fields that make the finding. */
  fields: string[];
  fix: string;
  /** The pod spec is inside a custom resource: it runs only if an operator turns it into pods. */
  customResource: boolean;
  /**
   * The values key that controls the field (`primary.containerSecurityContext.runAsNonRoot`),
   * verified by rendering again with it changed; null when not known.
   */
  valuesKey: string | null;
  /** In `scan`: `mitigated` when a trusted statement (ignore file, signed chart note) answers it. */
  state?: 'open' | 'mitigated';
  /** In `scan`: the deciding (or annotating) statement, as for a vulnerability finding. */
  mitigation?: Finding['mitigation'];
}

/** The posture part of a scan report (null with --skip-posture). */
export interface ScanPosture {
  podSecurity: { level: 'baseline' | 'restricted'; version: string };
  findings: ReportPostureFinding[];
}

/** `chartaudit posture --format json`. */
export interface PostureReport {
  chart: ReportChart;
  /** The Pod Security Standards level and policy version judged against. */
  podSecurity: { level: 'baseline' | 'restricted'; version: string };
  findings: ReportPostureFinding[];
  gaps: Gap[];
}
