/**
 * `chartaudit posture <chart>`: renders the chart with the given values and judges what it
 * deploys: the Pod Security Standards, as the Kubernetes admission would at the chosen level and
 * policy version (restricted includes every baseline check), and the best-practice checks
 * (src/posture/checks). Each finding gets, where it can be verified by rendering again, the
 * values key that controls it (src/posture/values-key.ts).
 *
 * The stage itself (src/commands/posture-stage.ts) is shared with `scan`.
 */
import type { PostureReport } from '../model/report.js';
import { pssPostureChecks } from '../posture/pss/index.js';
import { loadWithValues, readChartBytes, render, reportChart, type RenderFlags } from './chart-input.js';
import { postureStage } from './posture-stage.js';

export interface PostureOptions extends RenderFlags {
  chart: string;
  level: 'baseline' | 'restricted';
  /** `latest` or `v1.NN`. */
  pssVersion: string;
  /** Find the values key of each finding by rendering again (default true). */
  valuesKeys?: boolean;
  /** Re-renders allowed for that (default 50). */
  maxRenders?: number;
}

export async function posture(opts: PostureOptions): Promise<PostureReport> {
  // validates --level and --pss-version before any work
  pssPostureChecks({ level: opts.level, version: opts.pssVersion });
  const loaded = await loadWithValues(opts.chart, readChartBytes(opts.chart), opts);
  const rendered = render(loaded, opts, { output: 'hidden' });
  const { findings, gaps } = postureStage(loaded, rendered, { level: opts.level, pssVersion: opts.pssVersion, flags: opts, valuesKeys: opts.valuesKeys, maxRenders: opts.maxRenders });
  return { chart: reportChart(loaded), podSecurity: { level: opts.level, version: opts.pssVersion }, findings, gaps };
}
