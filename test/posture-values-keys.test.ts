/**
 * The hand-checked values keys of docs/posture-findings.md, on the real corpus charts: for each
 * row, the finding is there with default values; rendering with the key set to the suggested
 * value (and nothing else) makes it go away while the resource stays; and the attribution of
 * `chartaudit posture` finds that same key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWithValues, readChartBytes, render, type LoadedChart, type RenderFlags } from '../src/commands/chart-input.js';
import { judgeResources, postureChecks, postureStage } from '../src/commands/posture-stage.js';
import type { ReportPostureFinding } from '../src/model/report.js';
import { withValue } from '../src/posture/values-key.js';
import { renderedResources } from '../src/render/resources.js';
import { projectRoot } from './helpers/cli.js';
import { sharedPath } from './helpers/shared.js';

interface Row { chart: string; check: string; kind: string; name: string; container: string | null; key: string; value: unknown }

function tableRows(): Row[] {
  const doc = readFileSync(join(projectRoot, 'docs', 'posture-findings.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Hand-checked findings'));
  return section.split('\n').filter((l) => /^\| [a-z0-9-]+-\d+\.\d+\.\d+ \|/.test(l)).map((l) => {
    const [chart, check, resource, container, key, value] = l.split('|').slice(1, -1).map((c) => c.trim()) as [string, string, string, string, string, string];
    const slash = resource.indexOf('/');
    return { chart, check, kind: resource.slice(0, slash), name: resource.slice(slash + 1), container: container === '-' ? null : container, key, value: JSON.parse(value) as unknown };
  });
}

const flags: RenderFlags = { valuesFiles: [], set: [], setString: [], setJson: [], setFile: [], setLiteral: [], releaseName: 'release-name', namespace: 'default', apiVersions: [] };
const checks = postureChecks({ level: 'restricted', pssVersion: 'latest' });
const corpus = sharedPath('corpus', 'bitnami', 'charts');
const rows = tableRows();
const byChart = new Map<string, Row[]>();
for (const r of rows) byChart.set(r.chart, [...(byChart.get(r.chart) ?? []), r]);

const matches = (r: Row) => (f: ReportPostureFinding) => f.check === r.check && f.resource.kind === r.kind && f.resource.name === r.name && f.container === r.container;

function judge(loaded: LoadedChart, values: Record<string, unknown>) {
  const resources = renderedResources(render({ ...loaded, userValues: values }, flags, { output: 'hidden' }).manifests).resources;
  return { resources, findings: judgeResources(checks, resources) };
}

describe('values keys of the hand-checked corpus findings', () => {
  it('the corpus is there (../shared, beside the checkout)', () => {
    expect(existsSync(corpus), corpus).toBe(true);
  });

  it('the table has at least 20 rows over at least 10 checks', () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(new Set(rows.map((r) => r.check)).size).toBeGreaterThanOrEqual(10);
  });

  for (const [chart, chartRows] of byChart) {
    it(`${chart}: ${chartRows.map((r) => `${r.key}=${JSON.stringify(r.value)}`).join(', ')}`, async () => {
      const path = join(corpus, `${chart}.tgz`);
      const loaded = await loadWithValues(path, readChartBytes(path), flags);
      const base = judge(loaded, loaded.userValues);
      for (const row of chartRows) {
        expect(base.findings.filter(matches(row)), `${row.check} on ${row.kind}/${row.name} with default values`).toHaveLength(1);
        const fixed = judge(loaded, withValue(loaded.userValues, row.key.split('.'), row.value));
        expect(fixed.resources.some((x) => x.kind === row.kind && x.name === row.name), `${row.kind}/${row.name} still rendered`).toBe(true);
        expect(fixed.findings.filter(matches(row)), `${row.check} gone with ${row.key}`).toEqual([]);
      }
      const staged = postureStage(loaded, render(loaded, flags, { output: 'hidden' }), { level: 'restricted', pssVersion: 'latest', flags });
      for (const row of chartRows) expect(staged.findings.find(matches(row))?.valuesKey, `attribution of ${row.check}`).toBe(row.key);
      expect(staged.valuesKeys.renders).toBeLessThanOrEqual(50);
    }, 180_000);
  }
});
