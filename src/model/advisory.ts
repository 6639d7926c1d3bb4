/**
 * Advisories and findings. OSV (schema 1.7) is the native record format; NVD records are
 * converted into it on import. Fields we do not use are kept in the stored JSON untouched.
 */

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: 'SEMVER' | 'ECOSYSTEM' | 'GIT' | string;
  repo?: string;
  events: OsvEvent[];
  database_specific?: Record<string, unknown>;
}

export interface OsvSeverity {
  type: 'CVSS_V2' | 'CVSS_V3' | 'CVSS_V4' | 'Ubuntu' | string;
  score: string;
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  severity?: OsvSeverity[];
  ranges?: OsvRange[];
  versions?: string[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

export interface OsvRecord {
  schema_version?: string;
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  upstream?: string[];
  related?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  references?: { type: string; url: string }[];
  database_specific?: Record<string, unknown>;
}

/** A package as matched against advisories: read from the image (its inventory), or from a Bitnami image's tag when the image was not read. */
export interface ImagePackage {
  ecosystem: string;
  /** As the ecosystem's advisories key it: the source package for Debian, Ubuntu and Alpine. */
  name: string;
  version: string;
  /** The normalised image reference it was found in. */
  image: string;
  /** Read from the image: its purl, where it is, and the binary packages of a source package. */
  purl?: string;
  location?: { layer: string; path: string };
  binaries?: string[];
}

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'NONE' | 'UNKNOWN';

export interface Cvss {
  version: '2.0' | '3.0' | '3.1' | '4.0';
  score: number;
  vector: string;
}

/** DESIGN.md's finding: one per image, package and alias group. */
export interface Finding {
  /** Preferred id: the CVE when there is one. */
  id: string;
  /** The other ids of the alias group (BIT-…, GHSA-…), sorted. */
  aliases: string[];
  summary: string | null;
  severity: Severity;
  cvss: Cvss | null;
  image: string;
  /**
   * The package as matched; `purl` and `binaries` (the binary packages built from a Debian,
   * Ubuntu or Alpine source package) when it was read from the image.
   */
  package: { ecosystem: string; name: string; version: string; purl?: string; binaries?: string[] };
  /** Where the package is, when it was read from the image. */
  location?: { image: string; layer: string; path: string };
  /** chart → subchart → workload → image → package, as the report's impact path. */
  path?: string[];
  /** Versions that fix it, from the matching ranges. */
  fixed: string[];
  /** `affected`, or `indeterminate` when a version could not be compared (reason says why). */
  status: 'affected' | 'indeterminate';
  reason: string | null;
  state: 'open' | 'mitigated';
  mitigation: null | { source: string; trusted: boolean; status: string | null; justification: string | null; note: string | null };
}
