/**
 * Whether the scan fails (exit 1), and why: failed provenance always; the rest only when the
 * user asked (--fail-on, and the strict modes for CI: --fail-on-gaps, --require-signature,
 * --max-db-age). Only open findings count: mitigated ones were answered by a trusted statement.
 */
import type { Severity } from '../../model/advisory.js';
import type { ScanReport, Verdict } from '../../model/report.js';
import { severityRank } from '../../vuln/findings.js';

export interface Policy {
  failOn?: Severity;
  failOnGaps: boolean;
  requireSignature: boolean;
  /** Days. */
  maxDbAge?: number;
}

export function verdictOf(report: Omit<ScanReport, 'verdict'>, policy: Policy): Verdict {
  const reasons: string[] = [];
  const p = report.provenance;
  if (p.status === 'failed') reasons.push(`provenance failed: ${p.reason}`);
  else if (policy.requireSignature && p.status !== 'verified') reasons.push(`--require-signature: provenance is ${p.status}${p.reason ? ` (${p.reason})` : ''}`);
  if (policy.failOn) {
    const threshold = severityRank(policy.failOn);
    const vulns = report.findings.filter((f) => f.state === 'open' && severityRank(f.severity) >= threshold).length;
    // Configuration findings count too, open ones only, by the same severities.
    const config = (report.posture?.findings ?? []).filter((f) => f.state !== 'mitigated' && severityRank(f.severity) >= threshold).length;
    const n = vulns + config;
    const split = config ? ` (${vulns} vulnerabilit${vulns === 1 ? 'y' : 'ies'}, ${config} configuration)` : '';
    if (n) reasons.push(`--fail-on ${policy.failOn.toLowerCase()}: ${n} open finding${n === 1 ? '' : 's'} at ${policy.failOn} or above${split}`);
  }
  if (policy.failOnGaps && report.gaps.length) {
    const n = report.gaps.length;
    reasons.push(`--fail-on-gaps: ${n} gap${n === 1 ? '' : 's'} (${report.gaps[0]!.scope}: ${report.gaps[0]!.reason}${n > 1 ? '; …' : ''})`);
  }
  if (policy.maxDbAge !== undefined) {
    const src = report.vulnerabilitySource;
    if (src === null && report.gaps.some((g) => g.scope === 'vulnerabilities')) {
      reasons.push(`--max-db-age ${policy.maxDbAge}: no vulnerability database was used`);
    } else if (src?.kind === 'database') {
      if (src.ageDays === null) reasons.push(`--max-db-age ${policy.maxDbAge}: the vulnerability database holds no records`);
      else if (src.ageDays > policy.maxDbAge) reasons.push(`--max-db-age ${policy.maxDbAge}: the vulnerability data is ${src.ageDays} days old`);
    }
  }
  return { failed: reasons.length > 0, reasons };
}
