/**
 * bench/posture-corpus: `chartaudit posture` (PSS restricted + best practices) on the 116
 * Bitnami charts of ../shared/corpus with default values, in this process.
 *
 *   npx tsx bench/posture-corpus.ts [--keys] [--max-renders N] [--json FILE] [filter]
 *
 * Prints, per check, how many charts and workloads (distinct resources) fail and the findings;
 * the time of the render against the time of judging it (the stage's cost without values keys);
 * with --keys, the values-key attribution too: findings attributed, re-renders, time, per chart.
 * --json writes every finding (chart, check, resource, container, valuesKey) for hand-checking.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadWithValues, readChartBytes, render, type RenderFlags } from '../src/commands/chart-input.js';
import { postureStage } from '../src/commands/posture-stage.js';
import type { ReportPostureFinding } from '../src/model/report.js';

const root = resolve(import.meta.dirname, '..');
const corpus = resolve(root, '..', 'shared', 'corpus', 'bitnami', 'charts');
const args = process.argv.slice(2);
const keys = args.includes('--keys');
const opt = (name: string): string | undefined => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const maxRenders = Number(opt('--max-renders') ?? 50);
const jsonOut = opt('--json');
const filter = args.filter((a, i) => !a.startsWith('--') && !['--max-renders', '--json'].includes(args[i - 1] ?? '')).at(0) ?? '';

const flags: RenderFlags = { valuesFiles: [], set: [], setString: [], setJson: [], setFile: [], setLiteral: [], releaseName: 'release-name', namespace: 'default', apiVersions: [] };
const charts = readdirSync(corpus).filter((f) => f.endsWith('.tgz') && f.includes(filter)).sort();

interface Tally { charts: Set<string>; workloads: Set<string>; findings: number; attributed: number }
const perCheck = new Map<string, Tally>();
const all: (ReportPostureFinding & { file: string })[] = [];
let renderMs = 0;
let judgeMs = 0;
let keysMs = 0;
let renders = 0;
let failed = 0;
const perChart: string[] = [];
const refused: string[] = [];
for (const file of charts) {
  const path = join(corpus, file);
  const loaded = await loadWithValues(path, readChartBytes(path), flags);
  let t0 = performance.now();
  let rendered;
  try {
    rendered = render(loaded, flags, { output: 'hidden' });
  } catch (e) {
    refused.push(`${file}: ${(e as Error).message.split('\n')[0]}`);
    continue;
  }
  renderMs += performance.now() - t0;
  t0 = performance.now();
  const plain = postureStage(loaded, rendered, { level: 'restricted', pssVersion: 'latest', flags, valuesKeys: false });
  judgeMs += performance.now() - t0;
  let findings = plain.findings;
  if (keys) {
    const r = postureStage(loaded, rendered, { level: 'restricted', pssVersion: 'latest', flags, valuesKeys: true, maxRenders });
    findings = r.findings;
    keysMs += r.valuesKeys.ms;
    renders += r.valuesKeys.renders;
    failed += r.valuesKeys.failedRenders;
    const n = findings.filter((f) => f.valuesKey !== null).length;
    perChart.push(`${file.padEnd(40)} ${String(findings.length).padStart(4)} findings ${String(n).padStart(4)} keyed ${String(r.valuesKeys.renders).padStart(3)} renders (${r.valuesKeys.failedRenders} failed) ${(r.valuesKeys.ms / 1000).toFixed(1)} s${r.valuesKeys.unfinished ? `, ${r.valuesKeys.unfinished} unfinished` : ''}`);
  }
  for (const f of findings) {
    const t = perCheck.get(f.check) ?? { charts: new Set(), workloads: new Set(), findings: 0, attributed: 0 };
    t.charts.add(file);
    t.workloads.add(`${file} ${f.chart} ${f.resource.kind}/${f.resource.name}`);
    t.findings++;
    if (f.valuesKey !== null) t.attributed++;
    perCheck.set(f.check, t);
    all.push({ ...f, file });
  }
}
const rows = [...perCheck.entries()].sort((a, b) => b[1].charts.size - a[1].charts.size || a[0].localeCompare(b[0]));
console.log(`${charts.length} charts, ${refused.length} not rendered${refused.length ? `:\n  ${refused.join('\n  ')}` : ''}`);
console.log(`\n${'check'.padEnd(44)} charts workloads findings${keys ? ' with key' : ''}`);
for (const [check, t] of rows) {
  console.log(`${check.padEnd(44)} ${String(t.charts.size).padStart(6)} ${String(t.workloads.size).padStart(9)} ${String(t.findings).padStart(8)}${keys ? ` ${String(t.attributed).padStart(9)}` : ''}`);
}
console.log(`\nrender ${(renderMs / 1000).toFixed(1)} s, posture checks ${(judgeMs / 1000).toFixed(2)} s (${((judgeMs / renderMs) * 100).toFixed(1)}% of the render)`);
if (keys) {
  const n = all.filter((f) => f.valuesKey !== null).length;
  console.log(`values keys: ${n}/${all.length} findings attributed, ${renders} re-renders (${failed} failed), ${(keysMs / 1000).toFixed(1)} s (${(keysMs / renderMs).toFixed(1)}× the renders)`);
  console.log(perChart.join('\n'));
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(all.map((f) => ({ file: f.file, check: f.check, chart: f.chart, template: f.template, resource: `${f.resource.kind}/${f.resource.name}`, container: f.container, valuesKey: f.valuesKey, message: f.message })), null, 1));
