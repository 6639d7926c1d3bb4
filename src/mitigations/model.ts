/**
 * The one statement model every mitigation source is normalised into (DESIGN.md "Mitigations"):
 * ChartCenter `security-mitigation.yaml` notes, OpenVEX 0.2.0, CycloneDX VEX and the consumer
 * ignore file `.chartaudit-ignore.yaml`.
 */

export type VexStatus = 'not_affected' | 'fixed' | 'affected' | 'under_investigation';

export const VEX_STATUSES: readonly VexStatus[] = ['not_affected', 'fixed', 'affected', 'under_investigation'];

/** What a statement is about. */
export type StatementScope =
  /** `helm://<ns>/<chart>`: every finding of that chart and its subcharts; the constraint applies to the chart version. */
  | { kind: 'helm'; chart: string; namespace?: string; versionConstraint?: string }
  /** `docker://<registry>/<repository>` (normalised like docker); the constraint applies to the leading version of the tag. */
  | { kind: 'docker'; registry: string; repository: string; versionConstraint?: string }
  /** A package URL: `pkg:bitnami/…` (package), `pkg:oci/…` (image), `pkg:helm/…` (chart), other types (package). */
  | { kind: 'purl'; purl: string }
  /** Every finding (ignore file entries, VEX statements without products). */
  | { kind: 'any' };

export interface Statement {
  /** The vulnerability id the statement is about (CVE-…, BIT-…, GHSA-…). */
  vulnerability: string;
  /** Other ids of the same vulnerability the source gave. */
  aliases: string[];
  scope: StatementScope;
  /**
   * Extra filters, all of which must match too. `image`: an image reference (ignore file);
   * `package`: a package name, `name@version` or purl (ignore file); `subcomponents`: package
   * purls of an OpenVEX product, one of which must match the finding's package.
   */
  image?: string;
  package?: string;
  /** `Kind/name` of a rendered resource (ignore file): the statement is about a posture finding on it. */
  resource?: string;
  subcomponents?: string[];
  /** null for ChartCenter notes and ignore-file entries (they carry no status). */
  status: VexStatus | null;
  justification: string | null;
  note: string | null;
  /** The file the statement comes from: a path inside the chart or the user's file name. */
  source: string;
  /** Decided by the caller: in-chart notes only when the provenance is verified; user files always. */
  trusted: boolean;
  expires: Date | null;
  /** Which reader produced it. */
  format: 'chartcenter' | 'openvex' | 'cyclonedx' | 'ignore';
  /** The statement's (or its document's) timestamp, when the source has one: later statements supersede earlier ones. */
  timestamp?: Date | null;
  /** Position in its source (statements of one source are superseded in this order on equal timestamps). */
  index?: number;
}

export interface ReadResult {
  statements: Statement[];
  warnings: string[];
}

/** The finding's `mitigation` field. */
export interface FindingMitigation {
  source: string;
  trusted: boolean;
  status: string | null;
  justification: string | null;
  note: string | null;
}

/** A statement as listed in the report's `mitigations.unused` / `mitigations.expired`. */
export interface StatementSummary {
  vulnerability: string;
  aliases: string[];
  scope: string;
  status: VexStatus | null;
  source: string;
  trusted: boolean;
  expires: string | null;
  note: string | null;
}

/** `helm://ns/chart (<= 0.1.5)`, `docker://docker.io/bitnami/redis (> 7)`, the purl, or `*`. */
export function scopeToString(s: StatementScope): string {
  switch (s.kind) {
    case 'helm':
      return `helm://${s.namespace ? `${s.namespace}/` : ''}${s.chart}${s.versionConstraint ? ` (${s.versionConstraint})` : ''}`;
    case 'docker':
      return `docker://${s.registry}/${s.repository}${s.versionConstraint ? ` (${s.versionConstraint})` : ''}`;
    case 'purl':
      return s.purl;
    case 'any':
      return '*';
  }
}

export function summarizeStatement(s: Statement): StatementSummary {
  let scope = scopeToString(s.scope);
  const filters = [s.image && `image ${s.image}`, s.package && `package ${s.package}`, s.subcomponents?.length && `subcomponents ${s.subcomponents.join(', ')}`].filter(Boolean);
  if (filters.length) scope = `${scope} [${filters.join('; ')}]`;
  return {
    vulnerability: s.vulnerability,
    aliases: [...s.aliases],
    scope,
    status: s.status,
    source: s.source,
    trusted: s.trusted,
    expires: s.expires ? s.expires.toISOString() : null,
    note: s.note,
  };
}
