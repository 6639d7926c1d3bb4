/**
 * The posture stage of `scan`: the rendered manifests judged against the Pod Security Standards
 * and the best-practice checks (src/posture/), each finding then open or mitigated like a
 * vulnerability (its check id is the id statements name: an ignore-file entry with an optional
 * `resource: Kind/name`, or a note in the chart's signed security-mitigation.yaml).
 * Values keys cost re-renders (about five a chart), so scan attributes them only when asked.
 */
import type { Finding } from '../../model/advisory.js';
import type { Gap, ReportPostureFinding, ScanPosture } from '../../model/report.js';
import type { RenderResult } from '../../render/index.js';
import type { LoadedChart, RenderFlags } from '../chart-input.js';
import { postureStage } from '../posture-stage.js';

export interface PostureScanOptions {
  /** `--skip-posture`. */
  skipPosture?: boolean;
  /** `--pss-level` (default restricted, which includes every baseline check). */
  pssLevel?: 'baseline' | 'restricted';
  /** `--pss-version` (default latest). */
  pssVersion?: string;
  /** `--values-keys`: name the values key behind each finding (re-renders the chart). */
  valuesKeys?: boolean;
}

export function postureScan(loaded: LoadedChart, rendered: RenderResult | null, flags: RenderFlags, opts: PostureScanOptions): { posture: ScanPosture | null; gaps: Gap[] } {
  if (opts.skipPosture || rendered === null) return { posture: null, gaps: [] };
  const level = opts.pssLevel ?? 'restricted';
  const version = opts.pssVersion ?? 'latest';
  const r = postureStage(loaded, rendered, { level, pssVersion: version, flags, valuesKeys: opts.valuesKeys === true });
  return { posture: { podSecurity: { level, version }, findings: r.findings.map((f) => ({ ...f, state: 'open', mitigation: null })) }, gaps: r.gaps };
}

/**
 * Posture findings as the mitigation matcher reads findings: the check id as the finding's id,
 * a name standing for the resource (so chart scopes match through the chart that rendered it),
 * and the resource for ignore entries that name one.
 */
export function postureAsFindings(findings: readonly ReportPostureFinding[]): { findings: Finding[]; resourceOf: Map<Finding, string>; sources: { ref: string; sources: { chart: string }[] }[] } {
  const resourceOf = new Map<Finding, string>();
  const sources: { ref: string; sources: { chart: string }[] }[] = [];
  const out = findings.map((p) => {
    const ref = `posture:${p.chart}:${p.resource.kind}/${p.resource.name}`;
    const f: Finding = {
      id: p.check, aliases: [], summary: p.title, severity: p.severity, cvss: null, image: ref,
      package: { ecosystem: 'posture', name: p.check, version: '' }, fixed: [], status: 'affected', reason: null,
      state: p.state ?? 'open', mitigation: p.mitigation ?? null,
    };
    resourceOf.set(f, `${p.resource.kind}/${p.resource.name}`);
    sources.push({ ref, sources: [{ chart: p.chart }] });
    return f;
  });
  return { findings: out, resourceOf, sources };
}
