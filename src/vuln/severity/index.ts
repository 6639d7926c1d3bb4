/**
 * A finding's severity. DESIGN.md: "Severity comes from the CVSS vector (v3.x base score, v4 where
 * given), else from the record's own severity label." Decided precisely here:
 *
 * 1. Vector sources, in order; the first that holds a valid vector decides:
 *    a. the matched affected entry's `severity` (the most specific; Bitnami puts its vectors only there);
 *    b. the record's top-level `severity`;
 *    c. when no affected entry is given: the `severity` of all the record's affected entries, pooled.
 * 2. Within a source, by version: v3.1, then v3.0, then v4.0, then v2.0. "v3.x base score, v4 where
 *    given" is read as: the v3.x base score whenever the source has a valid v3.x vector (v3 is what
 *    NVD, GHSA and Bitnami labels are based on and what users compare), the v4.0 score when the source
 *    gives v4.0 but no v3.x, v2 only when nothing newer is there. Several valid vectors of that version
 *    in one source (several scorers): the highest score wins, the first on ties.
 * 3. The score is the base score: v3.x base score; for v4.0 the CVSS-B score (threat and environmental
 *    metrics in the vector are validated but ignored, like v3's temporal/environmental ones); v2 base.
 * 4. The vector's own prefix decides its version, not the OSV `type` (a `CVSS_V3` entry holding a
 *    `CVSS:4.0/…` vector is scored as v4.0). Invalid vectors are skipped, never an error.
 * 5. Severity of a score: the standard bands (severityOfScore); v2 has its own three bands.
 * 6. Without a valid vector, the record's own label, first recognised of: the affected entry's
 *    `ecosystem_specific.severity`, its `database_specific.severity`, the record's
 *    `database_specific.severity` (Bitnami `High`, GHSA `MODERATE`), an OSV `Ubuntu` severity entry
 *    (affected entry's, then the record's). With no affected entry given, every affected entry's labels
 *    are considered after the record's and the most severe wins. Labels are matched case-insensitively
 *    (severityOfLabel); unrecognised ones (`Unknown`, `not yet assigned`) are skipped.
 * 7. Otherwise UNKNOWN, with cvss null.
 */
import type { Cvss, OsvAffected, OsvRecord, OsvSeverity, Severity } from '../../model/advisory.js';
import { scoreCvss2 } from './cvss2.js';
import { scoreCvss3 } from './cvss3.js';
import { scoreCvss4 } from './cvss4.js';

export { scoreCvss2 } from './cvss2.js';
export { scoreCvss3, roundUp30, roundUp31 } from './cvss3.js';
export { scoreCvss4 } from './cvss4.js';

/** Base score of a CVSS vector of any version (v2 bare, `CVSS:3.0/`, `CVSS:3.1/`, `CVSS:4.0/`); null if invalid. */
export function scoreVector(vector: string): Cvss | null {
  if (typeof vector !== 'string') return null;
  if (vector.startsWith('CVSS:3.')) {
    const s = scoreCvss3(vector);
    return s === null ? null : { version: s.version, score: s.score, vector };
  }
  if (vector.startsWith('CVSS:4.')) {
    const s = scoreCvss4(vector);
    return s === null ? null : { version: '4.0', score: s.score, vector };
  }
  if (vector.startsWith('CVSS:')) return null;
  const s = scoreCvss2(vector);
  return s === null ? null : { version: '2.0', score: s.score, vector };
}

/**
 * Qualitative severity of a score. v3.x and v4.0 (FIRST): 0 NONE, 0.1–3.9 LOW, 4.0–6.9 MEDIUM,
 * 7.0–8.9 HIGH, 9.0–10 CRITICAL. v2 (NVD): 0–3.9 LOW, 4.0–6.9 MEDIUM, 7.0–10 HIGH.
 * A score that is not a number in 0…10 gives UNKNOWN.
 */
export function severityOfScore(score: number, version: Cvss['version']): Severity {
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 10) return 'UNKNOWN';
  if (version === '2.0') return score >= 7 ? 'HIGH' : score >= 4 ? 'MEDIUM' : 'LOW';
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  if (score > 0) return 'LOW';
  return 'NONE';
}

const LABELS: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['CRITICAL', 'CRITICAL'],
  ['HIGH', 'HIGH'],
  ['IMPORTANT', 'HIGH'], // Red Hat
  ['MEDIUM', 'MEDIUM'],
  ['MODERATE', 'MEDIUM'], // GHSA, Red Hat
  ['LOW', 'LOW'],
  ['NEGLIGIBLE', 'LOW'], // Ubuntu
  ['UNIMPORTANT', 'LOW'], // Debian
  ['NONE', 'NONE'],
]);

/** A record's own severity label mapped to a Severity; null when it is not a recognised label. */
export function severityOfLabel(label: unknown): Severity | null {
  if (typeof label !== 'string') return null;
  return LABELS.get(label.trim().toUpperCase()) ?? null;
}

const VERSION_RANK: Readonly<Record<Cvss['version'], number>> = { '3.1': 0, '3.0': 1, '4.0': 2, '2.0': 3 };

/** The preferred valid vector among `entries` (rule 2), or null. */
function bestVector(entries: readonly unknown[]): Cvss | null {
  let best: Cvss | null = null;
  for (const entry of entries) {
    const vector = (entry as Partial<OsvSeverity> | null)?.score;
    if (typeof vector !== 'string') continue;
    const cvss = scoreVector(vector);
    if (cvss === null) continue;
    if (
      best === null ||
      VERSION_RANK[cvss.version] < VERSION_RANK[best.version] ||
      (cvss.version === best.version && cvss.score > best.score)
    )
      best = cvss;
  }
  return best;
}

function severityEntries(holder: { severity?: unknown } | null | undefined): unknown[] {
  const s = holder?.severity;
  return Array.isArray(s) ? s : [];
}

function labelAt(obj: unknown): Severity | null {
  if (obj === null || typeof obj !== 'object') return null;
  return severityOfLabel((obj as { severity?: unknown }).severity);
}

function ubuntuLabel(holder: { severity?: unknown } | null | undefined): Severity | null {
  for (const entry of severityEntries(holder)) {
    const e = entry as Partial<OsvSeverity> | null;
    if (e?.type === 'Ubuntu') {
      const s = severityOfLabel(e.score);
      if (s !== null) return s;
    }
  }
  return null;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  CRITICAL: 5, HIGH: 4, MEDIUM: 3, LOW: 2, NONE: 1, UNKNOWN: 0,
};

function affectedLabel(affected: OsvAffected): Severity | null {
  return labelAt(affected.ecosystem_specific) ?? labelAt(affected.database_specific) ?? ubuntuLabel(affected);
}

/**
 * Severity of a record, for one of its affected entries when given (see the rules at the top).
 * Tolerates malformed records (non-array `severity`, missing fields): never throws on a parsed JSON object.
 */
export function severityOf(record: OsvRecord, affected?: OsvAffected): { severity: Severity; cvss: Cvss | null } {
  const allAffected: OsvAffected[] = Array.isArray(record?.affected) ? record.affected : [];

  const sources: unknown[][] = [];
  if (affected) sources.push(severityEntries(affected));
  sources.push(severityEntries(record));
  if (!affected) sources.push(allAffected.flatMap((a) => severityEntries(a)));
  for (const entries of sources) {
    const cvss = bestVector(entries);
    if (cvss !== null) return { severity: severityOfScore(cvss.score, cvss.version), cvss };
  }

  let label: Severity | null = null;
  if (affected) label = affectedLabel(affected);
  label ??= labelAt(record?.database_specific) ?? ubuntuLabel(record);
  if (label === null && !affected) {
    for (const a of allAffected) {
      const l = a && typeof a === 'object' ? affectedLabel(a) : null;
      if (l !== null && (label === null || SEVERITY_RANK[l] > SEVERITY_RANK[label])) label = l;
    }
  }
  return { severity: label ?? 'UNKNOWN', cvss: null };
}
