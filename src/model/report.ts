/** The scan report (DESIGN.md "JSON report", schema version 1) as stages fill it. */
import type { Finding } from './advisory.js';
import type { ProvenanceStatus } from './provenance.js';

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
  declared: boolean;
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
}

export interface Gap {
  /** What could not be fully examined: a chart path, an image ref, a source name. */
  scope: string;
  reason: string;
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
  findings: Finding[];
  mitigations: { unused: unknown[]; expired: unknown[] };
  gaps: Gap[];
  /** Things the loader accepted but an auditor should know (links in the archive, …). */
  warnings: string[];
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
