/** The loaded chart tree, as the loader produces it and later stages read it. */

/** One file of a chart, path relative to the chart root with `/` separators. */
export interface ChartFile {
  name: string;
  data: Buffer;
}

/** A dependency as declared in Chart.yaml (v2) or requirements.yaml (v1). */
export interface ChartDependency {
  name: string;
  version?: string;
  repository?: string;
  /** Comma-separated value paths; the first that resolves to a boolean decides. */
  condition?: string;
  tags?: string[];
  alias?: string;
  /** Strings (`exports.X`) or `{ child, parent }` maps, as written. */
  'import-values'?: unknown[];
}

/** Chart.yaml after helm's validation and string sanitising. Unknown keys are kept in `raw`. */
export interface ChartMetadata {
  apiVersion: string;
  name: string;
  version: string;
  appVersion?: string;
  description?: string;
  type?: string;
  kubeVersion?: string;
  home?: string;
  icon?: string;
  condition?: string;
  tags?: string;
  deprecated?: boolean;
  keywords?: string[];
  sources?: string[];
  maintainers?: { name?: string; email?: string; url?: string }[];
  annotations?: Record<string, string>;
  dependencies?: ChartDependency[];
}

export interface ChartLock {
  generated?: string;
  digest?: string;
  dependencies?: { name: string; version: string; repository?: string }[];
}

export interface Chart {
  metadata: ChartMetadata;
  /** The Chart.yaml bytes as found (BOM stripped). */
  rawMetadata: Buffer;
  lock?: ChartLock;
  /** Merged documents of values.yaml; `{}` when absent. */
  values: Record<string, unknown>;
  /** values.schema.json bytes, when present. */
  schema?: Buffer;
  templates: ChartFile[];
  /** Every other file (README, security-mitigation.yaml, files/…, charts/*.prov …). */
  files: ChartFile[];
  /** Subcharts found under charts/, in load order. */
  dependencies: Chart[];
  /**
   * Where this chart sits: `[]` for the top chart, else the `charts/` entry names that lead
   * to it, e.g. `['redis-20.1.3.tgz']` or `['common']` for a directory subchart.
   */
  origin: string[];
  /** Things helm accepts but an auditor should know (links turned into empty files, requirements.yaml in a v2 chart …). */
  warnings: string[];
}

/**
 * One chart instance in the deployed tree after dependency resolution: aliases become
 * separate instances, disabled ones are kept with `enabled: false`.
 */
export interface ChartNode {
  /** `parent/charts/<name or alias>/…`, rooted at the top chart's name. */
  path: string;
  name: string;
  alias: string | null;
  version: string;
  appVersion: string | null;
  enabled: boolean;
  /** Why it is disabled (`condition redis.enabled is false`, `tags …`, `parent disabled`), or null. */
  reason: string | null;
  /** The parent's Chart.yaml / requirements.yaml declares a dependency of this name (false: found in charts/ only). */
  declared: boolean;
  /** The version range the parent declares for it; null when undeclared (and for the top chart). */
  constraint: string | null;
  /**
   * Whether the bundled version is inside that range; null without one. helm deploys a subchart
   * outside its range anyway (as an undeclared one), and `helm dependency list` says "wrong version".
   */
  constraintSatisfied: boolean | null;
  chart: Chart;
  children: ChartNode[];
}
