/**
 * The posture stage, shared by `chartaudit posture` (src/commands/posture.ts) and `scan`
 * (src/commands/scan/posture.ts): the Pod Security Standards, as the Kubernetes admission would
 * at the chosen level and policy version (restricted includes every baseline check), and the
 * best-practice checks (src/posture/checks), on a render the caller already has. Each finding
 * gets, where it can be verified by rendering again, the values key that controls it
 * (src/posture/values-key.ts). A module of its own so that `scan` bundles it with the renderer
 * it already has rather than loading the posture command's bundle.
 */
import type { Chart, ChartNode } from '../model/chart.js';
import type { Gap, ReportPostureFinding } from '../model/report.js';
import type { PostureCheck, RenderedResource } from '../model/stages.js';
import { bestPracticeChecks } from '../posture/checks/index.js';
import { pssPostureChecks } from '../posture/pss/index.js';
import { goCompare } from '../posture/pss/util.js';
import { attributeValuesKeys, DEFAULT_MAX_RENDERS, type ChartValuesSource } from '../posture/values-key.js';
import type { RenderResult } from '../render/index.js';
import { renderedResources } from '../render/resources.js';
import { render, type LoadedChart, type RenderFlags } from './chart-input.js';

export interface PostureStageOptions {
  level: 'baseline' | 'restricted';
  pssVersion: string;
  /** The values and release flags the chart was rendered with (re-renders use them too). */
  flags: RenderFlags;
  /** Attribute values keys by re-rendering (default true); false: every valuesKey is null. */
  valuesKeys?: boolean;
  maxRenders?: number;
  /** Only the Pod Security Standards (no best-practice checks). */
  pssOnly?: boolean;
}

export interface PostureStageResult {
  findings: ReportPostureFinding[];
  gaps: Gap[];
  /** What the values-key attribution cost. */
  valuesKeys: { renders: number; failedRenders: number; candidates: number; unfinished: number; ms: number };
}

const SEVERITY_ORDER = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 } as const;

/**
 * Kinds no check reads and that never hold a pod template: not parsed (parsing is most of the
 * stage's cost, and ConfigMaps of dashboards and CRDs are the largest documents of a chart).
 */
const UNJUDGED_KINDS = new Set([
  'ConfigMap', 'Secret', 'CustomResourceDefinition', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass',
  'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'Ingress', 'IngressClass', 'Endpoints', 'EndpointSlice',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'APIService',
  'PriorityClass', 'ResourceQuota', 'LimitRange', 'Namespace', 'ServiceMonitor', 'PodMonitor', 'PrometheusRule',
]);

/** The resources the checks read, parsed from the rendered manifests. */
export function postureResources(manifests: RenderResult['manifests']): { resources: RenderedResource[]; gaps: Gap[] } {
  return renderedResources(manifests.filter((m) => m.kind === undefined || !UNJUDGED_KINDS.has(m.kind)));
}

/** The checks a posture run applies: PSS at the level and version, then the best practices. */
export function postureChecks(opts: { level: 'baseline' | 'restricted'; pssVersion: string; pssOnly?: boolean }): PostureCheck[] {
  const pss = pssPostureChecks({ level: opts.level, version: opts.pssVersion });
  return opts.pssOnly ? pss : [...pss, ...bestPracticeChecks()];
}

/** Every check over every resource: findings with where they are, valuesKey not yet known. */
export function judgeResources(checks: readonly PostureCheck[], resources: readonly RenderedResource[]): ReportPostureFinding[] {
  const findings: ReportPostureFinding[] = [];
  for (const r of resources) {
    for (const c of checks) {
      for (const f of c.check(r, resources)) {
        findings.push({
          check: f.check, title: c.title, severity: c.severity, resource: f.resource, container: f.container,
          chart: r.chart, template: r.template, message: f.message, fields: f.fields ?? [], fix: c.fix, customResource: f.customResource === true,
          valuesKey: null,
        });
      }
    }
  }
  return findings;
}

/** The enabled chart instances of a render, with the key path from the top chart's values (aliases included). */
export function chartValuesSources(tree: ChartNode): ChartValuesSource[] {
  const out: ChartValuesSource[] = [];
  const walk = (n: ChartNode, prefix: string[]) => {
    if (!n.enabled) return;
    out.push({ path: n.path, prefix, values: n.chart.values, templates: templatesOf(n.chart) });
    for (const c of n.children) walk(c, [...prefix, c.alias ?? c.name]);
  };
  walk(tree, []);
  return out;
}

const templateText = new WeakMap<Chart, { name: string; text: string }[]>();
function templatesOf(chart: Chart): { name: string; text: string }[] {
  let t = templateText.get(chart);
  if (t === undefined) {
    t = chart.templates.map((f) => ({ name: f.name, text: f.data.toString('utf8') }));
    templateText.set(chart, t);
  }
  return t;
}

export function postureStage(loaded: LoadedChart, rendered: RenderResult, opts: PostureStageOptions): PostureStageResult {
  const checks = postureChecks(opts);
  const { resources, gaps } = postureResources(rendered.manifests);
  const findings = judgeResources(checks, resources);
  const stats = { renders: 0, failedRenders: 0, candidates: 0, unfinished: 0, ms: 0 };
  if (opts.valuesKeys !== false && findings.length > 0) {
    const t0 = performance.now();
    const r = attributeValuesKeys({
      findings, base: resources, charts: chartValuesSources(rendered.tree), userValues: loaded.userValues,
      maxRenders: opts.maxRenders ?? DEFAULT_MAX_RENDERS,
      renderAndJudge(values) {
        const again = postureResources(render({ ...loaded, userValues: values }, opts.flags, { output: 'hidden' }).manifests).resources;
        return { resources: again, findings: judgeResources(checks, again) };
      },
    });
    r.attributions.forEach((a, i) => { if (a !== null) findings[i]!.valuesKey = a.key; });
    Object.assign(stats, { renders: r.renders, failedRenders: r.failedRenders, candidates: r.candidates, unfinished: r.unfinished, ms: performance.now() - t0 });
  }
  // Go's string order, not localeCompare: the same order under every locale, and no ICU collator
  // (its first use cost a scan ~12 ms)
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || goCompare(a.chart, b.chart)
    || goCompare(`${a.resource.kind}/${a.resource.name}`, `${b.resource.kind}/${b.resource.name}`) || goCompare(a.check, b.check)
    || goCompare(a.container ?? '', b.container ?? ''));
  return { findings, gaps, valuesKeys: stats };
}

