/**
 * `chartaudit posture <chart>`: renders the chart with the given values and judges what it
 * deploys against the Pod Security Standards, as the Kubernetes admission would at the chosen
 * level and policy version (restricted includes every baseline check).
 */
import type { PostureReport, ReportPostureFinding } from '../model/report.js';
import type { PostureCheck } from '../model/stages.js';
import { pssPostureChecks } from '../posture/pss/index.js';
import { renderedResources } from '../render/resources.js';
import { loadWithValues, readChartBytes, render, reportChart, type RenderFlags } from './chart-input.js';

export interface PostureOptions extends RenderFlags {
  chart: string;
  level: 'baseline' | 'restricted';
  /** `latest` or `v1.NN`. */
  pssVersion: string;
}

const SEVERITY_ORDER = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 } as const;

export async function posture(opts: PostureOptions): Promise<PostureReport> {
  const checks = pssPostureChecks({ level: opts.level, version: opts.pssVersion });
  const loaded = await loadWithValues(opts.chart, readChartBytes(opts.chart), opts);
  const rendered = render(loaded, opts, { output: 'hidden' });
  const { resources, gaps } = renderedResources(rendered.manifests);
  const findings: ReportPostureFinding[] = [];
  for (const r of resources) for (const c of checks) findings.push(...judge(c, r, resources));
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.chart.localeCompare(b.chart)
    || `${a.resource.kind}/${a.resource.name}`.localeCompare(`${b.resource.kind}/${b.resource.name}`) || a.check.localeCompare(b.check));
  return { chart: reportChart(loaded), podSecurity: { level: opts.level, version: opts.pssVersion }, findings, gaps };
}

function judge(c: PostureCheck, r: Parameters<PostureCheck['check']>[0], all: Parameters<PostureCheck['check']>[1]): ReportPostureFinding[] {
  return c.check(r, all).map((f) => ({
    check: f.check, title: c.title, severity: c.severity, resource: f.resource, container: f.container,
    chart: r.chart, template: r.template, message: f.message, fields: f.fields ?? [], fix: c.fix, customResource: f.customResource === true,
  }));
}
